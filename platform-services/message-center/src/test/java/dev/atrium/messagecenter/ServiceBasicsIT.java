package dev.atrium.messagecenter;

import dev.atrium.servicetesting.TestIssuer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.Http;
import dev.atrium.messagecenter.testing.MessageCenterInstance;
import dev.atrium.messagecenter.testing.TestServers;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The service up against real PostgreSQL, Redis and JWKS: probes, metrics, API description, refusals. */
@ExtendWith(TestServers.class)
class ServiceBasicsIT {

  @Test
  void probesAreUpWhenTheDatabaseAndRedisAre(MessageCenterInstance mc) {
    var liveness = Http.get(mc.uri("/actuator/health/liveness"), null);
    var readiness = Http.get(mc.uri("/actuator/health/readiness"), null);

    assertThat(liveness.status()).isEqualTo(200);
    assertThat(liveness.json().path("status").asString()).isEqualTo("UP");
    assertThat(readiness.status()).isEqualTo(200);
    assertThat(readiness.json().path("status").asString()).isEqualTo("UP");
  }

  @Test
  void prometheusMetricsCarryThePlatform(MessageCenterInstance mc) {
    var metrics = Http.get(mc.uri("/actuator/prometheus"), null);

    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("platform=\"it\"");
  }

  @Test
  void openApiDescribesTheApiAndItsBearerAuth(MessageCenterInstance mc) {
    var api = Http.get(mc.uri("/v3/api-docs"), null);

    assertThat(api.status()).isEqualTo(200);
    assertThat(api.json().path("openapi").asString()).startsWith("3.");
    assertThat(api.json().path("components").path("securitySchemes").path("bearer").path("scheme").asString())
        .isEqualTo("bearer");
  }

  @Test
  void noTokenIsA401ProblemWithAChallenge(MessageCenterInstance mc) {
    var response = Http.get(mc.uri("/api/v1/conversations"), null);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.json().path("type").asString()).isEqualTo("urn:atrium:problem:unauthenticated");
    assertThat(response.json().path("detail").asString()).contains("Authorization: Bearer");
  }

  @Test
  void aTokenSignedWithAnUnknownKeyIsRefused(MessageCenterInstance mc) {
    String token = TestIssuer.signWithUnknownKey("mallory", Map.of("principal_type", "user"));

    assertThat(Http.get(mc.uri("/api/v1/conversations"), token).status()).isEqualTo(401);
  }

  @Test
  void aTokenFromAnotherIssuerIsRefused(TestServers.Servers servers, MessageCenterInstance mc) {
    String token = servers.jwks().sign("http://elsewhere.test/auth", "alice", Map.of("principal_type", "user"));

    assertThat(Http.get(mc.uri("/api/v1/conversations"), token).status()).isEqualTo(401);
  }

  @Test
  void aTokenWithoutPrincipalTypeIsRefusedSayingWhy(TestServers.Servers servers, MessageCenterInstance mc) {
    String token = servers.jwks().sign(TestIssuer.ISSUER, "alice", Map.of());

    var response = Http.get(mc.uri("/api/v1/conversations"), token);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.json().path("detail").asString()).contains("principal_type");
  }

  @Test
  void anOversizeBodyIsRefusedWith413BeforeAnythingReadsIt(TestServers.Servers servers, MessageCenterInstance mc) {
    String big = "{\"body\":\"" + "x".repeat(70 * 1024) + "\"}";

    var response = Http.send(Http.builder(mc.uri("/api/v1/conversations"), servers.jwks().userToken("alice"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(big)));

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.json().path("type").asString()).isEqualTo("urn:atrium:problem:payload-too-large");
  }
}
