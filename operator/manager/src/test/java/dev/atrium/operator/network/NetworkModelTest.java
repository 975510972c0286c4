package dev.atrium.operator.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.BackupDestination;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.database.BackupWiringTest;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.workload.PlatformContext;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
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

  /**
   * For each rule: the app.kubernetes.io/name of the pods it admits ("front door" for any pod of any namespace, the
   * ingress controller's), to the ports it opens ("all" for none).
   */
  private static Map<String, List<String>> rules(NetworkPolicy policy) {
    return policy.getSpec().getIngress().stream().collect(Collectors.toMap(
        rule -> rule.getFrom().stream().map(NetworkModelTest::who).sorted().collect(Collectors.joining(",")),
        NetworkModelTest::ports));
  }

  private static String who(NetworkPolicyPeer peer) {
    if (peer.getPodSelector() == null && peer.getNamespaceSelector() != null
        && (peer.getNamespaceSelector().getMatchLabels() == null
            || peer.getNamespaceSelector().getMatchLabels().isEmpty())) {
      return "front door";
    }
    return peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name");
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
  void theDatabasesPodsReachEachOtherOnEveryPortAndTheApiServerOnItsPorts() {
    NetworkPolicy policy = policy(Component.DATABASE);
    // PostgreSQL (5432) and Patroni's REST API (8008) between the members: the rule opens every port
    assertThat(rules(policy)).containsEntry("database", List.of("all"));
    // Patroni's leader lock is in the API server; nothing else leaves the database's pods
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getSpec().getEgress()).singleElement().satisfies(rule -> {
      assertThat(rule.getTo()).isNullOrEmpty();
      assertThat(rule.getPorts()).extracting(p -> p.getProtocol() + " " + p.getPort().getIntVal())
          .containsExactly("TCP 443", "TCP 6443");
    });
  }

  @Test
  void withBackupsTheDatabaseReachesTheBucketsPortsOnlyAndTheObjectStoreAdmitsItOnS3() {
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getSpec().setBackup(BackupWiringTest.backup(true, BackupWiringTest.bucket("acme-backups", null,
        "backup-keys")));
    BackupDestination source = BackupWiringTest.bucket("old-backups", null, "old-keys");
    source.setEndpoint("http://old-store.site.example");
    platform.getSpec().setRestore(BackupWiringTest.restore("acme", source, null, null));
    PlatformContext ctx = TestPlatforms.context(platform);

    NetworkPolicy database = NetworkModel.admit(ctx, Component.DATABASE);
    assertThat(database.getSpec().getEgress()).extracting(rule -> rule.getPorts().stream()
            .map(p -> p.getPort().getIntVal()).toList())
        .containsExactly(List.of(443, 6443), List.of(80, 9000));
    assertThat(rules(NetworkModel.admit(ctx, Component.OBJECT_STORE))).containsEntry("database,netdisk", List.of("s3"));
  }

  @Test
  void aServiceIsReachedOnItsHttpPort() {
    assertThat(rules(policy(Component.IDENTITY))).containsOnly(
        Map.entry("message-center,netdisk,webos", List.of("http")));
  }

  @Test
  void netdiskSendsItsEventsToTheMessageCenter() {
    assertThat(rules(policy(Component.MESSAGE_CENTER))).containsEntry("netdisk,webos", List.of("http"));
    CollaborationPlatform withoutNetdisk = TestPlatforms.without(Component.NETDISK);
    assertThat(rules(NetworkModel.admit(TestPlatforms.context(withoutNetdisk), Component.MESSAGE_CENTER)))
        .containsEntry("webos", List.of("http"));
  }

  @Test
  void withWebosTheFrontDoorReachesWebosAndThePushSocketOnly() {
    // every API goes through webos's gateway; only the message center's WebSocket, which it cannot carry, goes past
    Map<String, List<String>> webos = rules(policy(Component.WEBOS));
    assertThat(webos).containsOnly(Map.entry("front door", List.of("http")));
    assertThat(rules(policy(Component.MESSAGE_CENTER))).containsOnly(
        Map.entry("front door", webos.get("front door")),
        Map.entry("netdisk,webos", List.of("http")));
    assertThat(frontDoorRule(policy(Component.MESSAGE_CENTER))).isEqualTo(frontDoorRule(policy(Component.WEBOS)));
    assertThat(rules(policy(Component.NETDISK))).containsOnly(Map.entry("webos", List.of("http")));
    assertThat(NetworkModel.routes(TestPlatforms.context(TestPlatforms.example())))
        .extracting(NetworkModel.Route::path).containsExactly("/", "/messages/api/v1/stream");
  }

  @Test
  void withoutWebosTheFrontDoorReachesNetdiskAsItWouldWebos() {
    CollaborationPlatform withoutWebos = TestPlatforms.without(Component.WEBOS);
    PlatformContext ctx = TestPlatforms.context(withoutWebos);

    assertThat(rules(NetworkModel.admit(ctx, Component.NETDISK))).containsOnly(
        Map.entry("front door", List.of("http")));
    assertThat(frontDoorRule(NetworkModel.admit(ctx, Component.NETDISK)))
        .isEqualTo(frontDoorRule(policy(Component.WEBOS)));
    assertThat(rules(NetworkModel.admit(ctx, Component.MESSAGE_CENTER))).doesNotContainKey("front door");
    assertThat(NetworkModel.routes(ctx)).extracting(NetworkModel.Route::path).containsExactly("/netdisk");
  }

  @Test
  void everyBackendOfTheFrontDoorAdmitsIt() {
    CollaborationPlatform federating = TestPlatforms.withFederation(TestPlatforms.peer("globex", null));
    PlatformContext ctx = TestPlatforms.context(federating);
    List<NetworkModel.Route> routes = NetworkModel.routes(ctx);

    assertThat(routes).extracting(NetworkModel.Route::path)
        .containsExactly("/", "/messages/api/v1/stream", "/federation");
    for (Component component : Component.values()) {
      boolean routed = routes.stream().anyMatch(r -> r.component() == component);
      assertThat(rules(NetworkModel.admit(ctx, component)).containsKey("front door")).as(component.name())
          .isEqualTo(routed);
    }
  }

  @Test
  void theFrontDoorIsAdmittedAlsoWithoutAnIngress() {
    // a site that routes to the Services itself switches the Ingress off
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getSpec().getIngress().setEnabled(false);

    assertThat(NetworkModel.ingress(TestPlatforms.context(platform))).isEmpty();
    assertThat(rules(NetworkModel.admit(TestPlatforms.context(platform), Component.WEBOS)))
        .containsKey("front door");
  }

  @Test
  void theIngressRoutesNetdiskPathUnchangedWhenWebosIsOff() {
    HTTPIngressPath netdisk = NetworkModel.ingress(TestPlatforms.context(TestPlatforms.without(Component.WEBOS)))
        .orElseThrow().getSpec().getRules().get(0).getHttp().getPaths().stream()
        .filter(p -> p.getPath().equals("/netdisk")).findFirst().orElseThrow();

    assertThat(netdisk.getPathType()).isEqualTo("Prefix");
    assertThat(netdisk.getBackend().getService().getName()).isEqualTo("acme-netdisk");
    assertThat(netdisk.getBackend().getService().getPort().getName()).isEqualTo("http");
  }

  private static NetworkPolicyIngressRule frontDoorRule(NetworkPolicy policy) {
    return policy.getSpec().getIngress().stream()
        .filter(r -> r.getFrom().stream().anyMatch(p -> p.getPodSelector() == null)).findFirst().orElseThrow();
  }
}
