package dev.atrium.webos.portal;

import static dev.atrium.servicetesting.Chromium.fresh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.Chromium;
import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.IdentityProcess;
import dev.atrium.servicetesting.MessageCenterProcess;
import dev.atrium.servicetesting.NetdiskProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;

/**
 * The portal in a real browser (headless Chromium), against real identity and the real message center (each from
 * its own jar), PostgreSQL and Redis ({@link PortalWorld}, shared with {@code MarketInABrowserIT}): a person signs
 * in on identity's page, sees only the apps granted to them, a message sent to them appears without a reload, a file
 * they upload from the desktop is in netdisk (its jar too, on SeaweedFS), the admin area refuses them; an
 * administrator on a phone gets the Chinese desktop and the gateway's usage, the busiest route first. Screenshots
 * of each step are kept in target/screenshots/.
 */
@ExtendWith(PortalWorld.class)
class PortalInABrowserIT {

  private final PortalWorld world;
  private final IdentityProcess identity;
  private final MessageCenterProcess messages;
  private final NetdiskProcess netdisk;

  PortalInABrowserIT(PortalWorld world) {
    this.world = world;
    this.identity = world.identity();
    this.messages = world.messages();
    this.netdisk = world.netdisk();
  }

  @Test
  void aPersonSignsInSeesTheirAppsAndAMessageArrivesLive() throws Exception {
    try (Chromium browser = Chromium.start("portal-desktop", "en-US,en")) {
      WebDriver page = browser.driver();
      signIn(browser, "lin");
      browser.await(Duration.ofSeconds(20), d -> d.getTitle().equals("Desktop"));
      browser.screenshot("desktop");

      // granted apps only: reports (the market does not know it: at its address from the settings), not payroll;
      // Atrium's own messages at the address of its version in the market (its panel on this desktop); the admin
      // console is not offered to a person who is not an administrator
      String apps = page.findElement(By.id("apps")).getText();
      assertThat(apps).contains("Reports", "Messages").doesNotContain("Payroll", "Admin console");
      assertThat(page.findElement(By.cssSelector("[data-app=reports] a")).getAttribute("href"))
          .isEqualTo("https://reports.example.test/");
      assertThat(page.findElement(By.cssSelector("[data-app=messages] a")).getAttribute("href"))
          .isEqualTo(portal("/#messages"));
      assertThat(page.findElement(By.id("files")).getText()).contains("No files yet");
      // no token is ever in the page (identity's are JWTs: "eyJ...")
      assertThat(page.getPageSource()).doesNotContain("eyJ");

      // live: the socket is open, then wang writes to lin and the panel shows it without a reload
      browser.await(Duration.ofSeconds(20), d -> "on".equals(browser.script(
          "return document.body.getAttribute('data-live');")));
      browser.script("window.notReloaded = true;");
      String wang = world.token("wang");
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
      browser.await(Duration.ofSeconds(PortalWorld.TOKEN_SECONDS + 40), d -> browser.script(
          "return document.body.getAttribute('data-resumed');") != null && "on".equals(browser.script(
          "return document.body.getAttribute('data-live');")));
      assertThat(Http.post(messages.uri("/api/v1/conversations/" + conversation + "/messages"), world.token("wang"),
          Map.of("clientMessageId", UUID.randomUUID().toString(), "body", "Or at one?")).status()).isEqualTo(201);
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
      world.signOut(browser);
      browser.screenshot("signed-out");
      page.get(portal("/"));
      browser.await(Duration.ofSeconds(20), d -> d.findElements(By.id("username")).size() == 1);
    }
  }

  @Test
  void anAdministratorOnAPhoneGetsTheChineseDesktopAndTheGatewaysUsage() {
    // traffic through the gateway, most of it to the message center
    String wang = world.token("wang");
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
      assertThat(Http.get(identity.uri("/api/admin/apps/payroll/grants"), world.token(IdentityProcess.ADMIN))
          .body()).contains("\"lin\"");

      page.get(portal("/admin/devices?person=lin"));
      assertThat(page.findElement(By.tagName("main")).getText()).contains("lin 的设备", "没有设备");
      assertThat(browser.fitsWidth()).isTrue();
      browser.screenshot("admin-devices-zh-phone");
    }
  }

  private void signIn(Chromium browser, String who) {
    world.signIn(browser, who);
  }

  private String linToken() {
    return world.token("lin");
  }

  private String portal(String path) {
    return world.portal(path);
  }
}
