package dev.atrium.messagecenter.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.messagecenter.testing.ApiTestBase;
import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.Http.Response;
import dev.atrium.messagecenter.testing.MessageCenterInstance;
import dev.atrium.messagecenter.testing.PushClient;
import dev.atrium.messagecenter.testing.TestServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Service accounts: follow, publish to followers and departments, read state, push. */
class ServiceAccountIT extends ApiTestBase {

  private String owner;
  private String bob;
  private String carol;

  ServiceAccountIT(MessageCenterInstance mc, TestServers.Servers servers) {
    super(mc, servers);
  }

  @BeforeEach
  void names() {
    owner = name("canteen-manager");
    bob = name("bob");
    carol = name("carol");
  }

  @Test
  void followersReceiveAnnouncementsOthersDoNot() {
    String account = account(owner(), name("canteen"));
    assertThat(Http.put(mc.uri("/api/v1/service-accounts/" + account + "/follow"), user(bob), "").status())
        .isEqualTo(204);

    try (PushClient bobsPhone = PushClient.connect(mc, user(bob), null)) {
      bobsPhone.await("hello", f -> "hello".equals(f.path("type").asString()));
      Response published = publish(owner(), account, "menu-w1", "Menu", true, List.of());

      assertThat(published.status()).isEqualTo(201);
      assertThat(published.json().path("recipients").asLong()).isEqualTo(1);
      assertThat(bobsPhone.await("announcement", f -> "announcement".equals(f.path("kind").asString()))
          .path("data").path("title").asString()).isEqualTo("Menu");
    }
    assertThat(titles(bob)).containsExactly("Menu");
    assertThat(titles(carol)).isEmpty();
    assertThat(Http.get(mc.uri("/api/v1/service-accounts/" + account), user(bob)).json().path("following")
        .asBoolean()).isTrue();
  }

  @Test
  void departmentAnnouncementsReachTheDepartmentsMembers() {
    String finance = name("finance");
    String hr = name("hr");
    // people's departments come from their tokens, recorded as they use the service
    Http.get(mc.uri("/api/v1/unread"), user(bob, finance));
    Http.get(mc.uri("/api/v1/unread"), user(carol, hr));
    String account = account(owner(), name("cfo-office"));

    Response published = publish(owner(), account, "q3", "Q3 closing", false, List.of(finance));

    assertThat(published.status()).isEqualTo(201);
    assertThat(titles(bob)).containsExactly("Q3 closing");
    assertThat(titles(carol)).isEmpty();
  }

  @Test
  void publishingIsIdempotentAndOnlyForTheOwner() {
    String account = account(owner(), name("union"));
    Http.put(mc.uri("/api/v1/service-accounts/" + account + "/follow"), user(bob), "");

    Response first = publish(owner(), account, "n1", "Notice", true, List.of());
    Response again = publish(owner(), account, "n1", "Notice", true, List.of());
    Response byOther = publish(user(bob), account, "n2", "Fake notice", true, List.of());
    Response nobody = publish(owner(), account, "n3", "To nobody", false, List.of());

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
    assertThat(byOther.status()).isEqualTo(403);
    assertThat(nobody.status()).isEqualTo(400);
    assertThat(titles(bob)).containsExactly("Notice");
  }

  @Test
  void anAppCanOwnAServiceAccount() {
    String hrSystem = app(name("hr-system"));
    String account = account(hrSystem, name("hr-news"));
    Http.put(mc.uri("/api/v1/service-accounts/" + account + "/follow"), user(bob), "");

    assertThat(publish(hrSystem, account, "a1", "Payday moved", true, List.of()).status()).isEqualTo(201);
    assertThat(titles(bob)).containsExactly("Payday moved");
    assertThat(Http.put(mc.uri("/api/v1/service-accounts/" + account + "/follow"), hrSystem, "").status())
        .as("apps do not follow").isEqualTo(403);
  }

  @Test
  void unreadAnnouncementsAreCountedUntilRead() {
    String account = account(owner(), name("it-desk"));
    Http.put(mc.uri("/api/v1/service-accounts/" + account + "/follow"), user(bob), "");
    String id = publish(owner(), account, "m1", "Maintenance", true, List.of()).json().path("id").asString();

    assertThat(Http.get(mc.uri("/api/v1/unread"), user(bob)).json().path("announcements").asLong()).isEqualTo(1);
    assertThat(Http.post(mc.uri("/api/v1/announcements/" + id + "/read"), user(bob), "").status()).isEqualTo(204);
    assertThat(Http.get(mc.uri("/api/v1/unread"), user(bob)).json().path("announcements").asLong()).isZero();
    assertThat(Http.post(mc.uri("/api/v1/announcements/" + id + "/read"), user(carol), "").status())
        .as("an announcement carol never received").isEqualTo(404);
  }

  @Test
  void handlesAreUniqueAndValidated() {
    account(owner(), name("taken"));

    Response duplicate = Http.post(mc.uri("/api/v1/service-accounts"), owner(), Map.of("handle", name("taken"),
        "name", "Again"));
    Response invalid = Http.post(mc.uri("/api/v1/service-accounts"), owner(), Map.of("handle", "Not Valid!",
        "name", "x"));

    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().path("detail").asString()).contains("handle");
  }

  private String account(String token, String handle) {
    Response created = Http.post(mc.uri("/api/v1/service-accounts"), token, Map.of("handle", handle, "name",
        handle + " account"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().path("id").asString();
  }

  private Response publish(String token, String account, String clientId, String title, boolean followers,
      List<String> departments) {
    return Http.post(mc.uri("/api/v1/service-accounts/" + account + "/announcements"), token, Map.of(
        "clientAnnouncementId", clientId, "title", title, "body", title + " body",
        "audience", Map.of("followers", followers, "departments", departments)));
  }

  private List<String> titles(String user) {
    return Http.get(mc.uri("/api/v1/announcements"), user(user)).json().findValues("title").stream()
        .map(JsonNode::asString).toList();
  }

  private String owner() {
    return user(owner);
  }

}
