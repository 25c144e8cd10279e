package io.swarmshare.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The browser of the browser tests: Debian's headless Chromium, driven by Selenium through
 * chromedriver, with its profile in the test's directory. It is a {@link ChromeDriver}, so that a
 * test reads as one written against Selenium; {@link #quit()} ends it.
 */
final class Browser extends ChromeDriver {

  private Browser(ChromeDriverService service, ChromeOptions options) {
    super(service, options);
  }

  /** A new browser, its profile under {@code dir}; the test is skipped (or fails on CI) without Chromium. */
  static Browser open(Path dir) throws IOException {
    RealTools.requireChromium();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(RealTools.CHROMIUM.toFile());
    // The machine's network is closed, and nothing should be fetched but the page under test.
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")), "--window-size=1280,900");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(RealTools.CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new Browser(service, options);
  }

  /** How the tests wait for the page: it is polled, and a missing element is not yet an answer. */
  static ConditionFactory await(Duration atMost) {
    return Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions();
  }

  /** The page as it looks now, to {@code target/NAME}. */
  void screenshot(String name) throws IOException {
    Path target = Files.createDirectories(Path.of("target"));
    Files.write(target.resolve(name), getScreenshotAs(OutputType.BYTES));
  }
}
