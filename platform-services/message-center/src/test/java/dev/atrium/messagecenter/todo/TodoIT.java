package dev.atrium.messagecenter.todo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.messagecenter.testing.ApiTestBase;
import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.Http.Response;
import dev.atrium.messagecenter.testing.MessageCenterInstance;
import dev.atrium.messagecenter.testing.PushClient;
import dev.atrium.messagecenter.testing.TestServers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Business to-dos from app clients, over HTTP with real client-credentials-style tokens. */
class TodoIT extends ApiTestBase {

  private String alice;
  private String bob;
  private String crm;
  private String erp;

  TodoIT(MessageCenterInstance mc, TestServers.Servers servers) {
    super(mc, servers);
  }

  @BeforeEach
  void names() {
    alice = name("alice");
    bob = name("bob");
    crm = name("crm");
    erp = name("erp");
  }

  @Test
  void anAppCreatesAToDoThePeopleSeeItAndTheAppClosesIt() {
    try (PushClient alicesPhone = PushClient.connect(mc, user(alice), null)) {
      alicesPhone.await("hello", f -> "hello".equals(f.path("type").asString()));

      Response created = create(crm, "approval-17", List.of(alice, bob), "Approve travel request 17");
      Response again = create(crm, "approval-17", List.of(bob, alice), "Approve travel request 17");
      String id = created.json().path("id").asString();

      assertThat(created.status()).isEqualTo(201);
      assertThat(created.json().path("status").asString()).isEqualTo("OPEN");
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.json().path("id").asString()).isEqualTo(id);
      assertThat(ids(Http.get(mc.uri("/api/v1/todos"), user(alice)))).containsExactly(id);
      assertThat(ids(Http.get(mc.uri("/api/v1/todos"), user(bob)))).containsExactly(id);
      assertThat(Http.get(mc.uri("/api/v1/unread"), user(alice)).json().path("openTodos").asLong()).isEqualTo(1);
      assertThat(alicesPhone.await("to-do pushed", f -> "todo".equals(f.path("kind").asString()))
          .path("data").path("title").asString()).isEqualTo("Approve travel request 17");

      Response done = Http.post(mc.uri("/api/v1/todos/" + id + "/done"), app(crm), "");
      Response doneAgain = Http.post(mc.uri("/api/v1/todos/" + id + "/done"), app(crm), "");
      Response cancelAfterDone = Http.post(mc.uri("/api/v1/todos/" + id + "/cancel"), app(crm), "");

      assertThat(done.status()).isEqualTo(200);
      assertThat(done.json().path("status").asString()).isEqualTo("DONE");
      assertThat(done.json().path("closedAt").isNull()).isFalse();
      assertThat(doneAgain.status()).isEqualTo(200);
      assertThat(cancelAfterDone.status()).isEqualTo(409);
      assertThat(ids(Http.get(mc.uri("/api/v1/todos"), user(alice)))).isEmpty();
      assertThat(ids(Http.get(mc.uri("/api/v1/todos?status=DONE"), user(alice)))).containsExactly(id);
      alicesPhone.awaitEvents(2);
      assertThat(alicesPhone.events().getLast().path("data").path("status").asString()).isEqualTo("DONE");
    }
  }

  @Test
  void aPersonSeesOpenToDosOfEveryAppSoonestDueFirst() {
    String later = create(crm, "c1", List.of(alice), "later", "2031-01-02T09:00:00Z").json().path("id").asString();
    String sooner = create(erp, "e1", List.of(alice), "sooner", "2031-01-01T09:00:00Z").json().path("id").asString();
    String whenever = create(erp, "e2", List.of(alice), "whenever", null).json().path("id").asString();
    String cancelled = create(crm, "c2", List.of(alice), "cancelled", null).json().path("id").asString();
    assertThat(Http.post(mc.uri("/api/v1/todos/" + cancelled + "/cancel"), app(crm), "").json().path("status")
        .asString()).isEqualTo("CANCELLED");

    assertThat(ids(Http.get(mc.uri("/api/v1/todos"), user(alice)))).containsExactly(sooner, later, whenever);
    assertThat(ids(Http.get(mc.uri("/api/v1/todos"), app(erp)))).containsExactlyInAnyOrder(sooner, whenever);
  }

  @Test
  void anAppSeesAndClosesOnlyItsOwnToDos() {
    String id = create(crm, "mine", List.of(alice), "CRM follow-up").json().path("id").asString();

    assertThat(Http.post(mc.uri("/api/v1/todos/" + id + "/done"), app(erp), "").status()).isEqualTo(404);
    assertThat(Http.post(mc.uri("/api/v1/todos/" + id + "/cancel"), app(erp), "").status()).isEqualTo(404);
    assertThat(Http.get(mc.uri("/api/v1/todos/" + id), app(erp)).status()).isEqualTo(404);
    assertThat(ids(Http.get(mc.uri("/api/v1/todos"), app(erp)))).isEmpty();
    assertThat(Http.get(mc.uri("/api/v1/todos/" + id), app(crm)).json().path("status").asString()).isEqualTo("OPEN");
  }

  @Test
  void peopleNeitherCreateNorCloseToDosAndSeeOnlyTheirOwn() {
    String id = create(crm, "x", List.of(alice), "for alice").json().path("id").asString();

    Response byPerson = create(alice, "y", List.of(alice), "self-made", null, user(alice));
    Response closedByPerson = Http.post(mc.uri("/api/v1/todos/" + id + "/done"), user(alice), "");

    assertThat(byPerson.status()).isEqualTo(403);
    assertThat(byPerson.json().path("detail").asString()).contains("app");
    assertThat(closedByPerson.status()).isEqualTo(403);
    assertThat(Http.get(mc.uri("/api/v1/todos/" + id), user(bob)).status()).isEqualTo(404);
    assertThat(Http.get(mc.uri("/api/v1/todos/" + id), user(alice)).status()).isEqualTo(200);
  }

  @Test
  void invalidToDosAreRefusedAndNothingIsStored() {
    Response badLink = create(crm, "bad-link", List.of(alice), "t", null, app(crm), "javascript:alert(1)");
    Response noAssignees = create(crm, "nobody", List.of(), "t", null, app(crm), "https://crm.example/x");
    Response badDue = Http.post(mc.uri("/api/v1/todos"), app(crm), Map.of("externalId", "due", "assignees",
        List.of(alice), "title", "t", "deepLink", "https://crm.example/x", "dueAt", "next tuesday"));
    Response reused = create(crm, "reuse", List.of(alice), "first");
    Response conflicting = create(crm, "reuse", List.of(alice), "second");

    assertThat(badLink.status()).isEqualTo(400);
    assertThat(badLink.json().path("detail").asString()).contains("deepLink");
    assertThat(noAssignees.status()).isEqualTo(400);
    assertThat(badDue.status()).isEqualTo(400);
    assertThat(reused.status()).isEqualTo(201);
    assertThat(conflicting.status()).isEqualTo(409);
    assertThat(Http.get(mc.uri("/api/v1/todos"), user(alice)).json().size()).isEqualTo(1);
  }

  private Response create(String appId, String externalId, List<String> assignees, String title) {
    return create(appId, externalId, assignees, title, null);
  }

  private Response create(String appId, String externalId, List<String> assignees, String title, String due) {
    return create(appId, externalId, assignees, title, due, app(appId));
  }

  private Response create(String appId, String externalId, List<String> assignees, String title, String due,
      String token) {
    return create(appId, externalId, assignees, title, due, token, "https://" + appId + ".example/items/" + externalId);
  }

  private Response create(String appId, String externalId, List<String> assignees, String title, String due,
      String token, String link) {
    Map<String, Object> body = new HashMap<>(Map.of("externalId", externalId, "assignees", assignees, "title", title,
        "deepLink", link));
    if (due != null) {
      body.put("dueAt", due);
    }
    return Http.post(mc.uri("/api/v1/todos"), token, body);
  }

  private static List<String> ids(Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json().findValues("id").stream().map(JsonNode::asString).toList();
  }

}
