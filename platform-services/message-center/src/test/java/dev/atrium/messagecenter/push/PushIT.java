package dev.atrium.messagecenter.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.Http;
import dev.atrium.messagecenter.testing.MessageCenterInstance;
import dev.atrium.messagecenter.testing.PushClient;
import dev.atrium.messagecenter.testing.TestServers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real-time push with two replicas (two Spring contexts on random ports) sharing PostgreSQL and Redis: what is
 * sent through one reaches sockets on the other, and a client that reconnects with its cursor misses nothing.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushIT {

  private final TestServers.Servers servers;
  private final MessageCenterInstance a;
  private final MessageCenterInstance b;
  private String alice;
  private String bob;

  PushIT(TestServers.Servers servers, MessageCenterInstance shared) {
    this.servers = servers;
    this.a = shared;
    this.b = MessageCenterInstance.start(servers);
  }

  @AfterAll
  void stopSecondReplica() {
    b.close();
  }

  @BeforeEach
  void users() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    alice = "alice-" + run;
    bob = "bob-" + run;
  }

  @Test
  void aUserConnectedToBReceivesWhatWasSentThroughA() {
    String conversation = conversation(a);
    try (PushClient onB = PushClient.connect(b, token(alice), null)) {
      onB.await("hello", f -> "hello".equals(f.path("type").asString()));

      send(a, bob, conversation, "from A");

      var event = onB.await("the message", f -> "event".equals(f.path("type").asString()));
      assertThat(event.path("kind").asString()).isEqualTo("message");
      assertThat(event.path("data").path("body").asString()).isEqualTo("from A");
      assertThat(event.path("data").path("senderId").asString()).isEqualTo(bob);
      assertThat(event.path("data").path("conversationId").asString()).isEqualTo(conversation);
    }
  }

  @Test
  void reconnectingWithTheCursorResumesExactlyWhereItLeftOff() {
    String conversation = conversation(a);
    long cursor;
    try (PushClient first = PushClient.connect(a, token(alice), 0L)) {
      for (int i = 1; i <= 3; i++) {
        send(a, bob, conversation, "before " + i);
      }
      first.awaitEvents(3);
      cursor = first.lastSeq(0);
      assertThat(first.bodies()).containsExactly("before 1", "before 2", "before 3");
    }
    for (int i = 1; i <= 3; i++) {
      send(b, bob, conversation, "while away " + i);
    }
    try (PushClient second = PushClient.connect(b, token(alice), cursor)) {
      second.awaitEvents(3);
      send(a, bob, conversation, "after");
      second.awaitEvents(4);

      assertThat(second.bodies()).containsExactly("while away 1", "while away 2", "while away 3", "after");
      assertThat(second.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(cursor + 1, cursor + 4).boxed()
          .toList());
    }
  }

  @Test
  void reconnectingOverAndOverWhileMessagesFlowLosesAndRepeatsNothing() {
    String conversation = conversation(a);
    int total = 40;
    CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
      for (int i = 1; i <= total; i++) {
        send(i % 2 == 0 ? a : b, bob, conversation, "m" + i);
      }
    });
    List<Long> seqs = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    long cursor = 0;
    int connection = 0;
    while (bodies.size() < total) {
      try (PushClient client = PushClient.connect(connection++ % 2 == 0 ? a : b, token(alice), cursor)) {
        client.awaitEvents(1); // at least one more, then drop the connection mid-stream
        seqs.addAll(client.seqs());
        bodies.addAll(client.bodies());
        cursor = client.lastSeq(cursor);
      }
    }
    sender.join();

    assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    Set<String> expected = new HashSet<>();
    for (int i = 1; i <= total; i++) {
      expected.add("m" + i);
    }
    assertThat(bodies).doesNotHaveDuplicates();
    assertThat(new HashSet<>(bodies)).isEqualTo(expected);
    assertThat(connection).isGreaterThan(1);
  }

  @Test
  void theSendersOtherDevicesGetTheirOwnMessages() {
    String conversation = conversation(a);
    try (PushClient bobsPhone = PushClient.connect(b, token(bob), null)) {
      bobsPhone.await("hello", f -> "hello".equals(f.path("type").asString()));
      send(a, bob, conversation, "from my laptop");

      assertThat(bobsPhone.await("own message", f -> "event".equals(f.path("type").asString()))
          .path("data").path("body").asString()).isEqualTo("from my laptop");
    }
  }

  @Test
  void theStreamNeedsAPersonsToken() {
    assertThat(PushClient.handshakeStatus(a.wsUri("/api/v1/stream"), null)).isEqualTo(401);
    assertThat(PushClient.handshakeStatus(a.wsUri("/api/v1/stream"), servers.jwks().appToken("crm")))
        .isEqualTo(403);
    assertThat(PushClient.handshakeStatus(a.wsUri("/api/v1/stream?after=-3"), token(alice))).isEqualTo(400);
    assertThat(PushClient.handshakeStatus(a.wsUri("/api/v1/stream?after=abc"), token(alice))).isEqualTo(400);
    assertThat(PushClient.handshakeStatus(a.wsUri("/api/v1/stream?access_token=" + token(alice)), null))
        .as("browsers pass the token as a query parameter").isEqualTo(101);
    assertThat(PushClient.handshakeStatus(a.wsUri("/messages/api/v1/stream?access_token=" + token(alice)), null))
        .as("the path the front door routes here").isEqualTo(101);
    assertThat(PushClient.handshakeStatus(a.wsUri("/messages/api/v1/stream"), null)).isEqualTo(401);
  }

  @Test
  void socketsAndDeliveriesAreMeasured() {
    String conversation = conversation(a);
    try (PushClient client = PushClient.connect(b, token(alice), 0L)) {
      send(a, bob, conversation, "measured");
      client.awaitEvents(1);

      String metrics = Http.get(b.uri("/actuator/prometheus"), null).body();
      assertThat(metrics).contains("messagecenter_sockets_open").contains("messagecenter_messages_delivered_total")
          .contains("messagecenter_push_latency_seconds_bucket");
      assertThat(Http.get(a.uri("/actuator/prometheus"), null).body()).contains("messagecenter_messages_sent_total");
    }
  }

  private String conversation(MessageCenterInstance via) {
    return Http.post(via.uri("/api/v1/conversations"), token(alice), Map.of("kind", "DIRECT", "members",
        List.of(bob))).json().path("id").asString();
  }

  private void send(MessageCenterInstance via, String user, String conversation, String body) {
    var response = Http.post(via.uri("/api/v1/conversations/" + conversation + "/messages"), token(user),
        Map.of("clientMessageId", UUID.randomUUID().toString(), "body", body));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
  }

  private String token(String user) {
    return servers.jwks().userToken(user);
  }
}
