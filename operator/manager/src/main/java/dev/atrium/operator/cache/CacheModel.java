package dev.atrium.operator.cache;

import dev.atrium.api.v1alpha1.CacheSpec;
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
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis-compatible cache: pod 0 starts as primary, the others replicate it, and a Sentinel
 * beside each server elects a new primary when it fails. Clients ask Sentinel for the primary.
 */
public final class CacheModel {

  private CacheModel() {
  }

  public static DesiredState from(PlatformContext ctx) {
    CacheSpec spec = ctx.platform().getSpec().getCache();
    Component cache = Component.CACHE;
    String secret = Names.credentials(ctx.name(), cache);
    List<EnvVar> env = List.of(
        new EnvVar("ATRIUM_PRIMARY_HOST", Names.podHost(ctx.name(), cache, 0, ctx.namespace()), null),
        new EnvVar("ATRIUM_SENTINEL_MASTER", Wiring.CACHE_MASTER, null),
        // one server has a quorum of one: Sentinel watches it but has no replica to promote
        new EnvVar("ATRIUM_SENTINEL_QUORUM", Integer.toString(ctx.replicas(cache, spec.getReplicas()) / 2 + 1),
            null),
        Wiring.secretEnv("REDISCLI_AUTH", secret, Wiring.CACHE_PASSWORD_KEY));
    Container server = new ContainerBuilder()
        .withName("redis")
        .withImage(ctx.image(cache))
        .withImagePullPolicy("IfNotPresent")
        .withArgs("server")
        .addNewPort().withName("redis").withContainerPort(cache.port()).withProtocol("TCP").endPort()
        .withEnv(env)
        .withResources(ctx.resources(cache, spec.getResources()))
        .withSecurityContext(PodSecurity.container())
        .withReadinessProbe(new ProbeBuilder().withNewExec()
            // -e: exit non-zero on an error reply (NOAUTH, LOADING, MASTERDOWN), not only when the port is closed
            .withCommand("redis-cli", "-e", "-p", Integer.toString(cache.port()), "ping").endExec()
            .withPeriodSeconds(5).withTimeoutSeconds(2).withFailureThreshold(3).build())
        .withLivenessProbe(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString("redis")).endTcpSocket()
            .withPeriodSeconds(10).withFailureThreshold(6).build())
        .addNewVolumeMount().withName(StatefulStore.DATA_VOLUME).withMountPath("/data").endVolumeMount()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .build();
    Container sentinel = new ContainerBuilder()
        .withName("sentinel")
        .withImage(ctx.image(cache))
        .withImagePullPolicy("IfNotPresent")
        .withArgs("sentinel")
        .addNewPort().withName(Wiring.SENTINEL_PORT_NAME).withContainerPort(Wiring.SENTINEL_PORT).withProtocol("TCP").endPort()
        .withEnv(env)
        .withNewResources().addToRequests("cpu", new Quantity("20m"))
          .addToRequests("memory", new Quantity("32Mi"))
          .addToLimits("memory", new Quantity("64Mi")).endResources()
        .withSecurityContext(PodSecurity.container())
        .withReadinessProbe(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(Wiring.SENTINEL_PORT_NAME)).endTcpSocket()
            .withPeriodSeconds(5).build())
        .withLivenessProbe(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(Wiring.SENTINEL_PORT_NAME)).endTcpSocket()
            .withPeriodSeconds(10).withFailureThreshold(6).build())
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .build();
    var statefulSet = StatefulStore.statefulSet(ctx, cache, spec, List.of(server, sentinel), List.of());
    List<ServicePort> ports = List.of(port("redis", cache.port()), port(Wiring.SENTINEL_PORT_NAME, Wiring.SENTINEL_PORT));
    List<HasMetadata> resources = new ArrayList<>(StatefulStore.common(ctx, cache, statefulSet, ports));
    resources.add(StatefulStore.service(ctx, cache, Names.workload(ctx.name(), cache),
        Labels.selector(ctx.name(), cache), ports));
    return new DesiredState(resources,
        List.of(StatefulStore.credentials(ctx, cache, List.of(Wiring.CACHE_PASSWORD_KEY))));
  }

  private static ServicePort port(String name, int port) {
    return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(name))
        .withProtocol("TCP").build();
  }
}
