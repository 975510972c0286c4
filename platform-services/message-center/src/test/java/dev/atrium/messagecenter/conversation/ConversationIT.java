package dev.atrium.messagecenter.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.messagecenter.testing.ApiTestBase;
import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.Http.Response;
import dev.atrium.messagecenter.testing.MessageCenterInstance;
import dev.atrium.messagecenter.testing.TestServers;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Conversations end to end over HTTP, on real PostgreSQL. Every test has its own users. */
class ConversationIT extends ApiTestBase {

  private String alice;
  private String bob;
  private String carol;

  ConversationIT(MessageCenterInstance mc, TestServers.Servers servers) {
    super(mc, servers);
  }

  @BeforeEach
  void users() {
    alice = name("alice");
    bob = name("bob");
    carol = name("carol");
  }

  @Test
  void aPairHasOneDirectConversationWhoeverOpensIt() {
    Response first = open(alice, "DIRECT", List.of(bob), null);
    Response again = open(alice, "DIRECT", List.of(bob), null);
    Response fromBob = open(bob, "DIRECT", List.of(alice), null);

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(fromBob.status()).isEqualTo(200);
    assertThat(again.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
    assertThat(fromBob.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
  }

  @Test
  void sendingTheSameClientMessageIdTwiceStoresOneMessage() {
    String id = conversation(alice, bob);

    Response first = send(alice, id, "c-1", "hello");
    Response repeat = send(alice, id, "c-1", "hello");
    Response reused = send(alice, id, "c-1", "something else");

    assertThat(first.status()).isEqualTo(201);
    assertThat(repeat.status()).isEqualTo(200);
    assertThat(repeat.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
    assertThat(reused.status()).isEqualTo(409);
    assertThat(reused.json().path("type").asString()).isEqualTo("urn:atrium:problem:client-message-id-reused");
    assertThat(bodies(history(bob, id, null, null))).containsExactly("hello");
  }

  @Test
  void concurrentRepeatsOfOneSendStillStoreOneMessage() throws Exception {
    String id = conversation(alice, bob);

    List<Integer> statuses = parallel(8, i -> send(alice, id, "same", "once").status());

    assertThat(statuses).containsOnly(201, 200).containsOnlyOnce(201);
    assertThat(bodies(history(alice, id, null, null))).containsExactly("once");
  }

  @Test
  void concurrentSendsAreNumberedWithoutGapsInOneOrder() throws Exception {
    String id = open(alice, "GROUP", List.of(bob, carol), "team").json().path("id").asString();

    parallel(12, i -> send(i % 2 == 0 ? alice : bob, id, "m" + i, "message " + i).status());

    JsonNode page = history(carol, id, null, 50).json();
    List<Long> seqs = new ArrayList<>();
    page.path("messages").forEach(m -> seqs.add(m.path("seq").asLong()));
    assertThat(seqs).containsExactlyElementsOf(IntStream.rangeClosed(1, 12).mapToObj(i -> (long) (13 - i)).toList());
  }

  @Test
  void historyPagesByCursorNewestFirst() {
    String id = conversation(alice, bob);
    for (int i = 1; i <= 7; i++) {
      send(i % 2 == 0 ? bob : alice, id, "p" + i, "n" + i);
    }

    JsonNode first = history(alice, id, null, 3).json();
    JsonNode second = history(alice, id, first.path("nextBefore").asLong(), 3).json();
    JsonNode last = history(alice, id, second.path("nextBefore").asLong(), 3).json();

    assertThat(bodies(first)).containsExactly("n7", "n6", "n5");
    assertThat(bodies(second)).containsExactly("n4", "n3", "n2");
    assertThat(bodies(last)).containsExactly("n1");
    assertThat(last.path("nextBefore").isNull()).isTrue();
  }

  @Test
  void readReceiptsAndUnreadCounts() {
    String id = conversation(alice, bob);
    for (int i = 1; i <= 3; i++) {
      send(alice, id, "r" + i, "hi " + i);
    }

    assertThat(unread(bob, id)).isEqualTo(3);
    assertThat(unread(alice, id)).as("your own messages are read").isZero();

    assertThat(post(bob, "/api/v1/conversations/" + id + "/read", Map.of("seq", 2)).status()).isEqualTo(204);
    post(bob, "/api/v1/conversations/" + id + "/read", Map.of("seq", 1)); // a receipt never goes back
    assertThat(unread(bob, id)).isEqualTo(1);
    assertThat(Http.get(mc.uri("/api/v1/unread"), token(bob)).json().path("total").asLong()).isEqualTo(1);

    JsonNode members = Http.get(mc.uri("/api/v1/conversations/" + id), token(alice)).json().path("members");
    assertThat(members.findValues("userId").stream().map(JsonNode::asString)).containsExactlyInAnyOrder(alice, bob);
    members.forEach(m -> assertThat(m.path("lastReadSeq").asLong()).isEqualTo(m.path("userId").asString()
        .equals(bob) ? 2 : 3));

    post(bob, "/api/v1/conversations/" + id + "/read", Map.of("seq", 99)); // never past the newest
    assertThat(unread(bob, id)).isZero();
  }

  @Test
  void othersCannotSeeOrWriteAConversation() {
    String id = conversation(alice, bob);
    send(alice, id, "s1", "private");

    Response read = Http.get(mc.uri("/api/v1/conversations/" + id + "/messages"), token(carol));
    Response write = send(carol, id, "s2", "let me in");
    Response receipt = post(carol, "/api/v1/conversations/" + id + "/read", Map.of("seq", 1));

    assertThat(read.status()).isEqualTo(404);
    assertThat(write.status()).isEqualTo(404);
    assertThat(receipt.status()).isEqualTo(404);
    assertThat(read.json().path("type").asString()).isEqualTo("urn:atrium:problem:not-found");
    assertThat(bodies(history(alice, id, null, null))).containsExactly("private");
    assertThat(Http.get(mc.uri("/api/v1/conversations"), token(carol)).json().size()).isZero();
  }

  @Test
  void appsHaveNoConversations() {
    Response response = Http.get(mc.uri("/api/v1/conversations"), app("crm"));

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.json().path("detail").asString()).contains("app");
  }

  @Test
  void malformedAndOversizeInputIsRefusedAndNothingIsStored() {
    String id = conversation(alice, bob);
    String path = "/api/v1/conversations/" + id + "/messages";
    int limit = 4000;

    Response notJson = post(alice, path, "{\"clientMessageId\": \"x\", \"body\": ");
    Response noClientId = post(alice, path, Map.of("body", "hi"));
    Response badClientId = post(alice, path, Map.of("clientMessageId", "has spaces", "body", "hi"));
    Response tooLong = send(alice, id, "long", "x".repeat(limit + 1));
    Response blank = send(alice, id, "blank", "   ");
    Response unknown = send(alice, UUID.randomUUID().toString(), "u", "hi");
    Response notAnId = post(alice, "/api/v1/conversations/not-a-uuid/messages", Map.of("clientMessageId", "n",
        "body", "hi"));
    Response badLimit = history(alice, id, null, 0);
    Response noMembers = open(alice, "GROUP", List.of(), null);
    Response unknownKind = post(alice, "/api/v1/conversations", Map.of("kind", "CHANNEL", "members", List.of(bob)));

    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().path("type").asString()).isEqualTo("urn:atrium:problem:malformed-body");
    assertThat(noClientId.status()).isEqualTo(400);
    assertThat(noClientId.json().path("detail").asString()).contains("clientMessageId");
    assertThat(badClientId.status()).isEqualTo(400);
    assertThat(tooLong.status()).isEqualTo(413);
    assertThat(tooLong.json().path("detail").asString()).contains("4001").contains("4000");
    assertThat(blank.status()).isEqualTo(400);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(notAnId.status()).isEqualTo(400);
    assertThat(badLimit.status()).isEqualTo(400);
    assertThat(noMembers.status()).isEqualTo(400);
    assertThat(unknownKind.status()).isEqualTo(400);
    for (Response r : List.of(notJson, noClientId, tooLong, unknown, notAnId, badLimit)) {
      assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
    }
    assertThat(history(alice, id, null, null).json().path("messages").size()).isZero();
    assertThat(unread(bob, id)).isZero();
  }

  private String conversation(String a, String b) {
    return open(a, "DIRECT", List.of(b), null).json().path("id").asString();
  }

  private Response open(String user, String kind, List<String> members, String title) {
    Map<String, Object> body = new java.util.HashMap<>(Map.of("kind", kind, "members", members));
    if (title != null) {
      body.put("title", title);
    }
    return post(user, "/api/v1/conversations", body);
  }

  private Response send(String user, String conversation, String clientId, String body) {
    return post(user, "/api/v1/conversations/" + conversation + "/messages",
        Map.of("clientMessageId", clientId, "body", body));
  }

  private Response history(String user, String conversation, Long before, Integer limit) {
    String query = (before == null ? "" : "before=" + before + "&") + (limit == null ? "" : "limit=" + limit);
    return Http.get(mc.uri("/api/v1/conversations/" + conversation + "/messages?" + query), token(user));
  }

  private long unread(String user, String conversation) {
    return Http.get(mc.uri("/api/v1/conversations/" + conversation), token(user)).json().path("unread").asLong();
  }

  private Response post(String user, String path, Object body) {
    if (body instanceof String raw) {
      return Http.send(Http.builder(mc.uri(path), token(user)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(raw)));
    }
    return Http.post(mc.uri(path), token(user), body);
  }

  private String token(String user) {
    return user(user);
  }

  private static List<String> bodies(Response response) {
    return bodies(response.json());
  }

  private static List<String> bodies(JsonNode page) {
    List<String> bodies = new ArrayList<>();
    page.path("messages").forEach(m -> bodies.add(m.path("body").asString()));
    return bodies;
  }

  private static <T> List<T> parallel(int n, IntFunctionWithException<T> task) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(pool.submit((Callable<T>) () -> task.apply(index)));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    }
  }

  @FunctionalInterface
  private interface IntFunctionWithException<T> {
    T apply(int i) throws Exception;
  }
}
