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
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The S3-compatible object store behind netdisk: SeaweedFS, one StatefulSet. Every pod runs one
 * {@code weed server} with a volume server on its own volume, a filer and the S3 gateway; the first
 * pod (below three servers) or the first three pods (from three) are also the masters, in raft. The
 * filers keep their metadata in the platform's PostgreSQL (database {@code objectstore}), so any pod
 * answers any S3 request the same. New volumes get two copies on two servers once there are two.
 * The image's entrypoint turns the environment below into weed's flags
 * (docs/images/seaweedfs.md); why this topology: docs/decisions/0007-object-store-on-seaweedfs.md.
 */
public final class ObjectStoreModel {

  /** The image's ports (fixed in its entrypoint); each gRPC port is its HTTP port + 10000. */
  static final int MASTER_PORT = 9333;
  static final int VOLUME_PORT = 8080;
  static final int FILER_PORT = 8888;
  static final int GRPC_OFFSET = 10000;
  /** Masters: one below this many servers, three from it (raft needs an odd number, and two is worse than one). */
  static final int RAFT_SERVERS = 3;
  /** SeaweedFS replica placements: one copy; two copies on two different servers. */
  static final String ONE_COPY = "000";
  static final String TWO_COPIES = "001";
  static final String DATA_DIR = "/data";

  private ObjectStoreModel() {
  }

  public static DesiredState from(PlatformContext ctx) {
    ObjectStoreSpec spec = ctx.platform().getSpec().getObjectStore();
    Component store = Component.OBJECT_STORE;
    String secret = Names.credentials(ctx.name(), store);
    int servers = ctx.replicas(store, spec.getReplicas());
    Container server = new ContainerBuilder()
        .withName("object-store")
        .withImage(ctx.image(store))
        .withImagePullPolicy("IfNotPresent")
        .withPorts(containerPorts())
        .withEnv(env(ctx, servers, spec.getStorage().getSize()))
        .addToEnv(Wiring.secretEnv("ATRIUM_S3_ACCESS_KEY", secret, Wiring.S3_ACCESS_KEY))
        .addToEnv(Wiring.secretEnv("ATRIUM_S3_SECRET_KEY", secret, Wiring.S3_SECRET_KEY))
        .addToEnv(Wiring.secretEnv("ATRIUM_OBJECT_STORE_DB_PASSWORD",
            Names.credentials(ctx.name(), Component.DATABASE), Wiring.APP_PASSWORD_KEY))
        .withResources(ctx.resources(store, spec.getResources()))
        .withSecurityContext(PodSecurity.container())
        // the first start waits for the database and loads the volumes' indexes: up to five minutes
        .withStartupProbe(s3Healthz(60))
        // S3 answers: the gateway is up (its filer and the masters are its own problem, reported by its errors)
        .withReadinessProbe(s3Healthz(3))
        // the volume server's own status page: the process serves HTTP. Nothing that depends on other pods
        // (the masters' quorum, the database), or losing those would restart every pod
        .withLivenessProbe(new ProbeBuilder().withNewHttpGet().withPath("/status").withPort(new IntOrString("volume"))
            .endHttpGet().withPeriodSeconds(10).withTimeoutSeconds(3).withFailureThreshold(6).build())
        .addNewVolumeMount().withName(StatefulStore.DATA_VOLUME).withMountPath(DATA_DIR).endVolumeMount()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .build();
    var statefulSet = StatefulStore.statefulSet(ctx, store, spec, List.of(server), List.of());
    ServicePort s3 = servicePort(store.portName(), store.port());
    List<HasMetadata> resources = new ArrayList<>(StatefulStore.common(ctx, store, statefulSet, peerPorts()));
    resources.add(StatefulStore.service(ctx, store, Names.workload(ctx.name(), store),
        Labels.selector(ctx.name(), store), List.of(s3)));
    return new DesiredState(resources,
        List.of(StatefulStore.credentials(ctx, store, List.of(Wiring.S3_ACCESS_KEY, Wiring.S3_SECRET_KEY))));
  }

  /** The pods that run a master: the first one, or the first three from three servers on. */
  static int masters(int servers) {
    return servers < RAFT_SERVERS ? 1 : RAFT_SERVERS;
  }

  /** Where new volumes' copies go: one copy on one server, else two on two different servers. */
  static String replication(int servers) {
    return servers == 1 ? ONE_COPY : TWO_COPIES;
  }

  /**
   * The size at which a volume (SeaweedFS's unit of replication, one per bucket and more as they fill) counts
   * as full: a 64th of the server's disk, between 32 MiB and 1 GiB, so that even a 1Gi disk holds some 30
   * volumes (enough for several buckets) and a large one needs no more volumes than necessary.
   */
  static long volumeSizeLimitMb(String storageSize) {
    BigDecimal bytes = Quantity.getAmountInBytes(new Quantity(storageSize));
    long mb = bytes.divideToIntegralValue(BigDecimal.valueOf(64L * 1024 * 1024)).longValue();
    return Math.max(32, Math.min(1024, mb));
  }

  private static List<EnvVar> env(PlatformContext ctx, int servers, String storageSize) {
    Component store = Component.OBJECT_STORE;
    String masters = IntStream.range(0, masters(servers))
        .mapToObj(i -> Names.podHost(ctx.name(), store, i, ctx.namespace()))
        .collect(Collectors.joining(","));
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName("POD_NAME")
        .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
    // the pod's own stable name, spelt as Names.podHost spells the masters'
    env.add(new EnvVar("ATRIUM_OBJECT_STORE_HOST",
        "$(POD_NAME)." + Names.headlessService(ctx.name(), store) + "." + ctx.namespace() + ".svc", null));
    env.add(new EnvVar("ATRIUM_OBJECT_STORE_MASTERS", masters, null));
    env.add(new EnvVar("ATRIUM_OBJECT_STORE_REPLICATION", replication(servers), null));
    env.add(new EnvVar("ATRIUM_OBJECT_STORE_DATA", DATA_DIR, null));
    env.add(new EnvVar("ATRIUM_OBJECT_STORE_VOLUME_SIZE_LIMIT_MB", Long.toString(volumeSizeLimitMb(storageSize)), null));
    env.add(new EnvVarBuilder().withName("ATRIUM_OBJECT_STORE_MEMORY_LIMIT").withNewValueFrom().withNewResourceFieldRef()
        .withContainerName("object-store").withResource("limits.memory").endResourceFieldRef().endValueFrom().build());
    // the filers' metadata: the platform's PostgreSQL, the object store's own database, the application user
    env.add(new EnvVar("ATRIUM_OBJECT_STORE_DB_HOST", Names.serviceHost(ctx.name(), Component.DATABASE, ctx.namespace()),
        null));
    env.add(new EnvVar("ATRIUM_OBJECT_STORE_DB_PORT", Integer.toString(Component.DATABASE.port()), null));
    env.add(new EnvVar("ATRIUM_OBJECT_STORE_DB_NAME", store.database().orElseThrow(), null));
    env.add(new EnvVar("ATRIUM_OBJECT_STORE_DB_USER", Wiring.DATABASE_APP_USER, null));
    return env;
  }

  /** The ports weed listens on, named: S3 for clients, the rest for the store's own pods. */
  private static List<ContainerPort> containerPorts() {
    List<ContainerPort> ports = new ArrayList<>();
    ports.add(containerPort(Component.OBJECT_STORE.portName(), Component.OBJECT_STORE.port()));
    for (ServicePort peer : peerPorts()) {
      if (!peer.getName().equals(Component.OBJECT_STORE.portName())) {
        ports.add(containerPort(peer.getName(), peer.getPort()));
      }
    }
    return ports;
  }

  /** Every port, for the headless Service: masters, volume servers and filers reach each other on these. */
  static List<ServicePort> peerPorts() {
    return List.of(
        servicePort(Component.OBJECT_STORE.portName(), Component.OBJECT_STORE.port()),
        servicePort("master", MASTER_PORT),
        servicePort("master-grpc", MASTER_PORT + GRPC_OFFSET),
        servicePort("volume", VOLUME_PORT),
        servicePort("volume-grpc", VOLUME_PORT + GRPC_OFFSET),
        servicePort("filer", FILER_PORT),
        servicePort("filer-grpc", FILER_PORT + GRPC_OFFSET));
  }

  private static Probe s3Healthz(int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath("/healthz").withPort(new IntOrString(Component.OBJECT_STORE.portName())).endHttpGet()
        .withPeriodSeconds(5).withTimeoutSeconds(2).withFailureThreshold(failureThreshold)
        .build();
  }

  private static ContainerPort containerPort(String name, int port) {
    return new ContainerPortBuilder().withName(name).withContainerPort(port).withProtocol("TCP").build();
  }

  private static ServicePort servicePort(String name, int port) {
    return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(name))
        .withProtocol("TCP").build();
  }
}
