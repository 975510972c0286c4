package dev.atrium.webos.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ProxiedRequestsObservationTest {

  private final ProxiedRequestsObservation predicate = new ProxiedRequestsObservation(List.of("/auth", "/netdisk"));

  @Test
  void forwardedRequestsAreNotObservedAsServerRequests() {
    assertThat(predicate.test("http.server.requests", server("/apps/crm/api/customers"))).isFalse();
    assertThat(predicate.test("http.server.requests", server("/apps/crm"))).isFalse();
    assertThat(predicate.test("http.server.requests", server("/auth"))).isFalse();
    assertThat(predicate.test("http.server.requests", server("/auth/oauth2/token"))).isFalse();
    assertThat(predicate.test("http.server.requests", server("/netdisk/api/v1/recent"))).isFalse();
  }

  @Test
  void webosOwnEndpointsAndRoutesNotConfiguredAreStillObserved() {
    for (String path : List.of("/webos/api/v1/admin/routes", "/webos/api/v1/market/catalogue", "/", "/portal/token",
        "/actuator/prometheus", "/admin/usage", "/apps/", "/apps", "/authx", "/netdiskette/x",
        "/messages/api/v1/unread")) {
      assertThat(predicate.test("http.server.requests", server(path))).as(path).isTrue();
    }
  }

  @Test
  void otherObservationsAreLeftAlone() {
    assertThat(predicate.test("something.else", server("/apps/crm/x"))).isTrue();
    assertThat(predicate.test("http.server.requests", new Observation.Context())).isTrue();
  }

  private static ServerRequestObservationContext server(String path) {
    return new ServerRequestObservationContext(new MockHttpServletRequest("GET", path),
        new MockHttpServletResponse());
  }
}
