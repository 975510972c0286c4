package dev.atrium.operator.webos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Webos's environment and the headless Services its gateway balances over: the contract with the service. */
class WebosModelTest {

  @Test
  void theGatewayGetsEachSwitchedOnServicesAddressAndItsReadyPods() {
    Map<String, String> config = config(TestPlatforms.example());

    assertThat(config)
        .containsEntry("ATRIUM_GATEWAY_ROUTES_IDENTITY", "http://acme-identity.acme.svc:8080")
        .containsEntry("ATRIUM_GATEWAY_PODS_IDENTITY", "acme-identity-pods.acme.svc:8080")
        .containsEntry("ATRIUM_GATEWAY_ROUTES_MESSAGE_CENTER", "http://acme-message-center.acme.svc:8080")
        .containsEntry("ATRIUM_GATEWAY_PODS_MESSAGE_CENTER", "acme-message-center-pods.acme.svc:8080")
        .containsEntry("ATRIUM_GATEWAY_ROUTES_NETDISK", "http://acme-netdisk.acme.svc:8080")
        .containsEntry("ATRIUM_GATEWAY_PODS_NETDISK", "acme-netdisk-pods.acme.svc:8080")
        .containsEntry("ATRIUM_WEBOS_PUBLIC_URL", "http://collab.acme.example")
        .containsKey("SPRING_DATA_REDIS_SENTINEL_NODES");
    // the data stores are not routed: only the platform services' APIs are
    assertThat(config.keySet().stream().filter(k -> k.startsWith("ATRIUM_GATEWAY_"))).hasSize(6);
  }

  @Test
  void theHeadlessServicesListOnlyReadyPodsOfTheirComponent() {
    List<Service> services = podsServices(TestPlatforms.example());

    assertThat(services).extracting(s -> s.getMetadata().getName())
        .containsExactly("acme-identity-pods", "acme-message-center-pods", "acme-netdisk-pods");
    Service netdisk = services.get(2);
    assertThat(netdisk.getSpec().getClusterIP()).isEqualTo("None");
    // a pod that is not ready must not be chosen: the default, said here so nobody flips it for the stores' reasons
    assertThat(netdisk.getSpec().getPublishNotReadyAddresses()).isNull();
    assertThat(netdisk.getSpec().getSelector()).containsEntry("app.kubernetes.io/name", "netdisk")
        .containsEntry("app.kubernetes.io/instance", "acme");
    assertThat(netdisk.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "netdisk");
  }

  @Test
  void aSwitchedOffServiceHasNoRouteAndNoHeadlessService() {
    CollaborationPlatform withoutNetdisk = TestPlatforms.without(Component.NETDISK);

    assertThat(config(withoutNetdisk)).doesNotContainKeys("ATRIUM_GATEWAY_ROUTES_NETDISK",
        "ATRIUM_GATEWAY_PODS_NETDISK");
    assertThat(podsServices(withoutNetdisk)).extracting(s -> s.getMetadata().getName())
        .doesNotContain("acme-netdisk-pods");
  }

  @Test
  void theFrontDoorsSchemeFollowsItsCertificate() {
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getSpec().getIngress().setTlsSecretName("collab-tls");

    assertThat(config(platform)).containsEntry("ATRIUM_WEBOS_PUBLIC_URL", "https://collab.acme.example");
  }

  private static DesiredState webos(CollaborationPlatform platform) {
    return WebosModel.from(TestPlatforms.context(platform));
  }

  private static Map<String, String> config(CollaborationPlatform platform) {
    return webos(platform).resources().stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
        .findFirst().orElseThrow().getData();
  }

  private static List<Service> podsServices(CollaborationPlatform platform) {
    return webos(platform).resources().stream().filter(Service.class::isInstance).map(Service.class::cast)
        .filter(s -> s.getMetadata().getName().endsWith("-pods")).toList();
  }
}
