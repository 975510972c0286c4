package dev.atrium.webos.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.webos.admin.UsageController;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PortalPartsTest {

  @Test
  void theBusiestRouteComesFirstAndIsHot() {
    var rows = UsageRanking.hottestFirst(List.of(
        new UsageController.Line("identity", "-", "-", 10, Map.of("2xx", 10L)),
        new UsageController.Line("message-center", "-", "-", 80, Map.of("2xx", 78L, "5xx", 2L)),
        new UsageController.Line("apps", "reports", "v2", 10, Map.of("2xx", 10L))));
    assertThat(rows).extracting(UsageRanking.Row::route).containsExactly("message-center", "apps", "identity");
    assertThat(rows.get(0).hot()).isTrue();
    assertThat(rows.get(0).percent()).isEqualTo(80);
    assertThat(rows.get(0).errors()).isEqualTo(2);
    assertThat(rows.get(1).hot()).isFalse();
    assertThat(UsageRanking.hottestFirst(List.of())).isEmpty();
  }

  @Test
  void grantsAreTypedAsIdsAndShownTheSameWay() {
    assertThat(Grants.split(" lin, wang\nlin ,, ")).containsExactly("lin", "wang");
    assertThat(Grants.split("")).isEmpty();
    var summary = Grants.summary(JsonMapper.builder().build().readTree(
        "[{\"kind\":\"PERSON\",\"id\":\"lin\"},{\"kind\":\"DEPARTMENT\",\"id\":\"rnd\"},{\"kind\":\"PERSON\",\"id\":\"wang\"}]"));
    assertThat(summary).isEqualTo(new Grants.Summary("lin, wang", "rnd"));
  }

  @Test
  void aFormIsReadFromItsBodyTheLastOfARepeatedFieldWinning() {
    assertThat(Forms.parse("reason=first&reason=too+short%21".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .containsExactly(Map.entry("reason", "too short!"));
    assertThat(Forms.parse("_csrf=a%2Bb&people=lin%2C+%E7%8E%8B&departments=&flag".getBytes(
        java.nio.charset.StandardCharsets.UTF_8))).containsExactly(Map.entry("_csrf", "a+b"),
        Map.entry("people", "lin, 王"), Map.entry("departments", ""), Map.entry("flag", ""));
  }

  @Test
  void anUploadIsAFileNameAtTheTopOfTheSpace() {
    assertThat(Uploads.problemWithName("report 2026.pdf")).isNull();
    assertThat(Uploads.path("报告.pdf")).isEqualTo("/报告.pdf");
    assertThat(Uploads.problemWithName("")).isEqualTo("name-required");
    assertThat(Uploads.problemWithName("../etc/passwd")).isEqualTo("name-invalid");
    assertThat(Uploads.problemWithName("a\\b")).isEqualTo("name-invalid");
    assertThat(Uploads.problemWithName("..")).isEqualTo("name-invalid");
    assertThat(Uploads.problemWithName("x".repeat(256))).isEqualTo("name-too-long");
  }

  @Test
  void appAddressesAndThePublicUrlAreReadFromTheSettings() {
    PortalProperties portal = new PortalProperties(URI.create("https://acme.example/"), "webos", "s",
        "https://acme.example/auth", "http://identity/oauth2/jwks", "", " reports = https://r.example/ ,bad,=x,",
        java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(60));
    assertThat(portal.appUrlMap()).containsExactly(Map.entry("reports", URI.create("https://r.example/")));
    assertThat(portal.base()).isEqualTo("https://acme.example");
    assertThat(portal.secure()).isTrue();
  }

  @Test
  void chineseForAChineseBrowserEnglishOtherwise() {
    assertThat(PortalPages.language(Locale.forLanguageTag("zh-TW"))).isEqualTo(Locale.SIMPLIFIED_CHINESE);
    assertThat(PortalPages.language(Locale.GERMAN)).isEqualTo(Locale.ENGLISH);
    assertThat(PortalPages.language(null)).isEqualTo(Locale.ENGLISH);
  }
}
