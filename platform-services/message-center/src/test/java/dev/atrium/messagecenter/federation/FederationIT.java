package dev.atrium.messagecenter.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.FreePort;
import dev.atrium.servicetesting.Http;
import dev.atrium.messagecenter.testing.MessageCenterInstance;
import dev.atrium.messagecenter.testing.PushClient;
import dev.atrium.messagecenter.testing.TestServers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two platforms, acme and globex: two message centers with databases, signing keys and trust lists of their
 * own (one PostgreSQL server, one Redis with a channel prefix each), federating messages between their people.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FederationIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final TestServers.Servers servers;
  private final Platform acme;
  private final Platform globex;
  private MessageCenterInstance a;
  private MessageCenterInstance b;
  private String alice;
  private String bob;

  FederationIT(TestServers.Servers servers) {
    this.servers = servers;
    this.acme = new Platform("acme", servers.newDatabase(), FreePort.pick(), keys());
    this.globex = new Platform("globex", servers.newDatabase(), FreePort.pick(), keys());
    this.a = start(acme, globex);
    this.b = start(globex, acme);
  }

  @AfterAll
  void stop() {
    try (MessageCenterInstance first = a; MessageCenterInstance second = b) {
      // closed in reverse order
    }
  }

  @BeforeEach
  void people() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    alice = "alice-" + run;
    bob = "bob-" + run;
  }

  @Test
  void aMessageToUserAtPeerReachesTheirStreamAndTheReplyComesBack() {
    String conversation = openWithBob();
    try (PushClient bobsPhone = PushClient.connect(b, token(bob), 0L);
        PushClient alicesPhone = PushClient.connect(a, token(alice), null)) {
      alicesPhone.await("hello", f -> "hello".equals(f.path("type").asString()));
      send(a, alice, conversation, "hello globex");

      JsonNode event = bobsPhone.await("the federated message", f -> "event".equals(f.path("type").asString()));
      assertThat(event.path("data").path("body").asString()).isEqualTo("hello globex");
      assertThat(event.path("data").path("senderId").asString()).isEqualTo(alice + "@acme");

      // on globex the message sits in bob's 1:1 conversation with alice@acme, which his reply goes to
      String mirror = event.path("data").path("conversationId").asString();
      JsonNode onGlobex = Http.get(b.uri("/api/v1/conversations/" + mirror), token(bob)).json();
      assertThat(onGlobex.path("kind").asString()).isEqualTo("DIRECT");
      assertThat(onGlobex.path("members").findValuesAsString("userId")).containsExactlyInAnyOrder(bob,
          alice + "@acme");
      send(b, bob, mirror, "hello acme");

      JsonNode reply = alicesPhone.await("the reply", f -> "event".equals(f.path("type").asString())
          && f.path("data").path("senderId").asString().equals(bob + "@globex"));
      assertThat(reply.path("data").path("conversationId").asString())
          .as("the reply lands in alice's conversation with bob@globex").isEqualTo(conversation);
      assertThat(bodies(a, alice, conversation)).containsExactly("hello globex", "hello acme");
    }
  }

  @Test
  void whileThePeerIsDownMessagesWaitInTheOutboxThenArriveOnceInOrder() {
    String conversation = openWithBob();
    send(a, alice, conversation, "before the outage");
    awaitBodies(bob, List.of("before the outage"));

    b.close();
    double failuresBefore = metric(a, "messagecenter_federation_relay_failures_total");
    List<String> sent = new ArrayList<>(List.of("before the outage"));
    for (int i = 1; i <= 5; i++) {
      send(a, alice, conversation, "during the outage " + i);
      sent.add("during the outage " + i);
    }
    Awaitility.await("outbox holds the five").atMost(Duration.ofSeconds(30))
        .until(() -> metric(a, "messagecenter_federation_outbox_depth") == 5
            && metric(a, "messagecenter_federation_relay_failures_total") > failuresBefore);

    b = start(globex, acme);
    awaitBodies(bob, sent);
    Awaitility.await("outbox drained").atMost(Duration.ofSeconds(30))
        .until(() -> metric(a, "messagecenter_federation_outbox_depth") == 0);

    // a delivery whose acknowledgement was lost is sent again: the receiver keeps one copy
    int again = jdbc(a).sql("UPDATE federation_outbox SET delivered_at = NULL WHERE payload LIKE :sender")
        .param("sender", "%\"" + alice + "\"%").update();
    assertThat(again).isEqualTo(6);
    double deliveredBefore = metric(a, "messagecenter_federation_relay_delivered_total");
    send(a, alice, conversation, "after the outage"); // wakes the relay
    sent.add("after the outage");
    Awaitility.await("redelivered").atMost(Duration.ofSeconds(30))
        .until(() -> metric(a, "messagecenter_federation_outbox_depth") == 0
            && metric(a, "messagecenter_federation_relay_delivered_total") >= deliveredBefore + 7);
    awaitBodies(bob, sent);
    JsonNode page = history(b, bob, mirror(bob));
    List<Long> seqs = new ArrayList<>();
    page.path("messages").forEach(m -> seqs.add(m.path("seq").asLong()));
    assertThat(seqs).containsExactly(7L, 6L, 5L, 4L, 3L, 2L, 1L);
  }

  @Test
  void tamperedUntrustedExpiredAndReplayedRequestsAreRefusedAndStoreNothing() {
    long storedBefore = received(b);
    byte[] body = payload(alice, bob, "forged?");
    FederationTokens acmeSigner = a.bean(FederationTokens.class);

    // signed for another body
    Http.Response tampered = deliver(acmeSigner.authorization("globex", payload(alice, bob, "original")), body);
    assertProblem(tampered, 401, "invalid-signature");
    // a platform globex does not trust
    Http.Response untrusted = deliver(signer("initech", keys(), Clock.systemUTC()).authorization("globex", body),
        body);
    assertProblem(untrusted, 403, "untrusted-peer");
    // acme's name, another key
    Http.Response forged = deliver(signer("acme", keys(), Clock.systemUTC()).authorization("globex", body), body);
    assertProblem(forged, 401, "invalid-signature");
    // acme's key, but signed five minutes ago
    Clock fiveMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5));
    Http.Response expired = deliver(signer("acme", acme.keys(), fiveMinutesAgo).authorization("globex", body), body);
    assertProblem(expired, 401, "token-expired");
    // meant for another platform
    assertProblem(deliver(acmeSigner.authorization("initech", body), body), 401, "wrong-audience");
    assertProblem(deliver(null, body), 401, "federation-unauthenticated");
    assertThat(received(b)).as("nothing stored").isEqualTo(storedBefore);

    String jti = UUID.randomUUID().toString();
    String authorization = FederationTokens.SCHEME + " " + acmeSigner.sign("globex", body, jti);
    assertThat(deliver(authorization, body).status()).isEqualTo(201);
    assertProblem(deliver(authorization, body), 409, "token-replayed");
    // the token id is what is remembered: a token signed afresh with it, for another message, is a replay too
    byte[] another = payload(alice, bob, "another");
    assertProblem(deliver(FederationTokens.SCHEME + " " + acmeSigner.sign("globex", another, jti), another), 409,
        "token-replayed");
    assertThat(received(b)).as("the replays stored nothing").isEqualTo(storedBefore + 1);
  }

  @Test
  void peopleOfUntrustedPlatformsCannotBeAddressed() {
    Http.Response refused = Http.post(a.uri("/api/v1/conversations"), token(alice),
        Map.of("kind", "DIRECT", "members", List.of(bob + "@initech")));
    assertProblem(refused, 400, "unknown-peer");
    Http.Response group = Http.post(a.uri("/api/v1/conversations"), token(alice),
        Map.of("kind", "GROUP", "members", List.of(bob + "@globex", "carol")));
    assertProblem(group, 400, "federated-group-unsupported");
  }

  // --- helpers

  private record Platform(String name, String database, int port, KeyPair keys) {
    String endpoint() {
      return "http://127.0.0.1:" + port + "/federation";
    }

    String publicKey() {
      return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    String privateKey() {
      return Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
    }
  }

  private MessageCenterInstance start(Platform self, Platform peer) {
    return MessageCenterInstance.start(servers, self.database(), Map.ofEntries(
        Map.entry("server.port", Integer.toString(self.port())),
        Map.entry("ATRIUM_PLATFORM", self.name()),
        Map.entry("atrium.message-center.channel-prefix", "fed-" + self.name()),
        Map.entry("atrium.federation.endpoint", self.endpoint()),
        Map.entry("atrium.federation.key-id", self.name() + "-1"),
        Map.entry("atrium.federation.private-key", self.privateKey()),
        Map.entry("atrium.federation.public-key", self.publicKey()),
        Map.entry("atrium.federation.peers", JSON.writeValueAsString(List.of(Map.of("platform", peer.name(),
            "endpoint", peer.endpoint(), "keyId", peer.name() + "-1", "publicKey", peer.publicKey())))),
        Map.entry("atrium.federation.relay-interval", "200ms"),
        Map.entry("atrium.federation.retry-initial", "100ms"),
        Map.entry("atrium.federation.retry-max", "500ms"),
        Map.entry("atrium.federation.request-timeout", "3s")));
  }

  private static FederationTokens signer(String platform, KeyPair keys, Clock clock) {
    FederationProperties properties = new FederationProperties(null, platform + "-1",
        Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()), null, "[]", Duration.ofSeconds(60),
        Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofSeconds(1), 1);
    return new FederationTokens(new TrustList(platform, properties, JSON), properties, clock);
  }

  private static KeyPair keys() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String openWithBob() {
    Http.Response opened = Http.post(a.uri("/api/v1/conversations"), token(alice),
        Map.of("kind", "DIRECT", "members", List.of(bob + "@globex")));
    assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
    return opened.json().path("id").asString();
  }

  private void send(MessageCenterInstance mc, String sender, String conversation, String body) {
    Http.Response sent = Http.post(mc.uri("/api/v1/conversations/" + conversation + "/messages"), token(sender),
        Map.of("clientMessageId", UUID.randomUUID().toString(), "body", body));
    assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
  }

  private String mirror(String user) {
    JsonNode list = Http.get(b.uri("/api/v1/conversations"), token(user)).json();
    assertThat(list.size()).isEqualTo(1);
    return list.get(0).path("id").asString();
  }

  private void awaitBodies(String user, List<String> expected) {
    Awaitility.await("bob has " + expected).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode list = Http.get(b.uri("/api/v1/conversations"), token(user)).json();
      assertThat(list.size()).isEqualTo(1);
      assertThat(bodies(b, user, list.get(0).path("id").asString())).containsExactlyElementsOf(expected);
    });
  }

  private JsonNode history(MessageCenterInstance mc, String user, String conversation) {
    return Http.get(mc.uri("/api/v1/conversations/" + conversation + "/messages?limit=200"), token(user)).json();
  }

  /** Oldest first. */
  private List<String> bodies(MessageCenterInstance mc, String user, String conversation) {
    List<String> bodies = new ArrayList<>();
    history(mc, user, conversation).path("messages").forEach(m -> bodies.add(0, m.path("body").asString()));
    return bodies;
  }

  private String token(String user) {
    return servers.jwks().userToken(user);
  }

  private byte[] payload(String sender, String recipient, String body) {
    return JSON.writeValueAsBytes(new FederatedMessage(UUID.randomUUID(), UUID.randomUUID(), 1, sender, recipient,
        body, OffsetDateTime.now()));
  }

  private Http.Response deliver(String authorization, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(globex.endpoint() + "/messages"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return Http.send(request);
  }

  private static void assertProblem(Http.Response response, int status, String type) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.json().path("type").asString()).isEqualTo("urn:atrium:problem:" + type);
  }

  private static long received(MessageCenterInstance mc) {
    return jdbc(mc).sql("SELECT count(*) FROM message WHERE sender_id LIKE '%@%'").query(Long.class).single();
  }

  private static JdbcClient jdbc(MessageCenterInstance mc) {
    return mc.bean(JdbcClient.class);
  }

  private static double metric(MessageCenterInstance mc, String name) {
    String text = Http.get(mc.uri("/actuator/prometheus"), null).body();
    return text.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }
}
