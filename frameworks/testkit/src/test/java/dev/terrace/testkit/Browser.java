package dev.terrace.testkit;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven through Debian's
 * {@code chromedriver} with Selenium WebDriver. Screenshots and the page's console go to
 * {@code target/webui-screenshots/}, kept as test output.
 */
final class Browser implements AutoCloseable {
  static final Path OUTPUT = Paths.get("target", "webui-screenshots").toAbsolutePath();

  private final ChromeDriver driver;
  private final Path profile;
  private final String prefix;

  private Browser(ChromeDriver driver, Path profile, String prefix) {
    this.driver = driver;
    this.profile = profile;
    this.prefix = prefix;
  }

  /** Whether both the browser and the driver are installed (scripts/install-test-deps.sh). */
  static boolean available() {
    return executable("chromium") != null && executable("chromedriver") != null;
  }

  /** @param prefix names this test's screenshots */
  static Browser open(String prefix) throws IOException {
    Path profile = Files.createTempDirectory("terrace-chromium-");
    ChromeOptions options = new ChromeOptions();
    // Explicit binaries: Selenium must not try to download a browser or a driver.
    options.setBinary(executable("chromium"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1280,900", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(executable("chromedriver"))).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    Files.createDirectories(OUTPUT);
    return new Browser(driver, profile, prefix);
  }

  ChromeDriver driver() {
    return driver;
  }

  void go(String url) {
    driver.get(url);
  }

  /** Waits until the element is there. */
  WebElement find(By by) {
    return until(() -> driver.findElement(by));
  }

  /** Waits until the element's text contains {@code text}; answers the element. */
  WebElement waitForText(By by, String text) {
    return until(() -> {
      WebElement e = driver.findElement(by);
      return e.getText().contains(text) ? e : null;
    });
  }

  /** Clicks the first link whose text is exactly {@code text}, once there is one. */
  void clickLink(String text) {
    until(() -> {
      driver.findElement(By.linkText(text)).click();
      return true;
    });
  }

  /** Waits until the current page's first paint with data (app.js marks it on the body). */
  void waitForPaint(String page) {
    until(() -> page.equals(driver.findElement(By.tagName("body")).getAttribute("data-painted")) ? true : null);
  }

  Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  <T> T until(Callable<T> probe) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions().until(probe, v -> v != null && !Boolean.FALSE.equals(v));
  }

  Path screenshot(String name) throws IOException {
    Path png = OUTPUT.resolve(prefix + "-" + name + ".png");
    Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
    return png;
  }

  /** The page's console so far (errors included), also written next to the screenshots. */
  List<String> console() throws IOException {
    List<String> lines = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::toString).toList();
    Files.write(OUTPUT.resolve(prefix + "-console.log"), lines, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    return lines;
  }

  @Override
  public void close() throws IOException {
    try {
      console();
    } catch (RuntimeException | IOException e) {
      // the console is a diagnostic: a closed session must not hide the test's own failure
    }
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }

  private static String executable(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Paths.get(dir, name);
      if (!dir.isEmpty() && Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
