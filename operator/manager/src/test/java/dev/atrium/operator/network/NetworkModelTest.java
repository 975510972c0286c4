package dev.atrium.operator.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.Component;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Who may connect to a component, and on which ports. */
class NetworkModelTest {

  private static NetworkPolicy policy(Component component) {
    return NetworkModel.admit(TestPlatforms.context(TestPlatforms.example()), component);
  }

  /** For each rule: the app.kubernetes.io/name of the pods it admits, to the ports it opens ("all" for none). */
  private static Map<String, List<String>> rules(NetworkPolicy policy) {
    return policy.getSpec().getIngress().stream().collect(Collectors.toMap(
        rule -> rule.getFrom().stream().map(NetworkPolicyPeer::getPodSelector)
            .map(s -> s.getMatchLabels().get("app.kubernetes.io/name")).sorted().collect(Collectors.joining(",")),
        NetworkModelTest::ports));
  }

  private static List<String> ports(NetworkPolicyIngressRule rule) {
    return rule.getPorts() == null || rule.getPorts().isEmpty() ? List.of("all")
        : rule.getPorts().stream().map(NetworkPolicyPort::getPort).map(p -> p.getStrVal()).toList();
  }

  @Test
  void theObjectStoresClientsReachOnlyS3AndItsServersEachOtherOnEveryPort() {
    // only S3 checks credentials: the master, volume and filer ports are for the store's own servers
    assertThat(rules(policy(Component.OBJECT_STORE)))
        .containsEntry("netdisk", List.of("s3"))
        .containsEntry("object-store", List.of("all"))
        .hasSize(2);
  }

  @Test
  void theCachesClientsReachRedisAndSentinel() {
    // netdisk keeps nothing in Redis, so it is not admitted
    assertThat(rules(policy(Component.CACHE)).get("identity,message-center,webos"))
        .containsExactly("redis", "sentinel");
  }

  @Test
  void theDatabasesClientsIncludeTheObjectStoreOnThePostgresqlPortOnly() {
    assertThat(rules(policy(Component.DATABASE)))
        .containsEntry("identity,message-center,netdisk,object-store,webos", List.of("postgresql"))
        .containsEntry("database", List.of("all"));
  }

  @Test
  void aServiceIsReachedOnItsHttpPort() {
    assertThat(rules(policy(Component.NETDISK))).containsEntry("webos", List.of("http")).hasSize(1);
  }

  @Test
  void netdiskSendsItsEventsToTheMessageCenter() {
    assertThat(rules(policy(Component.MESSAGE_CENTER))).containsOnly(Map.entry("netdisk,webos", List.of("http")));
    CollaborationPlatform withoutNetdisk = TestPlatforms.without(Component.NETDISK);
    assertThat(rules(NetworkModel.admit(TestPlatforms.context(withoutNetdisk), Component.MESSAGE_CENTER)))
        .containsOnly(Map.entry("webos", List.of("http")));
  }
}
