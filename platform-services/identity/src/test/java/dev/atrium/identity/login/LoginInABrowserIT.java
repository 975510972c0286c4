package dev.atrium.identity.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.atrium.identity.testing.Directory;
import dev.atrium.identity.testing.IdentityInstance;
import dev.atrium.identity.testing.OidcClient;
import dev.atrium.identity.testing.TestServers;
import dev.atrium.servicetesting.Chromium;
import dev.atrium.servicetesting.OidcBrowser.Pkce;
import dev.atrium.servicetesting.OidcBrowser.Tokens;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;

/**
 * The login page in a real browser (headless Chromium): a person signs in with the keyboard alone and the browser
 * lands on the app's loopback redirect with a code; the page speaks Chinese to a Chinese browser, fits a phone and
 * says what went wrong. Screenshots of each step are kept in target/screenshots/.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginInABrowserIT {

  private static final String CLIENT = "atrium-cli";

  private final IdentityInstance identity;
  private HttpServer app;
  private CompletableFuture<Map<String, String>> redirect;

  LoginInABrowserIT(IdentityInstance identity) {
    this.identity = identity;
  }

  @BeforeAll
  void people() {
    Directory directory = new Directory(identity);
    directory.person("lin");
  }

  /** The command-line client's loopback listener: where the browser is sent back with the code. */
  @BeforeEach
  void app() throws IOException {
    redirect = new CompletableFuture<>();
    app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    app.createContext("/callback", exchange -> {
      redirect.complete(query(exchange.getRequestURI().getRawQuery()));
      byte[] page = "<!DOCTYPE html><title>Signed in</title><p>You can close this window.</p>"
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    app.start();
  }

  @AfterEach
  void stopApp() {
    app.stop(0);
  }

  @Test
  void aPersonSignsInWithTheKeyboardAloneAndTheAppGetsACode() throws Exception {
    Pkce pkce = Pkce.create();
    try (Chromium browser = Chromium.start("identity-login-keyboard", "en-US,en")) {
      WebDriver page = browser.driver();
      page.get(new OidcClient(identity).authorizationUri(CLIENT, callback(), pkce, Map.of()).toString());
      browser.await(Duration.ofSeconds(15), d -> d.getTitle().equals("Sign in"));
      browser.screenshot("login-page");

      // the account field has the focus; Tab moves to the password; Enter signs in
      assertThat(page.switchTo().activeElement().getAttribute("id")).isEqualTo("username");
      page.switchTo().activeElement().sendKeys("lin", Keys.TAB);
      assertThat(page.switchTo().activeElement().getAttribute("id")).isEqualTo("password");
      page.switchTo().activeElement().sendKeys(Directory.PASSWORD, Keys.ENTER);

      Map<String, String> query = redirect.get(15, TimeUnit.SECONDS);
      browser.await(Duration.ofSeconds(10), d -> d.getTitle().equals("Signed in"));
      browser.screenshot("back-at-the-app");
      assertThat(query).containsKey("code").doesNotContainKey("error");
      Tokens tokens = new OidcClient(identity).publicExchange(CLIENT, query.get("code"), callback(), pkce.verifier());
      assertThat(SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet().getSubject()).isEqualTo("lin");
    }
  }

  @Test
  void aChineseBrowserGetsTheChinesePageThatFitsAPhoneAndSaysWhatWentWrong() {
    try (Chromium browser = Chromium.start("identity-login-zh-phone", "zh-CN,zh")) {
      WebDriver page = browser.driver();
      browser.resize(Chromium.PHONE);
      page.get(new OidcClient(identity).authorizationUri(CLIENT, callback(), Pkce.create(), Map.of()).toString());
      browser.await(Duration.ofSeconds(15), d -> d.getTitle().equals("登录"));
      assertThat(page.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("zh-CN");
      assertThat(page.findElement(By.cssSelector("label[for=username]")).getText()).isEqualTo("账号");
      assertThat(browser.fitsWidth()).as("no sideways scrolling on a phone").isTrue();
      browser.screenshot("login-page-zh-phone");

      page.findElement(By.id("username")).sendKeys("lin");
      page.findElement(By.id("password")).sendKeys("not the password", Keys.ENTER);
      String error = browser.await(Duration.ofSeconds(15),
          d -> d.findElements(By.cssSelector("[role=alert]")).stream().findFirst().orElse(null)).getText();
      browser.screenshot("wrong-password-zh");
      assertThat(error).isNotBlank().doesNotContain("Wrong");
      // still on identity's page, the account kept, nothing sent to the app
      assertThat(page.findElement(By.id("username")).getAttribute("value")).isEqualTo("lin");
      assertThat(redirect).isNotDone();
      assertThat(browser.fitsWidth()).isTrue();
    }
  }

  private String callback() {
    return "http://127.0.0.1:" + app.getAddress().getPort() + "/callback";
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }
}
