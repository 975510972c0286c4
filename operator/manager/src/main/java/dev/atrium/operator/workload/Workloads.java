package dev.atrium.operator.workload;

import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.model.Names;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pieces every component's objects share: metadata, Services, PDBs, spreading. */
public final class Workloads {

  private Workloads() {
  }

  /** Metadata of a component's object: name, namespace, labels and the platform as owner. */
  public static ObjectMeta metadata(PlatformContext ctx, Component component, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(ctx.namespace())
        .withLabels(Labels.of(ctx.name(), component, ctx.version(component)))
        .withOwnerReferences(ctx.ownerReference())
        .build();
  }

  /** Metadata of an object that belongs to the whole platform. */
  public static ObjectMeta platformMetadata(PlatformContext ctx, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(ctx.namespace())
        .withLabels(Labels.platform(ctx.name()))
        .withOwnerReferences(ctx.ownerReference())
        .build();
  }

  /** The ConfigMap with a component's wiring; its hash goes on the pod template. */
  public static ConfigMap config(PlatformContext ctx, Component component, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withMetadata(metadata(ctx, component, Names.config(ctx.name(), component)))
        .withData(new TreeMap<>(data))
        .build();
  }

  /** The Service clients use, on the component's port. */
  public static Service clientService(PlatformContext ctx, Component component, Map<String, String> selector) {
    return new ServiceBuilder()
        .withMetadata(metadata(ctx, component, Names.workload(ctx.name(), component)))
        .withNewSpec()
          .withType("ClusterIP")
          .withSelector(selector)
          .addNewPort().withName(portName(component)).withPort(component.port())
            .withTargetPort(new IntOrString(portName(component))).withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }

  /** A PodDisruptionBudget that lets one pod at a time be evicted (drains work, quorum holds). */
  public static PodDisruptionBudget disruptionBudget(PlatformContext ctx, Component component) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(metadata(ctx, component, Names.workload(ctx.name(), component)))
        .withNewSpec()
          .withMaxUnavailable(new IntOrString(1))
          .withNewSelector().withMatchLabels(Labels.selector(ctx.name(), component)).endSelector()
        .endSpec()
        .build();
  }

  /**
   * What every pod of the platform has: no service-account token, no service links, the restricted
   * security context, the registry's pull secrets, spreading, and its containers and volumes.
   */
  public static PodSpec podSpec(PlatformContext ctx, Component component, long terminationGraceSeconds,
      List<Container> containers, List<Volume> volumes) {
    return new PodSpecBuilder()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(PodSecurity.pod())
        .withImagePullSecrets(ctx.pullSecrets())
        .withTopologySpreadConstraints(spread(ctx, component))
        .withTerminationGracePeriodSeconds(terminationGraceSeconds)
        .withContainers(containers)
        .withVolumes(volumes)
        .build();
  }

  /** A scratch emptyDir for /tmp, since every root filesystem is read-only. */
  public static Volume tmpVolume() {
    return new VolumeBuilder().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("256Mi")).endEmptyDir()
        .build();
  }

  /** Spread a component's pods over nodes and zones, preferring but not requiring it. */
  public static List<TopologySpreadConstraint> spread(PlatformContext ctx, Component component) {
    return List.of(
        spreadOver("kubernetes.io/hostname", ctx, component),
        spreadOver("topology.kubernetes.io/zone", ctx, component));
  }

  private static TopologySpreadConstraint spreadOver(String key, PlatformContext ctx, Component component) {
    return new TopologySpreadConstraintBuilder()
        .withMaxSkew(1)
        .withTopologyKey(key)
        .withWhenUnsatisfiable("ScheduleAnyway")
        .withNewLabelSelector().withMatchLabels(Labels.selector(ctx.name(), component)).endLabelSelector()
        .build();
  }

  public static String portName(Component component) {
    return component.portName();
  }
}
