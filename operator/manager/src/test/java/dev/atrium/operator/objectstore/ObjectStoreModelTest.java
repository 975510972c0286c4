package dev.atrium.operator.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.GeneratedSecret;
import dev.atrium.operator.model.SizePreset;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SeaweedFS object store: what the image's entrypoint is told, the ports, the probes, the Services. */
class ObjectStoreModelTest {

  private static final String HL = "acme-object-store-hl.acme.svc";

  private static DesiredState model(Integer replicas, String storage) {
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getSpec().getObjectStore().setReplicas(replicas);
    if (storage != null) {
      platform.getSpec().getObjectStore().getStorage().setSize(storage);
    }
    return ObjectStoreModel.from(TestPlatforms.context(platform));
  }

  private static <T extends HasMetadata> T find(DesiredState desired, Class<T> kind, String name) {
    return desired.resources().stream().filter(kind::isInstance).map(kind::cast)
        .filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  private static Container server(DesiredState desired) {
    return find(desired, StatefulSet.class, "acme-object-store").getSpec().getTemplate().getSpec().getContainers()
        .getFirst();
  }

  private static Map<String, EnvVar> env(DesiredState desired) {
    return server(desired).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
  }

  private static String value(DesiredState desired, String name) {
    return env(desired).get(name).getValue();
  }

  @Test
  void theFirstThreeOfFourServersAreTheMastersAndEveryVolumeHasTwoCopies() {
    DesiredState desired = model(4, null);
    assertThat(value(desired, "ATRIUM_OBJECT_STORE_MASTERS")).isEqualTo(
        "acme-object-store-0." + HL + ",acme-object-store-1." + HL + ",acme-object-store-2." + HL);
    assertThat(value(desired, "ATRIUM_OBJECT_STORE_REPLICATION")).isEqualTo("001");
    assertThat(find(desired, StatefulSet.class, "acme-object-store").getSpec().getReplicas()).isEqualTo(4);
  }

  @ParameterizedTest
  @CsvSource({"1, 1, 000", "2, 1, 001", "3, 3, 001", "8, 3, 001", "32, 3, 001"})
  void mastersAndCopiesFollowTheServers(int servers, int masters, String replication) {
    DesiredState desired = model(servers, null);
    assertThat(value(desired, "ATRIUM_OBJECT_STORE_MASTERS").split(",")).hasSize(masters)
        .allMatch(h -> h.matches("acme-object-store-[0-2]\\." + HL.replace(".", "\\.")));
    assertThat(value(desired, "ATRIUM_OBJECT_STORE_REPLICATION")).isEqualTo(replication);
  }

  @Test
  void eachPodNamesItselfAsTheMastersAreNamed() {
    Map<String, EnvVar> env = env(model(4, null));
    assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    // $(POD_NAME) is acme-object-store-<ordinal>: the same spelling as each master's
    assertThat(env.get("ATRIUM_OBJECT_STORE_HOST").getValue()).isEqualTo("$(POD_NAME)." + HL);
    // POD_NAME must come first for the kubelet to expand it
    List<String> order = server(model(4, null)).getEnv().stream().map(EnvVar::getName).toList();
    assertThat(order.indexOf("POD_NAME")).isLessThan(order.indexOf("ATRIUM_OBJECT_STORE_HOST"));
  }

  @Test
  void theFilersKeepTheirMetadataInThePlatformsDatabase() {
    Map<String, EnvVar> env = env(model(4, null));
    assertThat(env.get("ATRIUM_OBJECT_STORE_DB_HOST").getValue()).isEqualTo("acme-database.acme.svc");
    assertThat(env.get("ATRIUM_OBJECT_STORE_DB_PORT").getValue()).isEqualTo("5432");
    assertThat(env.get("ATRIUM_OBJECT_STORE_DB_NAME").getValue()).isEqualTo("objectstore");
    assertThat(env.get("ATRIUM_OBJECT_STORE_DB_USER").getValue()).isEqualTo("atrium");
    var password = env.get("ATRIUM_OBJECT_STORE_DB_PASSWORD").getValueFrom().getSecretKeyRef();
    assertThat(password.getName()).isEqualTo("acme-database-credentials");
    assertThat(password.getKey()).isEqualTo("app-password");
  }

  @Test
  void theGeneratedKeysReachTheGatewayBySecretReferenceOnly() {
    DesiredState desired = model(4, null);
    Map<String, EnvVar> env = env(desired);
    for (var key : Map.of("ATRIUM_S3_ACCESS_KEY", "access-key", "ATRIUM_S3_SECRET_KEY", "secret-key").entrySet()) {
      EnvVar var = env.get(key.getKey());
      assertThat(var.getValue()).isNull();
      assertThat(var.getValueFrom().getSecretKeyRef().getName()).isEqualTo("acme-object-store-credentials");
      assertThat(var.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(key.getValue());
    }
    assertThat(desired.secrets()).extracting(GeneratedSecret::keys).containsExactly(List.of("access-key", "secret-key"));
  }

  @ParameterizedTest
  @CsvSource({"1Gi, 32", "20Gi, 320", "64Gi, 1024", "100Gi, 1024", "10Ti, 1024"})
  void aVolumeIsFullAtA64thOfTheDisk(String storage, String limitMb) {
    assertThat(value(model(4, storage), "ATRIUM_OBJECT_STORE_VOLUME_SIZE_LIMIT_MB")).isEqualTo(limitMb);
  }

  @Test
  void theGoHeapIsToldTheContainersMemoryLimit() {
    var ref = env(model(4, null)).get("ATRIUM_OBJECT_STORE_MEMORY_LIMIT").getValueFrom().getResourceFieldRef();
    assertThat(ref.getResource()).isEqualTo("limits.memory");
    assertThat(ref.getContainerName()).isEqualTo("object-store");
  }

  @Test
  void portsAreNamedAndClientsReachOnlyS3() {
    DesiredState desired = model(4, null);
    assertThat(server(desired).getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("s3", 8333),
            org.assertj.core.groups.Tuple.tuple("master", 9333),
            org.assertj.core.groups.Tuple.tuple("master-grpc", 19333),
            org.assertj.core.groups.Tuple.tuple("volume", 8080),
            org.assertj.core.groups.Tuple.tuple("volume-grpc", 18080),
            org.assertj.core.groups.Tuple.tuple("filer", 8888),
            org.assertj.core.groups.Tuple.tuple("filer-grpc", 18888));
    Service client = find(desired, Service.class, "acme-object-store");
    assertThat(client.getSpec().getPorts()).extracting(ServicePort::getName).containsExactly("s3");
    Service headless = find(desired, Service.class, "acme-object-store-hl");
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(headless.getSpec().getPorts()).extracting(ServicePort::getName)
        .containsExactly("s3", "master", "master-grpc", "volume", "volume-grpc", "filer", "filer-grpc");
  }

  @Test
  void readinessIsS3AndLivenessDependsOnNoOtherPod() {
    Container server = server(model(4, null));
    assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(server.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("s3");
    assertThat(server.getStartupProbe().getHttpGet().getPort().getStrVal()).isEqualTo("s3");
    assertThat(server.getStartupProbe().getFailureThreshold() * server.getStartupProbe().getPeriodSeconds())
        .isEqualTo(300);
    // the volume server's /status answers while the process serves; its /healthz would fail without a master
    assertThat(server.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/status");
    assertThat(server.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("volume");
  }

  @Test
  void theDataIsOnThePodsVolumeAndScratchInTmp() {
    Container server = server(model(4, null));
    assertThat(value(model(4, null), "ATRIUM_OBJECT_STORE_DATA")).isEqualTo("/data");
    assertThat(server.getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath())
        .containsExactly("data:/data", "tmp:/tmp");
    assertThat(server.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
  }

  @Test
  void theTrialSizeIsOneServerWithOneCopy() {
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getSpec().getObjectStore().setReplicas(null);
    platform.getSpec().setSize(SizePreset.USERS_100.label());
    DesiredState desired = ObjectStoreModel.from(TestPlatforms.context(platform));
    assertThat(value(desired, "ATRIUM_OBJECT_STORE_MASTERS")).isEqualTo("acme-object-store-0." + HL);
    assertThat(value(desired, "ATRIUM_OBJECT_STORE_REPLICATION")).isEqualTo("000");
  }
}
