package dev.atrium.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.testing.kube.Crds;
import dev.atrium.testing.kube.TestNamespace;
import dev.atrium.testing.kube.WithKubeCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Switching components off on a real API server: a service on with what it cannot work without off is
 * refused naming both fields, and a token consumer may trust a company's own provider (identity.external)
 * instead of identity, but only while identity is off.
 */
@WithKubeCluster
class SwitchingCrdIT {

  private static final String BASE = """
      apiVersion: atrium.dev/v1alpha1
      kind: CollaborationPlatform
      metadata:
        name: %s
      spec:
        version: 1.0.0
        domain: collab.example.com
        webos: {enabled: false}
        netdisk: {enabled: false}
      """;
  private static final Map<String, Object> EXTERNAL = Map.of("issuer", "https://sso.example.com/realms/staff",
      "jwksUri", "https://sso.example.com/realms/staff/protocol/openid-connect/certs");

  @BeforeAll
  static void installCrd(KubernetesClient client) {
    Crds.install(client, CrdDriftTest.crdsDir().resolve(CrdDriftTest.CRD_FILE));
  }

  @Test
  void theMessageCenterWithoutIdentityOrAnExternalProviderIsRefused(KubernetesClient client, TestNamespace ns) {
    var platform = platform("alone", Map.of("enabled", false));
    Refusal.assertRefusedOnce(() -> create(client, ns, platform), "spec",
        "messageCenter.enabled is true but identity.enabled is false", false);
  }

  @Test
  void theMessageCenterTrustsAnExternalProviderWhileIdentityIsOff(KubernetesClient client, TestNamespace ns) {
    var created = create(client, ns, platform("hybrid-later", Map.of("enabled", false, "external", EXTERNAL)));
    @SuppressWarnings("unchecked")
    var identity = (Map<String, Object>) ((Map<String, Object>) created.getAdditionalProperties().get("spec"))
        .get("identity");
    assertThat(identity).containsEntry("external", EXTERNAL);
  }

  @Test
  void anExternalProviderBesideARunningIdentityIsRefused(KubernetesClient client, TestNamespace ns) {
    var platform = platform("both", Map.of("external", EXTERNAL));
    Refusal.assertRefusedOnce(() -> create(client, ns, platform), "spec.identity.external",
        "identity.external is trusted only while identity is switched off", false);
  }

  @Test
  void anExternalProviderNeedsHttpUrls(KubernetesClient client, TestNamespace ns) {
    var platform = platform("no-scheme", Map.of("enabled", false, "external",
        Map.of("issuer", "https://sso.example.com", "jwksUri", "sso.example.com/certs")));
    Refusal.assertRefusedOnce(() -> create(client, ns, platform), "spec.identity.external.jwksUri", "should match",
        false);
  }

  @Test
  void webosStillNeedsIdentityItself(KubernetesClient client, TestNamespace ns) {
    var platform = platform("desk", Map.of("enabled", false, "external", EXTERNAL));
    spec(platform).put("webos", Map.of("enabled", true));
    Refusal.assertRefusedOnce(() -> create(client, ns, platform), "spec",
        "webos.enabled is true but identity.enabled is false", false);
  }

  @Test
  void theTrialExampleIsAccepted(KubernetesClient client, TestNamespace ns) throws java.io.IOException {
    // examples/platform-trial.yaml: what release 1.0.0 runs on one small node (every component, one replica of each)
    String yaml = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("atrium.examples.dir",
        "../../examples")).resolve("platform-trial.yaml"));
    GenericKubernetesResource trial = client.load(new java.io.ByteArrayInputStream(
        yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))).items().stream()
        .filter(i -> "CollaborationPlatform".equals(i.getKind())).map(i -> Serialization.unmarshal(
            Serialization.asJson(i), GenericKubernetesResource.class)).findFirst().orElseThrow();
    trial.getMetadata().setNamespace(null);
    assertThat(create(client, ns, trial).getMetadata().getUid()).isNotBlank();
  }

  private static GenericKubernetesResource platform(String name, Map<String, Object> identity) {
    GenericKubernetesResource platform = Serialization.unmarshal(BASE.formatted(name), GenericKubernetesResource.class);
    spec(platform).put("identity", identity);
    return platform;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource platform) {
    return (Map<String, Object>) platform.getAdditionalProperties().get("spec");
  }

  private static GenericKubernetesResource create(KubernetesClient client, TestNamespace ns,
      GenericKubernetesResource platform) {
    return client.genericKubernetesResources("atrium.dev/v1alpha1", "CollaborationPlatform").inNamespace(ns.name())
        .resource(platform).create();
  }
}
