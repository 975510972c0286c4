package dev.atrium.webos.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DeskTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode json(String text) {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void appsLeaveWebosItselfOutAndOpenAtTheirKnownAddress() {
    var apps = Desk.apps(json("[{'clientId':'webos','name':'Desktop','managedBy':'PLATFORM'},"
        + "{'clientId':'atrium-cli','name':'Command line','managedBy':'PLATFORM'},"
        + "{'clientId':'reports','name':'Reports','managedBy':'TENANT'},{'clientId':'payroll','managedBy':'TENANT'}]"),
        Map.of("reports", URI.create("https://r.example/")), "webos");
    assertThat(apps).containsExactly(new Desk.AppTile("reports", "Reports", URI.create("https://r.example/")),
        new Desk.AppTile("payroll", "payroll", null));
  }

  @Test
  void aOneToOneIsNamedAfterTheOtherPerson() {
    var chats = Desk.chats(json("[{'id':'c1','kind':'DIRECT','title':null,'unread':2,"
        + "'lastMessageAt':'2026-11-29T09:00:00Z','members':[{'userId':'lin'},{'userId':'wang'}]},"
        + "{'id':'c2','kind':'GROUP','title':'Team','unread':0,'createdAt':'2026-11-28T09:00:00Z','members':[]}]"),
        "lin");
    assertThat(chats).extracting(Desk.Chat::title).containsExactly("wang", "Team");
    assertThat(Desk.title(json("{'id':'c3','title':null}"), "lin")).as("members unknown").isNull();
    assertThat(chats.get(0).unread()).isEqualTo(2);
    assertThat(chats.get(1).at()).isNotNull();
  }

  @Test
  void onlyOpenToDosAndOnlyWebLinks() {
    var todos = Desk.todos(json("[{'title':'Approve','status':'OPEN','deepLink':'javascript:alert(1)'},"
        + "{'title':'Sign','status':'OPEN','deepLink':'https://hr.example/sign'},{'title':'Old','status':'DONE'}]"));
    assertThat(todos).extracting(Desk.Todo::title).containsExactly("Approve", "Sign");
    assertThat(todos).extracting(Desk.Todo::link).containsExactly(null, "https://hr.example/sign");
    assertThat(Desk.safeLink("//evil.example/")).isNull();
    assertThat(Desk.safeLink("/netdisk/s/abc")).isEqualTo("/netdisk/s/abc");
  }

  @Test
  void thePersonalSpaceIsTheOneTheyOwn() {
    JsonNode spaces = json("[{'id':'t','kind':'TEAM','ownerId':'lin'},{'id':'p2','kind':'PERSONAL','ownerId':'wang'},"
        + "{'id':'p','kind':'PERSONAL','ownerId':'lin'}]");
    assertThat(Desk.personalSpace(spaces, "lin")).isEqualTo("p");
    assertThat(Desk.personalSpace(json("[]"), "lin")).isNull();
  }

  @Test
  void aPanelSaysWhetherItsServiceIsOffOrDown() {
    Services.Answer off = new Services.Answer(Services.State.OFF, 0, JSON.missingNode());
    Services.Answer failing = new Services.Answer(Services.State.OK, 503, JSON.missingNode());
    Services.Answer ok = new Services.Answer(Services.State.OK, 200, json("[{'title':'x','status':'OPEN'}]"));
    assertThat(Panel.of(off, a -> Desk.todos(a.body())).off()).isTrue();
    assertThat(Panel.of(failing, a -> Desk.todos(a.body())).down()).isTrue();
    assertThat(Panel.of(ok, a -> Desk.todos(a.body())).items()).hasSize(1);
  }
}
