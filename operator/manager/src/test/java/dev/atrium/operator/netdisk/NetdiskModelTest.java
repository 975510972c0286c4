package dev.atrium.operator.netdisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.NetdiskSpec;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.platform.PlatformModel;
import dev.atrium.operator.workload.ConfigHash;
import dev.atrium.operator.workload.Wiring;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Netdisk's environment, the contract between the operator and the service: the object store, identity's token
 * endpoint, the message center, its public address and the settings of spec.netdisk as the service reads them.
 */
class NetdiskModelTest {

  private static final List<String> OWN = List.of("ATRIUM_S3_ENDPOINT", "ATRIUM_S3_BUCKET", "ATRIUM_S3_REGION",
      "ATRIUM_OAUTH_CLIENT_ID", "ATRIUM_IDENTITY_TOKEN_URI", "ATRIUM_MESSAGE_CENTER_URL", "ATRIUM_NETDISK_PUBLIC_URL",
      "ATRIUM_NETDISK_PERSONAL_QUOTA", "ATRIUM_NETDISK_SPACE_QUOTA", "ATRIUM_NETDISK_MAX_FILE_SIZE",
      "ATRIUM_NETDISK_VERSIONS_KEPT", "ATRIUM_NETDISK_TRASH_RETENTION");

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "10Gi, 10737418240B",
      "100Gi, 107374182400B",
      "20Gi, 21474836480B",
      "1.5Ti, 1649267441664B",
      "1Ki, 1024B",
      "1Ei, 1152921504606846976B",
      "500M, 500000000B",
      "1k, 1000B",
      "2T, 2000000000000B",
      "1E, 1000000000000000000B",
      "4096, 4096B",
      // a fraction of a byte is a whole one
      "0.5, 1B",
      "1.0001k, 1001B"})
  void aQuantityReachesTheServiceAsWholeBytes(String quantity, String bytes) {
    assertThat(NetdiskModel.bytes(quantity)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10m", "10Gb", "Gi", "1e9", "ten"})
  void aValueTheSchemaRefusesIsNoQuantityHere(String value) {
    assertThatThrownBy(() -> NetdiskModel.bytes(value)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(value);
  }

  @Test
  void theConfigMapHoldsExactlyTheContractsSettings() {
    Map<String, String> config = config(TestPlatforms.example());

    List<String> common = List.copyOf(Wiring.common(TestPlatforms.context(TestPlatforms.example()), Component.NETDISK)
        .keySet());
    assertThat(config.keySet()).containsExactlyInAnyOrderElementsOf(Stream.concat(common.stream(), OWN.stream())
        .toList());
    assertThat(config)
        .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://acme-database.acme.svc:5432/netdisk")
        .containsEntry("ATRIUM_IDENTITY_ISSUER", "http://collab.acme.example/auth")
        .containsEntry("ATRIUM_IDENTITY_JWKS_URI", "http://acme-identity.acme.svc:8080/oauth2/jwks")
        .containsEntry("ATRIUM_S3_ENDPOINT", "http://acme-object-store.acme.svc:8333")
        .containsEntry("ATRIUM_S3_BUCKET", "netdisk")
        .containsEntry("ATRIUM_S3_REGION", "us-east-1")
        .containsEntry("ATRIUM_OAUTH_CLIENT_ID", "netdisk")
        .containsEntry("ATRIUM_IDENTITY_TOKEN_URI", "http://acme-identity.acme.svc:8080/oauth2/token")
        .containsEntry("ATRIUM_MESSAGE_CENTER_URL", "http://acme-message-center.acme.svc:8080")
        .containsEntry("ATRIUM_NETDISK_PUBLIC_URL", "http://collab.acme.example/netdisk")
        .containsEntry("ATRIUM_NETDISK_PERSONAL_QUOTA", "10737418240B")
        .containsEntry("ATRIUM_NETDISK_SPACE_QUOTA", "107374182400B")
        .containsEntry("ATRIUM_NETDISK_MAX_FILE_SIZE", "21474836480B")
        .containsEntry("ATRIUM_NETDISK_VERSIONS_KEPT", "50")
        .containsEntry("ATRIUM_NETDISK_TRASH_RETENTION", "30d");
    // it keeps nothing in Redis: no address of the cache, and no password for it below
    assertThat(config.keySet()).noneMatch(key -> key.startsWith("SPRING_DATA_REDIS"));
  }

  @Test
  void theSecretsComeBySecretKeyRefOnly() {
    Map<String, String> refs = secretRefs(TestPlatforms.example());

    assertThat(refs).containsOnly(
        Map.entry("SPRING_DATASOURCE_PASSWORD", "acme-database-credentials/app-password"),
        Map.entry("ATRIUM_S3_ACCESS_KEY", "acme-object-store-credentials/access-key"),
        Map.entry("ATRIUM_S3_SECRET_KEY", "acme-object-store-credentials/secret-key"),
        Map.entry("ATRIUM_OAUTH_CLIENT_SECRET", "acme-netdisk-oauth-client/client-secret"));
  }

  @Test
  void theSettingsOfTheSpecReachTheService() {
    Map<String, String> config = config(with(n -> {
      n.setPersonalQuota("1.5Ti");
      n.setSpaceQuota("500G");
      n.setMaxFileSize("512Mi");
      n.setVersionsKept(1000);
      n.setTrashRetentionDays(3650);
    }));

    assertThat(config).containsEntry("ATRIUM_NETDISK_PERSONAL_QUOTA", "1649267441664B")
        .containsEntry("ATRIUM_NETDISK_SPACE_QUOTA", "500000000000B")
        .containsEntry("ATRIUM_NETDISK_MAX_FILE_SIZE", "536870912B")
        .containsEntry("ATRIUM_NETDISK_VERSIONS_KEPT", "1000")
        .containsEntry("ATRIUM_NETDISK_TRASH_RETENTION", "3650d");
  }

  @Test
  void aPlatformStoredBeforeTheSettingsExistedGetsTheSchemasDefaults() {
    CollaborationPlatform platform = TestPlatforms.example();
    NetdiskSpec bare = new NetdiskSpec();
    bare.setReplicas(2);
    platform.getSpec().setNetdisk(bare);

    assertThat(config(platform)).isEqualTo(config(TestPlatforms.example()));
  }

  @Test
  void aChangeOfTheSettingsRollsNetdiskOnly() {
    Map<String, String> before = hashes(TestPlatforms.example());
    Map<String, String> after = hashes(with(n -> n.setTrashRetentionDays(7)));

    assertThat(after.get("acme-netdisk")).isNotEqualTo(before.get("acme-netdisk"));
    after.remove("acme-netdisk");
    before.remove("acme-netdisk");
    assertThat(after).isEqualTo(before);
  }

  @Test
  void withTlsAtTheFrontDoorLinksAreHttps() {
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getSpec().getIngress().setTlsSecretName("acme-tls");

    assertThat(config(platform)).containsEntry("ATRIUM_NETDISK_PUBLIC_URL", "https://collab.acme.example/netdisk");
  }

  @Test
  void withTheMessageCenterOffItHasNowhereToSendEvents() {
    assertThat(config(TestPlatforms.without(Component.MESSAGE_CENTER)))
        .doesNotContainKey("ATRIUM_MESSAGE_CENTER_URL")
        .containsEntry("ATRIUM_OAUTH_CLIENT_ID", "netdisk");
  }

  @Test
  void withIdentityOffItIsNoClientAndGetsNoTokenEndpoint() {
    // an external provider trusted instead knows none of the platform's clients
    CollaborationPlatform platform = TestPlatforms.withExternalIdentity();

    assertThat(config(platform)).doesNotContainKeys("ATRIUM_OAUTH_CLIENT_ID", "ATRIUM_IDENTITY_TOKEN_URI")
        .containsEntry("ATRIUM_IDENTITY_ISSUER", "https://sso.acme.example/realms/staff")
        .containsEntry("ATRIUM_MESSAGE_CENTER_URL", "http://acme-message-center.acme.svc:8080");
    assertThat(secretRefs(platform)).doesNotContainKey("ATRIUM_OAUTH_CLIENT_SECRET");
  }

  // --- helpers

  private static CollaborationPlatform with(Consumer<NetdiskSpec> change) {
    CollaborationPlatform platform = TestPlatforms.example();
    change.accept(platform.getSpec().getNetdisk());
    return platform;
  }

  private static DesiredState netdisk(CollaborationPlatform platform) {
    return NetdiskModel.from(TestPlatforms.context(platform));
  }

  private static Map<String, String> config(CollaborationPlatform platform) {
    return netdisk(platform).resources().stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
        .findFirst().orElseThrow().getData();
  }

  /** Each variable read from a Secret, as secret/key. */
  private static Map<String, String> secretRefs(CollaborationPlatform platform) {
    Deployment deployment = netdisk(platform).resources().stream().filter(Deployment.class::isInstance)
        .map(Deployment.class::cast).findFirst().orElseThrow();
    List<EnvVar> env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env).allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef()).as(e.getName()).isNotNull());
    return env.stream().collect(Collectors.toMap(EnvVar::getName,
        e -> e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey()));
  }

  /** The config hash of every Deployment's pod template, by name. */
  private static Map<String, String> hashes(CollaborationPlatform platform) {
    return PlatformModel.from(TestPlatforms.context(platform)).resources().stream()
        .filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .collect(Collectors.toMap(d -> d.getMetadata().getName(),
            d -> d.getSpec().getTemplate().getMetadata().getAnnotations().get(ConfigHash.ANNOTATION),
            (a, b) -> a, TreeMap::new));
  }
}
