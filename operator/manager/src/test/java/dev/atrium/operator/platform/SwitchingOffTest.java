package dev.atrium.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.AutoscalingSpec;
import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.database.DatabaseModel;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What the models want when components, autoscaling or the front door are switched off: what they leave out
 * is what the reconciler prunes, so these are the pruning decisions, checked without a cluster.
 */
class SwitchingOffTest {

  private static DesiredState model(CollaborationPlatform platform) {
    return PlatformModel.from(TestPlatforms.context(platform));
  }

  private static CollaborationPlatform exampleWith(Consumer<CollaborationPlatform> change) {
    CollaborationPlatform platform = TestPlatforms.example();
    change.accept(platform);
    return platform;
  }

  private static List<String> names(DesiredState desired) {
    return desired.resources().stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).toList();
  }

  private static <T extends HasMetadata> T find(DesiredState desired, Class<T> kind, String name) {
    return desired.resources().stream().filter(kind::isInstance).map(kind::cast)
        .filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElse(null);
  }

  @Test
  void aSwitchedOffServiceHasNoObjectsLeft() {
    List<String> all = names(model(TestPlatforms.example()));
    List<String> withoutNetdisk = names(model(TestPlatforms.without(Component.NETDISK)));

    assertThat(all).filteredOn(n -> n.endsWith("/acme-netdisk") || n.endsWith("/acme-netdisk-config"))
        .containsExactlyInAnyOrder("ConfigMap/acme-netdisk-config", "Deployment/acme-netdisk", "Service/acme-netdisk",
            "PodDisruptionBudget/acme-netdisk", "NetworkPolicy/acme-netdisk");
    assertThat(withoutNetdisk).noneMatch(n -> n.contains("netdisk"));
    // everything else stays as it was, except the rules and routes that named netdisk
    assertThat(all).filteredOn(n -> !n.contains("netdisk")).containsExactlyInAnyOrderElementsOf(withoutNetdisk);
  }

  @Test
  void aSwitchedOffServicesDatabaseIsKeptAndTheDatabasePodsDoNotRoll() {
    var with = find(model(TestPlatforms.example()), io.fabric8.kubernetes.api.model.apps.StatefulSet.class,
        "acme-database");
    var without = find(model(TestPlatforms.without(Component.NETDISK, Component.WEBOS)),
        io.fabric8.kubernetes.api.model.apps.StatefulSet.class, "acme-database");
    assertThat(without).isEqualTo(with);
    assertThat(DatabaseModel.DATABASES).contains("netdisk").contains("webos");
  }

  @Test
  void generatedCredentialsAreWantedWhatEverIsSwitchedOff() {
    // the Secrets stay either way (nothing prunes a Secret); the data stores' credentials are always generated
    assertThat(model(TestPlatforms.without(Component.NETDISK, Component.WEBOS, Component.MESSAGE_CENTER,
        Component.IDENTITY)).secrets()).extracting(s -> s.metadata().getName())
        .containsExactly("acme-database-credentials", "acme-cache-credentials", "acme-object-store-credentials");
  }

  @Test
  void theDataStoresAdmitOnlySwitchedOnClients() {
    DesiredState desired = model(TestPlatforms.without(Component.NETDISK));
    assertThat(clients(find(desired, NetworkPolicy.class, "acme-database")))
        .containsExactlyInAnyOrder("identity", "message-center", "webos", "object-store", "database");
    assertThat(clients(find(desired, NetworkPolicy.class, "acme-object-store"))).containsExactly("object-store");
    assertThat(clients(find(model(TestPlatforms.example()), NetworkPolicy.class, "acme-object-store")))
        .containsExactlyInAnyOrder("netdisk", "object-store");
  }

  @Test
  void theGatewayRoutesOnlyToSwitchedOnServices() {
    ConfigMap with = find(model(TestPlatforms.example()), ConfigMap.class, "acme-webos-config");
    ConfigMap without = find(model(TestPlatforms.without(Component.NETDISK)), ConfigMap.class, "acme-webos-config");
    assertThat(with.getData()).containsKey("ATRIUM_GATEWAY_ROUTES_NETDISK");
    assertThat(without.getData()).doesNotContainKey("ATRIUM_GATEWAY_ROUTES_NETDISK")
        .containsKey("ATRIUM_GATEWAY_ROUTES_MESSAGE_CENTER");
  }

  @Test
  void theFrontDoorRoutesOnlyToSwitchedOnServicesAndGoesWithoutThem() {
    CollaborationPlatform federating = TestPlatforms.withFederation(TestPlatforms.peer("globex", null));
    assertThat(paths(find(model(federating), Ingress.class, "acme")))
        .containsExactly("/", "/messages/api/v1/stream", "/federation");

    federating.getSpec().getWebos().setEnabled(false);
    assertThat(paths(find(model(federating), Ingress.class, "acme"))).containsExactly("/federation", "/netdisk");
    federating.getSpec().getWebos().setEnabled(true);

    federating.getSpec().getNetdisk().setEnabled(false);
    assertThat(paths(find(model(federating), Ingress.class, "acme")))
        .containsExactly("/", "/messages/api/v1/stream", "/federation");

    federating.getSpec().getWebos().setEnabled(false);
    assertThat(paths(find(model(federating), Ingress.class, "acme"))).containsExactly("/federation");

    federating.getSpec().getMessageCenter().setEnabled(false);
    assertThat(find(model(federating), Ingress.class, "acme")).isNull();
    // and the message center's federation rules and peers' ports go with it
    assertThat(find(model(federating), NetworkPolicy.class, "acme-message-center")).isNull();
  }

  @Test
  void ingressSwitchedOffIsNotWanted() {
    DesiredState desired = model(exampleWith(p -> p.getSpec().getIngress().setEnabled(false)));
    assertThat(find(desired, Ingress.class, "acme")).isNull();
    assertThat(names(desired)).contains("Service/acme-webos");
  }

  @Test
  void autoscalingRemovedLeavesNoAutoscalerAndTheReplicasToTheSpec() {
    DesiredState desired = model(exampleWith(p -> p.getSpec().getMessageCenter().setAutoscaling(null)));
    assertThat(names(desired)).doesNotContain("HorizontalPodAutoscaler/acme-message-center");
    assertThat(find(desired, io.fabric8.kubernetes.api.model.apps.Deployment.class, "acme-message-center")
        .getSpec().getReplicas()).isEqualTo(2);
    assertThat(desired.kept()).isEmpty();
  }

  @Test
  void anAutoscalerWhosePolicyIsMissingIsKeptExplicitly() {
    AutoscalingSpec byPolicy = new AutoscalingSpec();
    byPolicy.setPolicy("office-hours");
    // the context has no plan for the policy, as when the policy does not exist
    DesiredState desired = model(exampleWith(p -> p.getSpec().getMessageCenter().setAutoscaling(byPolicy)));
    assertThat(names(desired)).doesNotContain("HorizontalPodAutoscaler/acme-message-center");
    assertThat(desired.kept()).singleElement().satisfies(kept -> {
      assertThat(kept.kind()).isEqualTo("HorizontalPodAutoscaler");
      assertThat(kept.name()).isEqualTo("acme-message-center");
      assertThat(kept.why()).contains("office-hours");
    });
    // and the Deployment still leaves its replicas to that autoscaler
    assertThat(find(desired, io.fabric8.kubernetes.api.model.apps.Deployment.class, "acme-message-center")
        .getSpec().getReplicas()).isNull();
  }

  private static List<String> clients(NetworkPolicy policy) {
    return policy.getSpec().getIngress().stream().flatMap(rule -> rule.getFrom().stream())
        .map(NetworkPolicyPeer::getPodSelector).filter(Objects::nonNull)
        .map(selector -> selector.getMatchLabels().get("app.kubernetes.io/name")).toList();
  }

  private static List<String> paths(Ingress ingress) {
    return ingress.getSpec().getRules().get(0).getHttp().getPaths().stream().map(p -> p.getPath()).toList();
  }
}
