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
import dev.atrium.webos.testing.TestServers;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The portal's browser ITs' world, started once per run for all of them (on two cores the set-up is most of their
 * time): PostgreSQL and Redis of its own, identity (under the name localhost, so its cookies and webos's are the
 * browser's two sites), the message center, SeaweedFS and netdisk, each from its own jar, and webos in this JVM
 * on 127.0.0.1. Identity's directory: the administrators {@code admin} and {@code rita}; {@code lin}, {@code wang}
 * and {@code hana}, who are not; the tenant's apps reports (granted to lin) and payroll, registered in identity
 * directly, so the market does not know them.
 */
public final class PortalWorld implements ParameterResolver, AutoCloseable {

  static final String PASSWORD = "a-long-password-1";
  /**
   * Identity's access tokens live this long here, so the page's socket is told to reauthenticate during a test and
   * webos refreshes the session's token (it does so within 60 s of the end) on most of its requests.
   */
  static final int TOKEN_SECONDS = 70;
  /** How often an open desktop reads its apps again here (60 s in a platform). */
  static final int APPS_REFRESH_SECONDS = 3;

  private PostgresServer postgres;
  private RedisServer redis;
  private IdentityProcess identity;
  private MessageCenterProcess messages;
  private SeaweedServer store;
  private NetdiskProcess netdisk;
  private ConfigurableApplicationContext webos;
  private int webosPort;

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PortalWorld.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.create(PortalWorld.class))
        .computeIfAbsent(PortalWorld.class, key -> start(), PortalWorld.class);
  }

  private static PortalWorld start() {
    PortalWorld world = new PortalWorld();
    try {
      world.startServers();
      world.directory();
      return world;
    } catch (RuntimeException e) {
      world.close();
      throw e;
    }
  }

  private void startServers() {
    postgres = PostgresServer.start();
    for (String database : List.of("identity", "messages", "netdisk", "webos")) {
      postgres.createDatabase(database);
    }
    redis = RedisServer.start();
    webosPort = FreePort.pick();
    String portal = "http://127.0.0.1:" + webosPort;
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
    settings.put("ATRIUM_WEBOS_APPS_REFRESH", APPS_REFRESH_SECONDS + "s");
    settings.put("ATRIUM_GATEWAY_USAGE_FLUSH", "1s");
    settings.put("ATRIUM_PLATFORM", "it");
    settings.put("logging.level.root", "WARN");
    List<String> args = new ArrayList<>();
    settings.forEach((key, value) -> args.add("--" + key + "=" + value));
    webos = new SpringApplicationBuilder(WebosApplication.class).run(args.toArray(String[]::new));
  }

  private void directory() {
    String admin = token(IdentityProcess.ADMIN);
    for (String[] person : List.of(new String[] {"lin", "Lin Wei"}, new String[] {"wang", "Wang Fang"},
        new String[] {"hana", "Hana Mori"}, new String[] {"rita", "Rita Admin"})) {
      expect(201, Http.post(identity.uri("/api/admin/people"), admin, Map.of("id", person[0], "displayName",
          person[1], "password", PASSWORD, "admin", person[0].equals("rita"))));
    }
    for (String[] app : List.of(new String[] {"reports", "Reports"}, new String[] {"payroll", "Payroll"})) {
      expect(201, Http.post(identity.uri("/api/admin/apps"), admin, Map.of("clientId", app[0], "name", app[1],
          "type", "WEB", "redirectUris", List.of("https://" + app[0] + ".example.test/callback"))));
    }
    expect(200, Http.put(identity.uri("/api/admin/apps/reports/grants"), admin, Map.of("people", List.of("lin"))));
  }

  IdentityProcess identity() {
    return identity;
  }

  MessageCenterProcess messages() {
    return messages;
  }

  NetdiskProcess netdisk() {
    return netdisk;
  }

  /** An address on webos, as the browser opens it. */
  String portal(String path) {
    return "http://127.0.0.1:" + webosPort + path;
  }

  URI portalUri(String path) {
    return URI.create(portal(path));
  }

  /** A fresh access token of {@code who}, signed in through identity's login page with the desktop's client. */
  String token(String who) {
    OidcBrowser.Tokens tokens = identity.signIn(who, password(who));
    assertThat(tokens.accessToken()).as("%s %s", tokens.status(), tokens.json()).isNotNull();
    return tokens.accessToken();
  }

  /** Opens the desktop and signs in on identity's page as {@code who}. */
  void signIn(Chromium browser, String who) {
    WebDriver page = browser.driver();
    page.get(portal("/"));
    browser.await(Duration.ofSeconds(20), d -> d.findElements(By.id("username")).size() == 1);
    browser.screenshot("identity-login-" + who);
    page.findElement(By.id("username")).sendKeys(who, Keys.TAB);
    page.switchTo().activeElement().sendKeys(password(who), Keys.ENTER);
  }

  /** Signs out with the banner's button; identity's session ends too, so its login page follows. */
  void signOut(Chromium browser) {
    browser.driver().findElement(By.cssSelector("form[action$='/logout'] button")).click();
    browser.await(Duration.ofSeconds(20), d -> d.findElements(By.id("username")).size() == 1);
  }

  private static String password(String who) {
    return IdentityProcess.ADMIN.equals(who) ? IdentityProcess.ADMIN_PASSWORD : PASSWORD;
  }

  static Http.Response expect(int status, Http.Response response) {
    assertThat(response.status()).as("%s", response).isEqualTo(status);
    return response;
  }

  @Override
  public void close() {
    TestServers.closeAll(webos, netdisk, store, messages, identity, redis, postgres);
  }
}
