package dev.atrium.messagecenter.push;

import dev.atrium.servicetesting.TestIssuer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.Http;
import dev.atrium.messagecenter.testing.MessageCenterInstance;
import dev.atrium.messagecenter.testing.PushClient;
import dev.atrium.messagecenter.testing.TestServers;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A push socket's life beyond the happy path: publishes Redis never delivers (caught up before the next entry, or
 * by the sweep when none follows), keepalive pings, and a token that
 * expires while the socket is open. A second replica on the shared database publishes on a channel the shared
 * replica does not listen to, so each of its publishes is, for the shared replica's sockets, a lost one.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushLifecycleIT {

  private final TestServers.Servers servers;
  private final MessageCenterInstance shared;
  private final MessageCenterInstance lossy;
  private String alice;
  private String bob;

  PushLifecycleIT(TestServers.Servers servers, MessageCenterInstance shared) {
    this.servers = servers;
    this.shared = shared;
    this.lossy = MessageCenterInstance.start(servers, servers.database(), Map.of(
        "atrium.message-center.channel-prefix", "nobody-listens",
        "atrium.message-center.socket-ping-interval", "200ms",
        "atrium.message-center.socket-sweep-interval", "300ms"));
  }

  @AfterAll
  void stopLossyReplica() {
    lossy.close();
  }

  @BeforeEach
  void users() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    alice = "alice-" + run;
    bob = "bob-" + run;
  }

  @Test
  void anEntryWhosePublishWasLostComesFromTheDatabaseBeforeTheNextOne() {
    String conversation = Http.post(shared.uri("/api/v1/conversations"), token(bob),
        Map.of("kind", "DIRECT", "members", List.of(alice))).json().path("id").asString();
    try (PushClient phone = PushClient.connect(shared, token(alice), null)) {
      phone.await("hello", f -> "hello".equals(f.path("type").asString()));

      send(lossy, conversation, "lost on the way"); // published where the shared replica does not listen
      send(shared, conversation, "published");

      phone.awaitEvents(2);
      assertThat(phone.bodies()).containsExactly("lost on the way", "published");
      assertThat(phone.seqs().get(1)).isEqualTo(phone.seqs().get(0) + 1);
    }
  }

  @Test
  void anEntryWhosePublishNeverReachedTheReplicaArrivesByTheSweepThoughNothingFollowsIt() {
    String conversation = Http.post(shared.uri("/api/v1/conversations"), token(bob),
        Map.of("kind", "DIRECT", "members", List.of(alice))).json().path("id").asString();
    // connected to the replica that listens elsewhere: no publish of the shared replica reaches this socket
    try (PushClient phone = PushClient.connect(lossy, token(alice), null)) {
      phone.await("hello", f -> "hello".equals(f.path("type").asString()));

      send(shared, conversation, "only in the database");

      phone.awaitEvents(1);
      assertThat(phone.bodies()).containsExactly("only in the database");
      assertThat(Http.get(lossy.uri("/actuator/prometheus"), null).body())
          .containsPattern("messagecenter_push_sweep_recovered_total(\\{[^}]*\\})? [1-9]");
    }
  }

  @Test
  void theServerPingsOpenSockets() {
    try (PushClient phone = PushClient.connect(lossy, token(alice), null)) {
      phone.awaitPings(3);
      assertThat(phone.frames()).extracting(f -> f.path("type").asString()).containsExactly("hello");
    }
  }

  @Test
  void aSocketIsClosedWithAReauthenticationHintWhenItsTokenExpires() {
    String conversation = Http.post(shared.uri("/api/v1/conversations"), token(bob),
        Map.of("kind", "DIRECT", "members", List.of(alice))).json().path("id").asString();
    String shortLived = servers.jwks().sign(TestIssuer.ISSUER, alice, Map.of("principal_type", "user",
        "exp", Date.from(Instant.now().plusSeconds(3))));
    send(shared, conversation, "before expiry");
    try (PushClient phone = PushClient.connect(shared, shortLived, 0L)) {
      var hint = phone.await("reauthenticate", f -> "reauthenticate".equals(f.path("type").asString()));
      // the hint names the last entry this socket sent, whether or not the catch-up got in before expiry
      assertThat(hint.path("after").asLong()).isEqualTo(phone.lastSeq(0));
      assertThat(hint.path("reason").asString()).isEqualTo("token-expired");
      assertThat(phone.awaitClose()).isEqualTo(1008);
    }
  }

  private String token(String user) {
    return servers.jwks().userToken(user);
  }

  private void send(MessageCenterInstance mc, String conversation, String body) {
    Http.Response sent = Http.post(mc.uri("/api/v1/conversations/" + conversation + "/messages"), token(bob),
        Map.of("clientMessageId", UUID.randomUUID().toString(), "body", body));
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
  }
}
