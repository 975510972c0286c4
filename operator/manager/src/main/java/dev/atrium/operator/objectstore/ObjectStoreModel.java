package dev.atrium.operator.objectstore;

import dev.atrium.api.v1alpha1.ObjectStoreSpec;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.model.Names;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.workload.PodSecurity;
import dev.atrium.operator.workload.StatefulStore;
import dev.atrium.operator.workload.Wiring;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The S3-compatible object store behind netdisk: each pod is a storage server with its own
 * volume; the first (up to three) pods also form the store's metadata quorum.
 */
public final class ObjectStoreModel {

  static final int PEER_PORT = 9333;

  private ObjectStoreModel() {
  }

  public static DesiredState from(PlatformContext ctx) {
    ObjectStoreSpec spec = ctx.platform().getSpec().getObjectStore();
    Component store = Component.OBJECT_STORE;
    String secret = Names.credentials(ctx.name(), store);
    String peers = IntStream.range(0, Math.min(3, ctx.replicas(store, spec.getReplicas())))
        .mapToObj(i -> Names.podHost(ctx.name(), store, i, ctx.namespace()) + ":" + PEER_PORT)
        .collect(Collectors.joining(","));
    Container server = new ContainerBuilder()
        .withName("object-store")
        .withImage(ctx.image(store))
        .withImagePullPolicy("IfNotPresent")
        .addNewPort().withName("s3").withContainerPort(store.port()).withProtocol("TCP").endPort()
        .addNewPort().withName("peer").withContainerPort(PEER_PORT).withProtocol("TCP").endPort()
        .addNewEnv().withName("ATRIUM_OBJECT_STORE_PEERS").withValue(peers).endEnv()
        .addNewEnv().withName("ATRIUM_OBJECT_STORE_DATA").withValue("/data").endEnv()
        .addToEnv(Wiring.secretEnv("ATRIUM_S3_ACCESS_KEY", secret, Wiring.S3_ACCESS_KEY))
        .addToEnv(Wiring.secretEnv("ATRIUM_S3_SECRET_KEY", secret, Wiring.S3_SECRET_KEY))
        .withResources(ctx.resources(store, spec.getResources()))
        .withSecurityContext(PodSecurity.container())
        .withReadinessProbe(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString("s3")).endTcpSocket()
            .withPeriodSeconds(5).withFailureThreshold(3).build())
        .withLivenessProbe(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString("peer")).endTcpSocket()
            .withPeriodSeconds(10).withFailureThreshold(6).build())
        .addNewVolumeMount().withName(StatefulStore.DATA_VOLUME).withMountPath("/data").endVolumeMount()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .build();
    var statefulSet = StatefulStore.statefulSet(ctx, store, spec, List.of(server), List.of());
    ServicePort s3 = port("s3", store.port());
    List<HasMetadata> resources = new ArrayList<>(StatefulStore.common(ctx, store, statefulSet,
        List.of(s3, port("peer", PEER_PORT))));
    resources.add(StatefulStore.service(ctx, store, Names.workload(ctx.name(), store),
        Labels.selector(ctx.name(), store), List.of(s3)));
    return new DesiredState(resources,
        List.of(StatefulStore.credentials(ctx, store, List.of(Wiring.S3_ACCESS_KEY, Wiring.S3_SECRET_KEY))));
  }

  private static ServicePort port(String name, int port) {
    return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(name))
        .withProtocol("TCP").build();
  }
}
