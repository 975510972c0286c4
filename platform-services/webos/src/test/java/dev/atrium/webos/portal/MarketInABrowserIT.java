package dev.atrium.webos.portal;

import static dev.atrium.webos.portal.PortalWorld.expect;
import static dev.atrium.servicetesting.Chromium.fresh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.Chromium;
import dev.atrium.servicetesting.Http;
import dev.atrium.servicetesting.IdentityProcess;
import dev.atrium.servicetesting.OidcApp;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import tools.jackson.databind.JsonNode;

/**
 * The app market in the portal, in real browsers against real identity ({@link PortalWorld}, shared with
 * {@code PortalInABrowserIT}). An administrator publishes an app, a real OpenID Connect client started here
 * ({@link OidcApp}), through the market's API. On the review page, in Chinese on a phone, the publisher's own
 * approval is refused (four eyes); a second administrator approves it and is shown its client secret once, and
 * grants it to hana on the apps page. Hana's desktop, open in another browser all along, shows it without a reload;
 * she opens it from there and is signed in to it by identity's session, without a second login. Withdrawn, it leaves
 * her desktop; published again, it is back in the catalogue. Another app's version is rejected with a reason.
 * Screenshots in target/screenshots/market-*.
 */
@ExtendWith(PortalWorld.class)
class MarketInABrowserIT {

  /** Long enough for a few of the desktop's reads of its apps, and for a busy machine. */
  private static final Duration DESKTOP_CATCHES_UP = Duration.ofSeconds(PortalWorld.APPS_REFRESH_SECONDS * 5L + 10);
  private static final Duration PAGE = Duration.ofSeconds(20);

  private final PortalWorld world;

  MarketInABrowserIT(PortalWorld world) {
    this.world = world;
  }

  @Test
  void anAppApprovedByASecondAdministratorAndGrantedOpensFromTheDesktopSignedInWithoutASecondLogin() {
    try (OidcApp app = OidcApp.start("board", world.identity().issuer(), "127.0.0.2");
        Chromium person = Chromium.start("market-person", "en-US,en");
        Chromium admins = Chromium.start("market-admins-zh-phone", "zh-CN,zh")) {
      publish("board", app.uri(""), "1.0");

      // hana's desktop, open before anything is approved or granted: no board
      WebDriver desk = person.driver();
      world.signIn(person, "hana");
      person.await(PAGE, d -> d.getTitle().equals("Desktop"));
      assertThat(desk.findElements(By.cssSelector("[data-app=board]"))).isEmpty();
      person.script("window.notReloaded = true;");
      person.screenshot("desktop-before");

      // its publisher opens the review queue from the admin navigation (the keyboard's Enter on the link)
      WebDriver page = admins.driver();
      admins.resize(Chromium.PHONE);
      world.signIn(admins, IdentityProcess.ADMIN);
      admins.await(PAGE, d -> d.getTitle().equals("桌面"));
      page.findElement(By.linkText("管理")).click();
      admins.await(PAGE, d -> !d.findElements(By.linkText("应用市场")).isEmpty());
      page.findElement(By.linkText("应用市场")).sendKeys(Keys.ENTER);
      admins.await(PAGE, d -> d.getTitle().equals("应用市场"));
      WebElement waiting = page.findElement(By.cssSelector("article[data-app=board]"));
      assertThat(waiting.getText()).contains("看板 1.0", "提交人", IdentityProcess.ADMIN, app.uri("/").toString(),
          "/apps/board/** → " + app.uri(""), app.redirectUri().toString(), "团队的看板");
      Instant submitted = Instant.parse(waiting.findElement(By.tagName("time")).getAttribute("datetime"));
      assertThat(submitted).isBetween(Instant.now().minusSeconds(300), Instant.now());
      assertThat(admins.fitsWidth()).as("no sideways scrolling on a phone").isTrue();
      admins.screenshot("review-queue-zh-phone");

      // ... and may not approve it: two administrators exist
      waiting.findElement(By.cssSelector("form[action$='/approve'] button")).click();
      says(admins, "alert", "操作未成功：这是你自己提交的版本，须由另一位管理员批准（四眼原则）。");
      assertThat(admins.fitsWidth()).isTrue();
      admins.screenshot("own-approval-refused-zh-phone");
      assertThat(version("board").path("state").asString()).isEqualTo("SUBMITTED");
      assertThat(Http.get(world.identity().uri("/api/admin/apps/board"), world.token(IdentityProcess.ADMIN))
          .status()).as("no client in identity yet").isEqualTo(404);

      // rita approves it, by keyboard, and is shown its client secret once
      world.signOut(admins);
      world.signIn(admins, "rita");
      admins.await(PAGE, d -> d.getTitle().equals("桌面"));
      page.get(world.portal("/admin/market"));
      WebElement approve = page.findElement(By.cssSelector(
          "article[data-app=board] form[action$='/approve'] button"));
      admins.script("arguments[0].focus();", approve);
      new Actions(page).sendKeys(Keys.ENTER).perform();
      String secret = admins.await(PAGE, d -> d.findElements(By.id("client-secret")).stream().findFirst()
          .orElse(null)).getText();
      assertThat(secret).hasSizeGreaterThan(20);
      assertThat(page.findElement(By.id("approved")).getText()).contains("board 的 1.0 版已批准并上线");
      assertThat(admins.fitsWidth()).isTrue();
      admins.screenshot("approved-secret-shown-once-zh-phone");

      page.get(world.portal("/admin/market"));
      assertThat(page.getPageSource()).doesNotContain(secret);
      assertThat(page.findElements(By.cssSelector("article[data-app=board]"))).isEmpty();
      WebElement listed = page.findElement(By.cssSelector("#catalogue [data-app=board]"));
      assertThat(listed.getText()).contains("看板", "企业自有", "已上架", "线上版本 1.0");
      admins.script("arguments[0].scrollIntoView();", listed);
      admins.screenshot("catalogue-zh-phone");

      // rita grants it to hana on the apps page
      page.get(world.portal("/admin/apps"));
      WebElement grants = page.findElement(By.cssSelector("form[action$='/admin/apps/board/grants']"));
      grants.findElement(By.name("people")).sendKeys("hana");
      grants.findElement(By.tagName("button")).click();
      says(admins, "status", "授权已保存。");
      admins.screenshot("granted-to-hana-zh-phone");

      // hana's desktop shows it without a reload, at the address of its approved version
      WebElement tile = person.await(DESKTOP_CATCHES_UP, fresh(d -> d.findElements(By.cssSelector(
          "[data-app=board] a")).stream().findFirst().orElse(null)));
      assertThat(person.script("return window.notReloaded === true;")).isEqualTo(true);
      assertThat(tile.getAttribute("href")).isEqualTo(app.uri("/").toString());
      assertThat(tile.getText()).isEqualTo("Board");
      person.screenshot("desktop-board-appeared");

      // she opens it and is signed in to it through identity's session: no login page, no password typed
      app.clientSecret(secret);
      String desktop = desk.getWindowHandle();
      tile.click();
      person.await(PAGE, d -> d.getWindowHandles().size() == 2);
      desk.switchTo().window(desk.getWindowHandles().stream().filter(h -> !h.equals(desktop)).findFirst()
          .orElseThrow());
      person.await(PAGE, d -> d.findElement(By.tagName("h1")).getText().startsWith("Hello"));
      assertThat(desk.findElement(By.tagName("h1")).getText()).isEqualTo("Hello Hana Mori");
      assertThat(desk.getCurrentUrl()).isEqualTo(app.uri("/").toString());
      assertThat(app.signIns()).isEqualTo(1);
      person.screenshot("app-signed-in-without-a-second-login");
      desk.close();
      desk.switchTo().window(desktop);

      // nothing was live before 1.0, so it cannot be rolled back: the market's reason shows
      page.get(world.portal("/admin/market"));
      page.findElement(By.cssSelector("#catalogue [data-app=board] form[action$='/rollback'] button")).click();
      says(admins, "alert", "操作未成功：Not now: no version was live before 1.0.");
      admins.screenshot("rollback-refused-zh-phone");

      // rita withdraws it: it leaves hana's desktop, again without a reload
      page.findElement(By.cssSelector("#catalogue [data-app=board] form[action$='/withdraw'] button")).click();
      says(admins, "status", "应用已下架：桌面和网关上都不再有它。");
      assertThat(page.findElement(By.cssSelector("#catalogue [data-app=board]")).getText()).contains("已下架");
      admins.screenshot("withdrawn-zh-phone");
      person.await(DESKTOP_CATCHES_UP, fresh(d -> d.findElements(By.cssSelector("[data-app=board]")).isEmpty()));
      assertThat(person.script("return window.notReloaded === true;")).isEqualTo(true);
      person.screenshot("desktop-board-withdrawn");

      // and publishes it again, with the version live before
      page.findElement(By.cssSelector("#catalogue [data-app=board] form[action$='/republish'] button")).click();
      says(admins, "status", "应用已重新上架。");
      assertThat(page.findElement(By.cssSelector("#catalogue [data-app=board]")).getText()).contains("已上架",
          "线上版本 1.0");
      admins.screenshot("published-again-zh-phone");
    }
  }

  @Test
  void aReviewerRejectsAVersionWithAReasonItsPublisherCanRead() {
    try (Chromium browser = Chromium.start("market-reject", "en-US,en")) {
      publish("draft", URI.create("https://draft.example.test"), "0.1");
      WebDriver page = browser.driver();
      world.signIn(browser, "rita");
      browser.await(PAGE, d -> d.getTitle().equals("Desktop"));
      page.get(world.portal("/admin/market"));
      WebElement waiting = page.findElement(By.cssSelector("article[data-app=draft]"));
      assertThat(waiting.getText()).contains("Board 0.1", "Submitted by", "admin");
      waiting.findElement(By.name("reason")).sendKeys("Its sign-in page is still in English only.");
      waiting.findElement(By.cssSelector("form[action$='/reject'] button")).click();
      says(browser, "status", "The version is rejected; its publisher sees the reason.");
      assertThat(page.findElements(By.cssSelector("article[data-app=draft]"))).isEmpty();
      browser.screenshot("rejected");

      JsonNode rejected = version("draft");
      assertThat(rejected.path("state").asString()).isEqualTo("REJECTED");
      assertThat(rejected.path("reason").asString()).isEqualTo("Its sign-in page is still in English only.");
      assertThat(rejected.path("reviewedBy").asString()).isEqualTo("rita");
    }
  }

  /**
   * Waits for the page after a form's post to say {@code text} in its message ({@code role} status or alert); the
   * page before it may still be there at first, with a message of its own.
   */
  private static void says(Chromium browser, String role, String text) {
    By message = By.cssSelector("[role=" + role + "]");
    try {
      browser.await(PAGE, fresh(d -> d.findElements(message).stream().anyMatch(e -> e.getText().equals(text))));
    } catch (TimeoutException e) {
      assertThat(browser.driver().findElements(message)).extracting(WebElement::getText).contains(text);
    }
  }

  /**
   * The administrator {@code admin} publishes an app served at {@code origin} through the market's API: it opens at
   * {@code /}, its API is on the same origin and its sign-in returns to {@code /callback} (as {@link OidcApp}'s).
   */
  private void publish(String app, URI origin, String version) {
    Map<String, Object> submission = new LinkedHashMap<>();
    submission.put("version", version);
    submission.put("nameZh", "看板");
    submission.put("nameEn", "Board");
    submission.put("descriptionZh", "团队的看板");
    submission.put("descriptionEn", "The team's board");
    submission.put("openUrl", origin + "/");
    submission.put("backendUrl", origin.toString());
    submission.put("clientType", "WEB");
    submission.put("redirectUris", List.of(origin + "/callback"));
    expect(201, Http.post(world.portalUri("/webos/api/v1/market/apps"), world.token(IdentityProcess.ADMIN),
        Map.of("app", app, "submission", submission)));
  }

  /** The latest version of {@code app} as the market's API shows it. */
  private JsonNode version(String app) {
    return expect(200, Http.get(world.portalUri("/webos/api/v1/market/apps/" + app),
        world.token(IdentityProcess.ADMIN))).json().path("versions").get(0);
  }
}
