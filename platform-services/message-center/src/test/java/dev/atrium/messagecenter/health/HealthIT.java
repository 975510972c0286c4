package dev.atrium.messagecenter.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.Http;
import dev.atrium.messagecenter.testing.MessageCenterInstance;
import dev.atrium.servicetesting.PostgresServer;
import dev.atrium.messagecenter.testing.PushClient;
import dev.atrium.servicetesting.RedisServer;
import dev.atrium.messagecenter.testing.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Probes and shutdown. This class takes its database and Redis down and back, so it runs them on its own
 * PostgreSQL and Redis servers, not the ones the other tests share.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthIT {

  private final PostgresServer postgres = PostgresServer.start();
  private final RedisServer redis = RedisServer.start();
  private final TestServers.Servers own;
  private final MessageCenterInstance mc;

  HealthIT(TestServers.Servers shared) {
    postgres.createDatabase("messages");
    own = new TestServers.Servers(postgres, redis, shared.jwks(), "messages");
    mc = MessageCenterInstance.start(own);
  }

  @AfterAll
  void stop() {
    try (postgres; redis; mc) {
      // closed in reverse order
    }
  }

  @Test
  void notReadyWhileTheDatabaseIsDownButStillLive() {
    awaitReadiness(200);

    postgres.stopServer();
    try {
      JsonNode readiness = awaitReadiness(503);
      assertThat(readiness.path("components").path("db").path("status").asString()).isEqualTo("DOWN");
      assertThat(Http.get(mc.uri("/actuator/health/liveness"), null).status()).isEqualTo(200);
    } finally {
      postgres.startServer();
    }
    awaitReadiness(200);
  }

  @Test
  void notReadyWhileRedisIsDownButStillLive() {
    awaitReadiness(200);

    redis.stopServer();
    try {
      JsonNode readiness = awaitReadiness(503);
      assertThat(readiness.path("components").path("redis").path("status").asString()).isEqualTo("DOWN");
      assertThat(Http.get(mc.uri("/actuator/health/liveness"), null).status()).isEqualTo(200);
    } finally {
      redis.startServer();
    }
    awaitReadiness(200);
  }

  @Test
  void shutdownDrainsNotReadyThenTellsSocketsToReconnectFromTheirCursor() {
    MessageCenterInstance draining = MessageCenterInstance.start(own, own.database(),
        Map.of("atrium.message-center.drain-delay", "6s"));
    String alice = "alice-" + UUID.randomUUID();
    String bob = "bob-" + UUID.randomUUID();
    String conversation = Http.post(draining.uri("/api/v1/conversations"), own.jwks().userToken(alice),
        Map.of("kind", "DIRECT", "members", List.of(bob))).json().path("id").asString();
    try (PushClient client = PushClient.connect(draining, own.jwks().userToken(alice), 0L)) {
      send(draining, bob, conversation, "before shutdown");
      client.awaitEvents(1);

      CompletableFuture<Void> shutdown = CompletableFuture.runAsync(draining::close);
      awaitReadiness(draining, 503);
      send(draining, bob, conversation, "while draining"); // still served: in-flight work goes on
      client.awaitEvents(2);
      JsonNode hint = client.await("reconnect hint", f -> "reconnect".equals(f.path("type").asString()));
      shutdown.join();

      assertThat(hint.path("after").asLong()).isEqualTo(client.lastSeq(0));
      assertThat(hint.path("reason").asString()).isEqualTo("shutting-down");
      assertThat(client.awaitClose()).isEqualTo(1012);
      assertThat(client.bodies()).containsExactly("before shutdown", "while draining");
    }
  }

  private void send(MessageCenterInstance via, String user, String conversation, String body) {
    var response = Http.post(via.uri("/api/v1/conversations/" + conversation + "/messages"),
        own.jwks().userToken(user), Map.of("clientMessageId", UUID.randomUUID().toString(), "body", body));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
  }

  private JsonNode awaitReadiness(int status) {
    return awaitReadiness(mc, status);
  }

  private static JsonNode awaitReadiness(MessageCenterInstance instance, int status) {
    Awaitility.await("readiness " + status).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> Http.get(instance.uri("/actuator/health/readiness"), null).status() == status);
    return Http.get(instance.uri("/actuator/health/readiness"), null).json();
  }
}
