package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.GeneratedSecret;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.workload.ConfigHash;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Cross-tenant federation of the message center: its key Secret, env, trust list, route and network. */
class FederationModelTest {

  private static final String KEY_SECRET = "acme-message-center-federation";
  private static final String PRIVATE_KEY_ENV = "ATRIUM_FEDERATION_PRIVATE_KEY";

  private static DesiredState model(CollaborationPlatform platform) {
    return PlatformModel.from(TestPlatforms.context(platform));
  }

  private static DesiredState federating() {
    return model(TestPlatforms.withFederation(TestPlatforms.peer("globex", null), TestPlatforms.peer("initech", 8443)));
  }

  @Test
  void enabledGeneratesOneEd25519KeyPairSecretOwnedByThePlatform() {
    List<GeneratedSecret> keys = federating().secrets().stream()
        .filter(s -> s.metadata().getName().equals(KEY_SECRET)).toList();

    assertThat(keys).singleElement().satisfies(secret -> {
      assertThat(secret.kind()).isEqualTo(GeneratedSecret.Kind.ED25519_KEY_PAIR);
      assertThat(secret.keys()).containsExactly("private-key", "public-key", "key-id");
      assertThat(secret.metadata().getNamespace()).isEqualTo(TestPlatforms.NAMESPACE);
      assertThat(secret.metadata().getLabels()).containsEntry(Labels.INSTANCE, TestPlatforms.NAME);
      assertThat(secret.metadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(TestPlatforms.UID));
    });
    // no other generated Secret is an Ed25519 key (identity's signing key is RSA)
    assertThat(federating().secrets()).filteredOn(s -> !s.metadata().getName().equals(KEY_SECRET))
        .hasSize(8).noneSatisfy(s -> assertThat(s.kind()).isEqualTo(GeneratedSecret.Kind.ED25519_KEY_PAIR));
  }

  @Test
  void theMessageCenterReadsItsKeyFromTheSecretAndOnlyIt() {
    DesiredState desired = federating();

    Map<String, EnvVar> env = messageCenterEnv(desired);
    assertThat(env).containsKeys(PRIVATE_KEY_ENV, "ATRIUM_FEDERATION_PUBLIC_KEY", "ATRIUM_FEDERATION_KEY_ID");
    Map<String, String> refs = new TreeMap<>();
    env.values().stream().filter(e -> e.getName().startsWith("ATRIUM_FEDERATION_")).forEach(e -> {
      assertThat(e.getValue()).as(e.getName()).isNull();
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).as(e.getName()).isEqualTo(KEY_SECRET);
      refs.put(e.getName(), e.getValueFrom().getSecretKeyRef().getKey());
    });
    assertThat(refs).containsExactlyInAnyOrderEntriesOf(Map.of(PRIVATE_KEY_ENV, "private-key",
        "ATRIUM_FEDERATION_PUBLIC_KEY", "public-key", "ATRIUM_FEDERATION_KEY_ID", "key-id"));
    // no key material in any ConfigMap, and no other workload gets the key
    assertThat(of(desired, ConfigMap.class)).allSatisfy(cm -> assertThat(cm.getData())
        .doesNotContainKeys(PRIVATE_KEY_ENV, "ATRIUM_FEDERATION_PUBLIC_KEY", "ATRIUM_FEDERATION_KEY_ID"));
    assertThat(of(desired, Deployment.class)).filteredOn(d -> !d.getMetadata().getName().equals("acme-message-center"))
        .allSatisfy(d -> assertThat(d.toString()).doesNotContain(KEY_SECRET));
  }

  @Test
  void theTrustListIsRenderedAsJsonIntoTheConfigMap() throws Exception {
    String peers = config(federating()).get("ATRIUM_FEDERATION_PEERS");

    JsonNode json = new ObjectMapper().readTree(peers);
    assertThat(json.isArray()).isTrue();
    assertThat(json).hasSize(2);
    assertThat(json.get(0).get("platform").asText()).isEqualTo("globex");
    assertThat(json.get(0).get("endpoint").asText()).isEqualTo("https://collab.globex.example/federation");
    assertThat(json.get(0).get("keyId").asText()).isEqualTo("globex-1");
    assertThat(json.get(0).get("publicKey").asText()).isEqualTo(TestPlatforms.peer("globex", null).getPublicKey());
    assertThat(json.get(1).get("platform").asText()).isEqualTo("initech");
    assertThat(json.get(1).get("endpoint").asText()).isEqualTo("https://collab.initech.example:8443/federation");
    assertThat(json.get(0).size()).as("fields of a peer").isEqualTo(4);
  }

  @Test
  void aChangeOfPeersRollsOnlyTheMessageCenter() {
    Map<String, String> before = configHashes(model(TestPlatforms.withFederation(TestPlatforms.peer("globex", null))));
    Map<String, String> after = configHashes(model(TestPlatforms.withFederation(TestPlatforms.peer("globex", null),
        TestPlatforms.peer("initech", null))));

    assertThat(after.get("acme-message-center")).isNotEqualTo(before.get("acme-message-center"));
    before.remove("acme-message-center");
    after.remove("acme-message-center");
    assertThat(after).isEqualTo(before);
  }

  @Test
  void theFrontDoorRoutesFederationToTheMessageCenterPathUnchanged() {
    Ingress ingress = of(federating(), Ingress.class).get(0);

    List<HTTPIngressPath> paths = ingress.getSpec().getRules().get(0).getHttp().getPaths();
    assertThat(paths).extracting(HTTPIngressPath::getPath).containsExactlyInAnyOrder("/", "/messages/api/v1/stream",
        "/federation");
    HTTPIngressPath federation = paths.stream().filter(p -> p.getPath().equals("/federation")).findFirst().orElseThrow();
    assertThat(federation.getPathType()).isEqualTo("Prefix");
    assertThat(federation.getBackend().getService().getName()).isEqualTo("acme-message-center");
    assertThat(federation.getBackend().getService().getPort().getName()).isEqualTo("http");
  }

  @Test
  void theMessageCenterIsReachableFromTheFrontDoorAndReachesItsPeersPortsOnly() {
    NetworkPolicy policy = named(federating(), NetworkPolicy.class, "acme-message-center");

    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getSpec().getEgress()).singleElement().satisfies(rule -> {
      assertThat(rule.getTo()).as("peers are anywhere outside").isNullOrEmpty();
      assertThat(rule.getPorts()).extracting(NetworkPolicyPort::getProtocol).containsOnly("TCP");
      assertThat(rule.getPorts()).extracting(NetworkPolicyPort::getPort)
          .containsExactly(new IntOrString(443), new IntOrString(8443));
    });
    assertThat(frontDoorRules(policy)).singleElement().satisfies(rule ->
        assertThat(rule.getPorts()).extracting(NetworkPolicyPort::getPort).containsExactly(new IntOrString("http")));
  }

  @Test
  void enabledWithoutPeersHasItsKeyAndRouteButOpensNoEgress() {
    DesiredState desired = model(TestPlatforms.withFederation());

    assertThat(desired.secrets()).extracting(s -> s.metadata().getName()).contains(KEY_SECRET);
    assertThat(config(desired)).containsEntry("ATRIUM_FEDERATION_PEERS", "[]");
    NetworkPolicy policy = named(desired, NetworkPolicy.class, "acme-message-center");
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
  }

  @Test
  void disabledHasNoneOfIt() {
    DesiredState desired = model(TestPlatforms.example());

    assertThat(desired.secrets()).extracting(s -> s.metadata().getName()).doesNotContain(KEY_SECRET);
    assertThat(desired.secrets()).noneSatisfy(s -> assertThat(s.kind()).isEqualTo(GeneratedSecret.Kind.ED25519_KEY_PAIR));
    assertThat(messageCenterEnv(desired)).doesNotContainKeys(PRIVATE_KEY_ENV, "ATRIUM_FEDERATION_PUBLIC_KEY",
        "ATRIUM_FEDERATION_KEY_ID");
    assertThat(config(desired)).doesNotContainKey("ATRIUM_FEDERATION_PEERS")
        .containsEntry("ATRIUM_FEDERATION_ENDPOINT", "http://collab.acme.example/federation");
    assertThat(of(desired, Ingress.class).get(0).getSpec().getRules().get(0).getHttp().getPaths())
        .extracting(HTTPIngressPath::getPath).containsExactly("/", "/messages/api/v1/stream");
    NetworkPolicy policy = named(desired, NetworkPolicy.class, "acme-message-center");
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
    // the front door reaches it for the push socket only, and only while webos serves the rest
    assertThat(frontDoorRules(named(model(TestPlatforms.without(Component.WEBOS)), NetworkPolicy.class,
        "acme-message-center"))).isEmpty();
  }

  @Test
  void peersOfADisabledFederationAreIgnored() {
    CollaborationPlatform platform = TestPlatforms.withFederation(TestPlatforms.peer("globex", null));
    platform.getSpec().getMessageCenter().getFederation().setEnabled(false);

    assertThat(Optional.ofNullable(config(model(platform)).get("ATRIUM_FEDERATION_PEERS"))).isEmpty();
    assertThat(configHashes(model(platform))).isEqualTo(configHashes(model(TestPlatforms.example())));
  }

  // --- helpers

  /** Ingress rules admitting any namespace: the ingress controller's. */
  private static List<NetworkPolicyIngressRule> frontDoorRules(NetworkPolicy policy) {
    return policy.getSpec().getIngress().stream().filter(r -> r.getFrom() != null && r.getFrom().stream()
        .anyMatch(p -> p.getNamespaceSelector() != null && p.getPodSelector() == null)).toList();
  }

  private static Map<String, String> config(DesiredState desired) {
    return named(desired, ConfigMap.class, "acme-message-center-config").getData();
  }

  private static Map<String, EnvVar> messageCenterEnv(DesiredState desired) {
    Deployment deployment = named(desired, Deployment.class, "acme-message-center");
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  private static Map<String, String> configHashes(DesiredState desired) {
    Map<String, String> hashes = new TreeMap<>();
    of(desired, Deployment.class).forEach(d -> hashes.put(d.getMetadata().getName(),
        d.getSpec().getTemplate().getMetadata().getAnnotations().get(ConfigHash.ANNOTATION)));
    return hashes;
  }

  private static <T extends HasMetadata> List<T> of(DesiredState desired, Class<T> kind) {
    return desired.resources().stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  private static <T extends HasMetadata> T named(DesiredState desired, Class<T> kind, String name) {
    return of(desired, kind).stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
  }
}
