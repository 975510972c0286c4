package dev.atrium.webos.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformRoutesTest {

  @Test
  void aRouteForEachServiceNamedAndNoneForTheOthers() {
    PlatformRoutes routes = PlatformRoutes.from(Map.of(
        "ATRIUM_GATEWAY_ROUTES_IDENTITY", "http://p-identity.ns.svc:8080",
        "ATRIUM_GATEWAY_ROUTES_MESSAGE_CENTER", "http://p-message-center.ns.svc:8080",
        "ATRIUM_GATEWAY_PODS_MESSAGE_CENTER", "p-message-center-pods.ns.svc:8080",
        "ATRIUM_PLATFORM", "p"));
    assertThat(routes.upstream(PlatformRoute.IDENTITY)).contains(new Upstream(PlatformRoute.IDENTITY,
        URI.create("http://p-identity.ns.svc:8080"), Optional.empty()));
    assertThat(routes.upstream(PlatformRoute.MESSAGE_CENTER).orElseThrow().pods())
        .contains(new Upstream.Pods("p-message-center-pods.ns.svc", 8080));
    assertThat(routes.upstream(PlatformRoute.NETDISK)).isEmpty();
    assertThat(routes.all()).hasSize(2);
  }

  @Test
  void anEmptyValueIsNoRoute() {
    assertThat(PlatformRoutes.from(Map.of("ATRIUM_GATEWAY_ROUTES_NETDISK", " ")).all()).isEmpty();
  }

  @Test
  void malformedValuesStopTheStartNamingTheVariable() {
    assertThatThrownBy(() -> PlatformRoutes.from(Map.of("ATRIUM_GATEWAY_ROUTES_NETDISK", "http://n:8080/x")))
        .hasMessageContaining("ATRIUM_GATEWAY_ROUTES_NETDISK must be http(s)://host[:port] without a path");
    assertThatThrownBy(() -> PlatformRoutes.from(Map.of("ATRIUM_GATEWAY_ROUTES_CALENDAR", "http://c:8080")))
        .hasMessageContaining("ATRIUM_GATEWAY_ROUTES_CALENDAR names no service the gateway knows");
    assertThatThrownBy(() -> PlatformRoutes.from(Map.of("ATRIUM_GATEWAY_ROUTES_NETDISK", "http://n:8080",
        "ATRIUM_GATEWAY_PODS_NETDISK", "n-pods")))
        .hasMessageContaining("ATRIUM_GATEWAY_PODS_NETDISK must be <headless-service-host>:<port>");
  }

  @Test
  void serviceIdsAndPrefixes() {
    assertThat(PlatformRoute.MESSAGE_CENTER.serviceId()).isEqualTo("message-center");
    assertThat(PlatformRoute.IDENTITY.prefix()).isEqualTo("/auth");
    assertThat(PlatformRoute.IDENTITY.stripPrefix()).isTrue();
    assertThat(PlatformRoute.NETDISK.stripPrefix()).isFalse();
  }
}
