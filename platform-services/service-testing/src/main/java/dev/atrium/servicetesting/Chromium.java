package dev.atrium.servicetesting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser for tests: Debian's headless Chromium, driven through Debian's chromedriver by Selenium. It runs
 * the page's own scripts, keeps cookies and follows redirects as a person's browser does, and keeps a screenshot of
 * each step under {@code target/screenshots/<name>/} as test output. Nothing is downloaded: the browser and the
 * driver are the system's ({@code .ci/run} installs them), never Selenium Manager's.
 */
public final class Chromium implements AutoCloseable {

  public static final Path BROWSER = Path.of("/usr/bin/chromium");
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  /** A desktop window, and a phone's screen (CSS pixels of a common 6.1-inch phone). */
  public static final Dimension DESKTOP = new Dimension(1280, 900);
  public static final Dimension PHONE = new Dimension(390, 844);

  /**
   * Selenium's DevTools bindings lag Debian's Chromium and say so at every start; nothing here uses DevTools. Held so
   * the level sticks (java.util.logging keeps loggers weakly).
   */
  private static final List<Logger> QUIETER = List.of(Logger.getLogger("org.openqa.selenium.devtools"),
      Logger.getLogger("org.openqa.selenium.chromium"));

  static {
    QUIETER.forEach(logger -> logger.setLevel(Level.SEVERE));
  }

  private final ChromeDriver driver;
  private final Path screenshots;
  private int step;

  private Chromium(ChromeDriver driver, Path screenshots) {
    this.driver = driver;
    this.screenshots = screenshots;
  }

  /**
   * Starts a browser whose preferred languages are {@code languages} (as Accept-Language, e.g. "zh-CN,zh"); its
   * screenshots go to {@code target/screenshots/<name>/}.
   */
  public static Chromium start(String name, String languages) {
    return start(name, languages, List.of());
  }

  /**
   * As {@link #start(String, String)}, with more of Chromium's switches, e.g. {@code --host-resolver-rules=MAP
   * collab.acme.example 10.213.0.2} to reach a site by its name where no DNS knows it.
   */
  public static Chromium start(String name, String languages, List<String> switches) {
    for (Path binary : List.of(BROWSER, DRIVER)) {
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(binary + " is missing: install Debian's chromium and chromium-driver "
            + "(.ci/run does)");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    // --no-sandbox: tests run as root, where Chromium's sandbox refuses to start
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--no-first-run", "--disable-extensions", "--window-size=" + DESKTOP.width + "," + DESKTOP.height,
        "--lang=" + languages.split(",")[0]);
    options.addArguments(switches);
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", languages));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    Path screenshots = Path.of("target", "screenshots", name);
    try {
      Files.createDirectories(screenshots);
    } catch (IOException e) {
      driver.quit();
      throw new UncheckedIOException(e);
    }
    return new Chromium(driver, screenshots);
  }

  public WebDriver driver() {
    return driver;
  }

  /** Resizes the window, e.g. to {@link #PHONE}. */
  public void resize(Dimension size) {
    driver.manage().window().setSize(size);
  }

  /**
   * A condition read again when the page swapped an element under it (pages that replace whole parts live, as
   * webos's desktop does its panels, leave the old elements stale).
   */
  public static <T> Function<WebDriver, T> fresh(Function<WebDriver, T> condition) {
    return driver -> {
      try {
        return condition.apply(driver);
      } catch (StaleElementReferenceException swapped) {
        return null;
      }
    };
  }

  /** Waits up to {@code timeout} for {@code condition} to give a value other than null or false. */
  public <T> T await(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout).until(condition);
  }

  /** Runs a script in the page and gives its result. */
  public Object script(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /** Keeps a picture of the page as it is now, numbered in the order taken; returns its file. */
  public Path screenshot(String what) {
    Path file = screenshots.resolve(String.format("%02d-%s.png", ++step, what));
    try {
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Whether the page fits the window's width (no sideways scrolling), e.g. on a phone's screen. */
  public boolean fitsWidth() {
    return (Boolean) script("return document.documentElement.scrollWidth <= window.innerWidth;");
  }

  @Override
  public void close() {
    driver.quit();
  }
}
