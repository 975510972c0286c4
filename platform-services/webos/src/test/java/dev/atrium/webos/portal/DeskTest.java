package dev.atrium.webos.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.webos.market.AppKind;
import dev.atrium.webos.market.CatalogueEntry;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DeskTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode json(String text) {
    return JSON.readTree(text.replace('\'', '"'));
  }

  /** Identity's {@code /api/me/apps} for a person granted the tenant's apps crm, retired, reports and payroll. */
  private static final JsonNode USABLE = json("[{'clientId':'webos','name':'Desktop','managedBy':'PLATFORM'},"
      + "{'clientId':'atrium-cli','name':'Command line','managedBy':'PLATFORM'},"
      + "{'clientId':'crm','name':'CRM (identity)','managedBy':'TENANT'},"
      + "{'clientId':'retired','name':'Retired','managedBy':'TENANT'},"
      + "{'clientId':'reports','name':'Reports','managedBy':'TENANT'},{'clientId':'payroll','managedBy':'TENANT'}]");

  private static CatalogueEntry entry(String app, AppKind kind, String nameEn, String openUrl, String iconUrl) {
    return new CatalogueEntry(app, kind, "中文 " + nameEn, nameEn, "", "", openUrl, iconUrl, "2.0");
  }

  @Test
  void marketAppsOpenAtTheirLiveVersionsAddressFirstOthersAtTheFallbackAddress() {
    var catalogue = List.of(entry("messages", AppKind.ATRIUM, "Messages", "/#messages", null),
        entry("crm", AppKind.PRIVATE, "CRM", "https://crm.example/v2/", "/webos/api/v1/market/icons/crm?v=ab12"));
    var apps = Desk.apps(USABLE, catalogue, Set.of("webos", "netdisk", "crm", "retired"), Map.of(
        "crm", URI.create("https://crm.example/old/"), "retired", URI.create("https://retired.example/"),
        "reports", URI.create("https://r.example/")), "webos", false, false);
    assertThat(apps).containsExactly(
        new Desk.AppTile("messages", "Messages", URI.create("/#messages"), null),
        new Desk.AppTile("crm", "CRM", URI.create("https://crm.example/v2/"), "/webos/api/v1/market/icons/crm?v=ab12"),
        new Desk.AppTile("reports", "Reports", URI.create("https://r.example/"), null),
        new Desk.AppTile("payroll", "payroll", null, null));
  }

  @Test
  void anAppTheMarketKnowsButDoesNotListIsNotShownEvenWithAFallbackAddress() {
    var apps = Desk.apps(USABLE, List.of(), Set.of("webos", "retired"), Map.of("retired",
        URI.create("https://retired.example/")), "webos", false, false);
    assertThat(apps).extracting(Desk.AppTile::id).containsExactly("crm", "reports", "payroll");
  }

  @Test
  void marketAppsAreNamedInThePagesLanguage() {
    var apps = Desk.apps(json("[]"), List.of(entry("crm", AppKind.PRIVATE, "CRM", "https://crm.example/", null)),
        Set.of("crm"), Map.of(), "webos", true, false);
    assertThat(apps).extracting(Desk.AppTile::name).containsExactly("中文 CRM");
  }

  @Test
  void withoutTheMarketWebosItselfIsLeftOutAndPlatformClientsNeedAnAddress() {
    var apps = Desk.apps(USABLE, List.of(), Set.of(), Map.of("reports", URI.create("https://r.example/")), "webos",
        false, false);
    assertThat(apps).extracting(Desk.AppTile::id).containsExactly("crm", "retired", "reports", "payroll");
    assertThat(Desk.clientIds(USABLE)).containsExactlyInAnyOrder("webos", "atrium-cli", "crm", "retired", "reports",
        "payroll");
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

  @Test
  void theAdminConsoleIsOfferedToAdministratorsOnly() {
    var catalogue = List.of(entry("admin-console", AppKind.ATRIUM, "Admin console", "/admin/people", null),
        entry("messages", AppKind.ATRIUM, "Messages", "/#messages", null),
        entry("ops", AppKind.PRIVATE, "Ops", "https://ops.example/admin/", null));
    assertThat(Desk.apps(json("[]"), catalogue, Set.of(), Map.of(), "webos", false, false))
        .extracting(Desk.AppTile::id).containsExactly("messages", "ops");
    assertThat(Desk.apps(json("[]"), catalogue, Set.of(), Map.of(), "webos", false, true))
        .extracting(Desk.AppTile::id).containsExactly("admin-console", "messages", "ops");
  }
}
