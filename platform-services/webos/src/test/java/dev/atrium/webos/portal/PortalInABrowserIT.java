package dev.atrium.webos.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.Chromium;
import dev.atrium.servicetesting.FreePort;
import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.IdentityProcess;
import dev.atrium.servicetesting.MessageCenterProcess;
import dev.atrium.servicetesting.NetdiskProcess;
import dev.atrium.servicetesting.OidcBrowser;
import dev.atrium.servicetesting.PostgresServer;
import dev.atrium.servicetesting.RedisServer;
import dev.atrium.servicetesting.SeaweedServer;
import dev.atrium.webos.WebosApplication;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The portal in a real browser (headless Chromium), against real identity and the real message center (each from
 * its own jar), PostgreSQL and Redis: a person signs in on identity's page, sees only the apps granted to them, a
 * message sent to them appears without a reload, a file they upload from the desktop is in netdisk (its jar too, on
 * SeaweedFS), the admin area refuses them; an administrator on a phone gets the Chinese desktop and the gateway's
 * usage, the busiest route first. Screenshots of each step are kept in target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalInABrowserIT {

  private static final String PASSWORD = "a-long-password-1";
  /**
   * Identity's access tokens live this long here, so the page's socket is told to reauthenticate during the test and
   * webos refreshes the session's token (it does so within 60 s of the end) on most of its requests.
   */
  private static final int TOKEN_SECONDS = 70;

  private PostgresServer postgres;
  private RedisServer redis;
  private IdentityProcess identity;
  private MessageCenterProcess messages;
  private SeaweedServer store;
  private NetdiskProcess netdisk;
  private ConfigurableApplicationContext webos;
  private int webosPort;

  @BeforeAll
  void start() {
    postgres = PostgresServer.start();
    for (String database : List.of("identity", "messages", "netdisk", "webos")) {
      postgres.createDatabase(database);
    }
    redis = RedisServer.start();
    webosPort = FreePort.pick();
    String portal = "http://127.0.0.1:" + webosPort;
    // identity under a name of its own: its session cookie and webos's are the browser's two sites
    identity = IdentityProcess.start(postgres, "identity", "localhost", Map.of(
        "ATRIUM_IDENTITY_CLIENT_WEBOS_REDIRECT_URIS", portal + "/login/oauth2/code/atrium," + OidcBrowser.REDIRECT_URI,
        "ATRIUM_IDENTITY_CLIENT_WEBOS_POST_LOGOUT_REDIRECT_URIS", portal + "/," + OidcBrowser.POST_LOGOUT_URI,
        "atrium.identity.access-token-ttl", TOKEN_SECONDS + "s"));
    int messagesPort = FreePort.pick();
    messages = MessageCenterProcess.start(postgres, "messages", redis, identity.issuer(), identity.jwksUri(),
        messagesPort);

    store = SeaweedServer.start();
    netdisk = NetdiskProcess.start(postgres, "netdisk", store, "portal-it", identity.issuer(), identity.jwksUri(),
        portal + "/netdisk", Map.of());

    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("server.port", Integer.toString(webosPort));
    settings.put("spring.datasource.url", postgres.jdbcUrl("webos"));
    settings.put("spring.datasource.username", PostgresServer.SUPERUSER);
    settings.put("spring.datasource.password", "");
    settings.put("spring.data.redis.host", "127.0.0.1");
    settings.put("spring.data.redis.port", Integer.toString(redis.port()));
    settings.put("ATRIUM_IDENTITY_ISSUER", identity.issuer());
    settings.put("ATRIUM_IDENTITY_JWKS_URI", identity.jwksUri());
    settings.put("ATRIUM_WEBOS_PUBLIC_URL", portal);
    settings.put("ATRIUM_OAUTH_CLIENT_ID", IdentityProcess.WEBOS);
    settings.put("ATRIUM_OAUTH_CLIENT_SECRET", IdentityProcess.WEBOS_SECRET);
    settings.put("ATRIUM_GATEWAY_ROUTES_IDENTITY", identity.issuer());
    settings.put("ATRIUM_GATEWAY_ROUTES_MESSAGE_CENTER", "http://127.0.0.1:" + messagesPort);
    settings.put("ATRIUM_GATEWAY_ROUTES_NETDISK", netdisk.uri("").toString());
    // the front door routes the socket straight to the message center; here the page opens it there itself
    settings.put("ATRIUM_WEBOS_STREAM_URL", "ws://127.0.0.1:" + messagesPort + "/messages/api/v1/stream");
    settings.put("ATRIUM_WEBOS_APP_URLS", "reports=https://reports.example.test/");
    settings.put("ATRIUM_GATEWAY_USAGE_FLUSH", "1s");
    settings.put("ATRIUM_PLATFORM", "it");
    settings.put("logging.level.root", "WARN");
    List<String> args = new ArrayList<>();
    settings.forEach((key, value) -> args.add("--" + key + "=" + value));
    webos = new SpringApplicationBuilder(WebosApplication.class).run(args.toArray(String[]::new));

    // the directory: lin and wang; two tenant apps, reports granted to lin and payroll to nobody
    String admin = token("admin", IdentityProcess.ADMIN_PASSWORD);
    for (String[] person : List.of(new String[] {"lin", "Lin Wei"}, new String[] {"wang", "Wang Fang"})) {
      expect(201, Http.post(identity.uri("/api/admin/people"), admin, Map.of("id", person[0], "displayName",
          person[1], "password", PASSWORD)));
    }
    for (String[] app : List.of(new String[] {"reports", "Reports"}, new String[] {"payroll", "Payroll"})) {
      expect(201, Http.post(identity.uri("/api/admin/apps"), admin, Map.of("clientId", app[0], "name", app[1],
          "type", "WEB", "redirectUris", List.of("https://" + app[0] + ".example.test/callback"))));
    }
    expect(200, Http.put(identity.uri("/api/admin/apps/reports/grants"), admin, Map.of("people", List.of("lin"))));
  }

  @AfterAll
  void stop() {
    for (AutoCloseable server : new AutoCloseable[] {webos, netdisk, store, messages, identity, redis,
        postgres}) {
      try {
        if (server != null) {
          server.close();
        }
      } catch (Exception e) {
        // the next one still stops
      }
    }
  }

  @Test
  void aPersonSignsInSeesTheirAppsAndAMessageArrivesLive() throws Exception {
    try (Chromium browser = Chromium.start("portal-desktop", "en-US,en")) {
      WebDriver page = browser.driver();
      signIn(browser, "lin");
      browser.await(Duration.ofSeconds(20), d -> d.getTitle().equals("Desktop"));
      browser.screenshot("desktop");

      // granted apps only: reports (with its address), not payroll
      String apps = page.findElement(By.id("apps")).getText();
      assertThat(apps).contains("Reports").doesNotContain("Payroll");
      assertThat(page.findElement(By.cssSelector("[data-app=reports] a")).getAttribute("href"))
          .isEqualTo("https://reports.example.test/");
      assertThat(page.findElement(By.id("files")).getText()).contains("No files yet");
      // no token is ever in the page (identity's are JWTs: "eyJ...")
      assertThat(page.getPageSource()).doesNotContain("eyJ");

      // live: the socket is open, then wang writes to lin and the panel shows it without a reload
      browser.await(Duration.ofSeconds(20), d -> "on".equals(browser.script(
          "return document.body.getAttribute('data-live');")));
      browser.script("window.notReloaded = true;");
      String wang = token("wang", PASSWORD);
      String conversation = Http.post(messages.uri("/api/v1/conversations"), wang, Map.of("kind", "DIRECT",
          "members", List.of("lin"))).json().path("id").asString();
      assertThat(Http.post(messages.uri("/api/v1/conversations/" + conversation + "/messages"), wang, Map.of(
          "clientMessageId", UUID.randomUUID().toString(), "body", "Lunch at noon?")).status()).isEqualTo(201);
      browser.await(Duration.ofSeconds(20), fresh(d -> d.findElements(By.cssSelector("[data-conversation='"
          + conversation + "']")).size() == 1 && "1".equals(d.findElement(By.id("unread")).getText())
          && d.findElement(By.id("messages")).getText().contains("wang")));
      assertThat(browser.script("return window.notReloaded === true;")).isEqualTo(true);
      browser.screenshot("message-arrived-live");

      // a file uploaded from the desktop is in the person's space in netdisk, and in the recent files
      Path file = Files.createTempFile("plan-", ".txt");
      Files.writeString(file, "the plan for 2027\n".repeat(20_000));
      page.findElement(By.id("upload-file")).sendKeys(file.toString());
      page.findElement(By.cssSelector("#upload button[type=submit]")).click();
      browser.await(Duration.ofSeconds(30), fresh(d -> d.findElement(By.id("files")).getText()
          .contains(file.getFileName().toString()) && d.findElement(By.id("upload-status")).getText()
          .contains("Uploaded")));
      browser.screenshot("file-uploaded");
      Http.Response recent = Http.get(netdisk.uri("/netdisk/api/v1/recent"), linToken());
      assertThat(recent.json().get(0).path("name").asString()).isEqualTo(file.getFileName().toString());
      assertThat(recent.json().get(0).path("size").asLong()).isEqualTo(Files.size(file));
      Files.delete(file);

      // the token endpoint: JSON to this session, never stored by a cache
      @SuppressWarnings("unchecked")
      Map<String, Object> token = (Map<String, Object>) ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeAsyncScript(
          "const done = arguments[arguments.length - 1];"
              + "const h = {}; h[document.querySelector('meta[name=_csrf_header]').content] ="
              + " document.querySelector('meta[name=_csrf]').content;"
              + "fetch('/portal/token', {method: 'POST', headers: h}).then(r => r.json().then(b =>"
              + " done({status: r.status, cache: r.headers.get('Cache-Control'), has: !!b.accessToken})));");
      assertThat(token).containsEntry("status", 200L).containsEntry("has", true);
      assertThat((String) token.get("cache")).contains("no-store");

      // the socket's token expires: the page gets a fresh one (webos refreshes the session's through identity) and
      // resumes after the last entry it saw; a message sent then still arrives live
      browser.await(Duration.ofSeconds(TOKEN_SECONDS + 40), d -> browser.script(
          "return document.body.getAttribute('data-resumed');") != null && "on".equals(browser.script(
          "return document.body.getAttribute('data-live');")));
      assertThat(Http.post(messages.uri("/api/v1/conversations/" + conversation + "/messages"), token("wang",
          PASSWORD), Map.of("clientMessageId", UUID.randomUUID().toString(), "body", "Or at one?")).status())
          .isEqualTo(201);
      browser.await(Duration.ofSeconds(20), fresh(d -> "2".equals(d.findElement(By.id("unread")).getText())));
      assertThat(browser.script("return window.notReloaded === true;")).isEqualTo(true);
      browser.screenshot("second-message-after-reauthentication");

      // the admin area is for administrators only
      page.get(portal("/admin/usage"));
      browser.await(Duration.ofSeconds(10), d -> d.getTitle().equals("Administrators only"));
      browser.screenshot("admin-refused");
      assertThat(page.findElements(By.id("usage"))).isEmpty();

      // signing out ends the session at identity too: the desktop asks for a sign-in again
      page.get(portal("/"));
      browser.await(Duration.ofSeconds(20), d -> d.getTitle().equals("Desktop"));
      page.findElement(By.cssSelector("form[action$='/logout'] button")).click();
      browser.await(Duration.ofSeconds(20), d -> d.findElements(By.id("username")).size() == 1);
      browser.screenshot("signed-out");
      page.get(portal("/"));
      browser.await(Duration.ofSeconds(20), d -> d.findElements(By.id("username")).size() == 1);
    }
  }

  @Test
  void anAdministratorOnAPhoneGetsTheChineseDesktopAndTheGatewaysUsage() {
    // traffic through the gateway, most of it to the message center
    String wang = token("wang", PASSWORD);
    for (int i = 0; i < 6; i++) {
      assertThat(Http.get(URI.create(portal("/messages/api/v1/unread")), wang).status()).isEqualTo(200);
    }
    assertThat(Http.get(URI.create(portal("/auth/.well-known/openid-configuration")), wang).status())
        .isEqualTo(200);
    try (Chromium browser = Chromium.start("portal-admin-zh-phone", "zh-CN,zh")) {
      WebDriver page = browser.driver();
      browser.resize(Chromium.PHONE);
      signIn(browser, "admin");
      browser.await(Duration.ofSeconds(20), d -> d.getTitle().equals("桌面"));
      assertThat(page.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("zh-CN");
      assertThat(page.findElement(By.id("apps-title")).getText()).isEqualTo("应用");
      assertThat(browser.fitsWidth()).as("no sideways scrolling on a phone").isTrue();
      browser.screenshot("desktop-zh-phone");

      // keyboard: the first Tab reaches the skip link, which leads to the main content
      page.findElement(By.tagName("body")).sendKeys(Keys.TAB);
      assertThat(page.switchTo().activeElement().getAttribute("class")).isEqualTo("skip");

      page.findElement(By.linkText("管理")).click();
      browser.await(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("main h1")).stream()
          .anyMatch(h -> h.getText().equals("人员")));
      assertThat(page.findElement(By.tagName("main")).getText()).contains("lin", "wang");
      assertThat(browser.fitsWidth()).isTrue();
      browser.screenshot("admin-people-zh-phone");

      page.get(portal("/admin/usage"));
      String first = browser.await(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("#usage tbody tr"))
          .stream().findFirst().orElse(null)).getText();
      assertThat(first).startsWith("message-center").contains("热点");
      assertThat(browser.fitsWidth()).isTrue();
      browser.screenshot("admin-usage-zh-phone");

      // grant payroll to lin from the apps page: identity has the grant
      page.get(portal("/admin/apps"));
      org.openqa.selenium.WebElement payroll = page.findElement(By.cssSelector(
          "form[action$='/admin/apps/payroll/grants']"));
      payroll.findElement(By.name("people")).sendKeys("lin");
      payroll.findElement(By.tagName("button")).click();
      String saved = browser.await(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("[role=status]"))
          .stream().findFirst().orElse(null)).getText();
      assertThat(saved).isEqualTo("授权已保存。");
      assertThat(browser.fitsWidth()).isTrue();
      browser.screenshot("admin-apps-granted-zh-phone");
      assertThat(Http.get(identity.uri("/api/admin/apps/payroll/grants"), token("admin",
          IdentityProcess.ADMIN_PASSWORD)).body()).contains("\"lin\"");

      page.get(portal("/admin/devices?person=lin"));
      assertThat(page.findElement(By.tagName("main")).getText()).contains("lin 的设备", "没有设备");
      assertThat(browser.fitsWidth()).isTrue();
      browser.screenshot("admin-devices-zh-phone");
    }
  }

  private void signIn(Chromium browser, String who) {
    WebDriver page = browser.driver();
    page.get(portal("/"));
    browser.await(Duration.ofSeconds(20), d -> d.findElements(By.id("username")).size() == 1);
    browser.screenshot("identity-login-" + who);
    page.findElement(By.id("username")).sendKeys(who, Keys.TAB);
    page.switchTo().activeElement().sendKeys("admin".equals(who) ? IdentityProcess.ADMIN_PASSWORD : PASSWORD,
        Keys.ENTER);
  }

  /** A condition read again when the page swapped a panel under it (the live updates replace whole panels). */
  private static <T> Function<WebDriver, T> fresh(Function<WebDriver, T> condition) {
    return driver -> {
      try {
        return condition.apply(driver);
      } catch (StaleElementReferenceException swapped) {
        return null;
      }
    };
  }

  private String linToken() {
    return token("lin", PASSWORD);
  }

  private String token(String who, String password) {
    OidcBrowser.Tokens tokens = identity.signIn(who, password);
    assertThat(tokens.accessToken()).as("%s %s", tokens.status(), tokens.json()).isNotNull();
    return tokens.accessToken();
  }

  private static void expect(int status, Http.Response response) {
    assertThat(response.status()).as("%s", response).isEqualTo(status);
  }

  private String portal(String path) {
    return "http://127.0.0.1:" + webosPort + path;
  }
}
