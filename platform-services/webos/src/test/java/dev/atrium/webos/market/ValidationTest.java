package dev.atrium.webos.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.service.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the market accepts: ids, versions, URLs, icons. */
class ValidationTest {

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

  static Submission submission(String version, String openUrl, String backendUrl) {
    return new Submission(version, "客户", "CRM", null, "Customers", openUrl, backendUrl, ClientType.WEB,
        List.of("https://crm.example.test/callback"));
  }

  @Test
  void anAppIdIsLowerCaseLettersDigitsAndDashes() {
    assertThat(Validation.app("crm-2")).isEqualTo("crm-2");
    for (String bad : new String[] {"CRM", "c", "-crm", "crm_2", "crm/../x", "a".repeat(64), "客户"}) {
      assertRefused(() -> Validation.app(bad), 400, "invalid-app");
    }
  }

  @Test
  void aSubmissionNeedsAVersionNamesAndHttpUrls() {
    Validation.check(submission("1.0.0", "https://crm.example.test/", "http://crm-api:8080"), true);
    Validation.check(submission("1", "/crm/", null), true);
    assertRefused(() -> Validation.check(submission("1 0", "/crm/", null), true), 400, "invalid-field");
    for (String url : new String[] {"javascript:alert(1)", "ftp://crm.example.test/", "//evil.test/", "crm",
        "data:text/html,x"}) {
      assertRefused(() -> Validation.check(submission("1", url, null), true), 400, "invalid-field");
    }
    for (String backend : new String[] {"http://crm-api:8080/api", "ftp://crm-api", "http://u:p@crm-api"}) {
      assertRefused(() -> Validation.check(submission("1", "/crm/", backend), true), 400, "invalid-field");
    }
    Submission noRedirect = new Submission("1", "客户", "CRM", "", "", "/crm/", null, ClientType.WEB, List.of());
    assertRefused(() -> Validation.check(noRedirect, true), 400, "invalid-field");
    Validation.check(noRedirect, false);
    Submission blankName = new Submission("1", " ", "CRM", "", "", "/crm/", null, ClientType.SERVICE, null);
    assertRefused(() -> Validation.check(blankName, true), 400, "invalid-field");
  }

  @Test
  void anIconIsABoundedPngOrAnSvgWithoutScripts() {
    assertThat(Validation.icon("image/png", PNG)).isEqualTo("image/png");
    assertThat(Validation.icon("image/svg+xml; charset=utf-8", svg("<?xml version=\"1.0\"?>\n<svg xmlns="
        + "\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>"))).isEqualTo("image/svg+xml");
    assertRefused(() -> Validation.icon("image/png", new byte[Validation.MAX_ICON_BYTES + 1]), 413,
        "icon-too-large");
    assertRefused(() -> Validation.icon("image/png", "GIF89a".getBytes(StandardCharsets.US_ASCII)), 400,
        "invalid-icon");
    assertRefused(() -> Validation.icon("image/gif", PNG), 415, "unsupported-icon-type");
    assertRefused(() -> Validation.icon("image/svg+xml", svg("<html><svg/></html>")), 400, "invalid-icon");
    assertRefused(() -> Validation.icon("image/svg+xml", svg("<svg><script>alert(1)</script></svg>")), 400,
        "invalid-icon");
    assertRefused(() -> Validation.icon("image/svg+xml", svg("<svg onload=\"alert(1)\"/>")), 400, "invalid-icon");
    assertRefused(() -> Validation.icon("image/png", new byte[0]), 400, "invalid-icon");
  }

  private static byte[] svg(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertRefused(Runnable check, int status, String type) {
    assertThatThrownBy(check::run).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.problem().getStatus()).isEqualTo(status);
      assertThat(e.problem().getType().toString()).endsWith(":" + type);
    });
  }

  @Test
  void twoVersionsOutShareAClientThatDoesWhatEachDoes() {
    assertThat(ClientType.covering(List.of(ClientType.WEB))).isEqualTo(ClientType.WEB);
    assertThat(ClientType.covering(List.of(ClientType.SERVICE, ClientType.SERVICE))).isEqualTo(ClientType.SERVICE);
    assertThat(ClientType.covering(List.of(ClientType.WEB, ClientType.SERVICE)))
        .isEqualTo(ClientType.WEB_AND_SERVICE);
    assertThat(ClientType.covering(List.of(ClientType.WEB_AND_SERVICE, ClientType.WEB)))
        .isEqualTo(ClientType.WEB_AND_SERVICE);
  }
}
