package dev.atrium.operator.workload;

import dev.atrium.api.v1alpha1.StatefulComponentSpec;
import dev.atrium.api.v1alpha1.StorageSpec;
import dev.atrium.api.v1alpha1.VolumeReclaimPolicy;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.GeneratedSecret;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.model.Names;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The objects every data store shares: a StatefulSet with a volume per pod, a headless Service
 * for the pods' stable names, a PodDisruptionBudget and the Secret of generated credentials.
 * Each store adds its containers and its client Services.
 */
public final class StatefulStore {

  public static final String DATA_VOLUME = "data";

  private StatefulStore() {
  }

  /** Pods of the StatefulSet: they get stable names and start in order (replicas follow the primary). */
  public static StatefulSet statefulSet(PlatformContext ctx, Component component, StatefulComponentSpec spec,
      List<Container> containers, List<Volume> extraVolumes) {
    String name = Names.workload(ctx.name(), component);
    StorageSpec storage = spec.getStorage();
    boolean retain = storage.getReclaimPolicy() != VolumeReclaimPolicy.Delete;
    List<Volume> volumes = new ArrayList<>(extraVolumes);
    volumes.add(Workloads.tmpVolume());
    return new StatefulSetBuilder()
        .withMetadata(Workloads.metadata(ctx, component, name))
        .withNewSpec()
          .withReplicas(ctx.replicas(component, spec.getReplicas()))
          .withServiceName(Names.headlessService(ctx.name(), component))
          .withPodManagementPolicy("OrderedReady")
          .withRevisionHistoryLimit(5)
          .withNewSelector().withMatchLabels(Labels.selector(ctx.name(), component)).endSelector()
          .withNewUpdateStrategy().withType("RollingUpdate")
            .withNewRollingUpdate().withPartition(component == Component.DATABASE ? ctx.databasePartition() : 0)
            .endRollingUpdate()
          .endUpdateStrategy()
          // Retain keeps every volume when the platform (or a replica) goes; the data outlives a mistake
          .withNewPersistentVolumeClaimRetentionPolicy()
            .withWhenDeleted(retain ? "Retain" : "Delete")
            .withWhenScaled("Retain")
          .endPersistentVolumeClaimRetentionPolicy()
          .withNewTemplate()
            .withNewMetadata().withLabels(Labels.of(ctx.name(), component, ctx.version(component))).endMetadata()
            .withSpec(Workloads.podSpec(ctx, component, 60L, containers, volumes))
          .endTemplate()
          .withVolumeClaimTemplates(claimTemplate(ctx, component, storage))
        .endSpec()
        .build();
  }

  private static PersistentVolumeClaim claimTemplate(PlatformContext ctx, Component component, StorageSpec storage) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(DATA_VOLUME).withLabels(Labels.selector(ctx.name(), component)).endMetadata()
        .withNewSpec()
          .withAccessModes("ReadWriteOnce")
          .withStorageClassName(storage.getStorageClassName())
          .withNewResources().addToRequests("storage", new Quantity(storage.getSize())).endResources()
        .endSpec()
        .build();
  }

  /** The headless Service: DNS names for each pod, published before they are Ready so peers can find each other. */
  public static Service headlessService(PlatformContext ctx, Component component, List<ServicePort> ports) {
    return new ServiceBuilder()
        .withMetadata(Workloads.metadata(ctx, component, Names.headlessService(ctx.name(), component)))
        .withNewSpec()
          .withClusterIP("None")
          .withPublishNotReadyAddresses(true)
          .withSelector(Labels.selector(ctx.name(), component))
          .withPorts(ports)
        .endSpec()
        .build();
  }

  /** A client Service over some of the store's pods. */
  public static Service service(PlatformContext ctx, Component component, String name, Map<String, String> selector,
      List<ServicePort> ports) {
    return new ServiceBuilder()
        .withMetadata(Workloads.metadata(ctx, component, name))
        .withNewSpec().withType("ClusterIP").withSelector(selector).withPorts(ports).endSpec()
        .build();
  }

  public static GeneratedSecret credentials(PlatformContext ctx, Component component, List<String> keys) {
    return new GeneratedSecret(Workloads.metadata(ctx, component, Names.credentials(ctx.name(), component)), keys);
  }

  /** The objects shared by every store, ahead of the store's own. */
  public static List<HasMetadata> common(PlatformContext ctx, Component component, StatefulSet statefulSet,
      List<ServicePort> ports) {
    return List.of(statefulSet, headlessService(ctx, component, ports), Workloads.disruptionBudget(ctx, component));
  }
}
