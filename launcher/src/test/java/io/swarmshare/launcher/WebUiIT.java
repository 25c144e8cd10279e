package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The daemon's web UI in a real browser: Debian's headless Chromium, driven by Selenium through
 * chromedriver, against {@code swarmshare daemon} started from the built jar, with our tracker and
 * a {@code share} seeder beside it. The page adds a torrent by uploading its file, watches it
 * complete, stops, starts and removes it with its data; with a login configured, it logs in, and
 * a request without the login's CSRF token is refused. Screenshots go to {@code target/}.
 */
class WebUiIT {

  static final Duration START = Duration.ofSeconds(60);
  static final Duration DONE = Duration.ofSeconds(120);
  static final String WEB_UP = "web UI at http://127\\.0\\.0\\.1:(\\d+)/";

  @TempDir Path dir;
  ChromeDriver browser;

  @BeforeEach
  void openBrowser() throws Exception {
    RealTools.requireChromium();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(RealTools.CHROMIUM.toFile());
    // The machine's network is closed, and nothing should be fetched but the daemon's page.
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")), "--window-size=1280,900");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(RealTools.CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  static ConditionFactory await(Duration atMost) {
    return Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions();
  }

  void screenshot(String name) throws Exception {
    Path target = Files.createDirectories(Path.of("target"));
    Files.write(target.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
  }

  WebElement row(String name) {
    return browser.findElement(By.xpath("//tbody[@id='rows']/tr[td[contains(@class,'c-name')]='" + name + "']"));
  }

  String cell(String name, String column) {
    return row(name).findElement(By.cssSelector(column)).getText();
  }

  Background daemon(List<String> settings) throws Exception {
    return Background.start(dir, settings, "daemon", "--data-dir", "state", "--download-dir", "downloads",
        "--port", "0", "--rpc-port", "0");
  }

  @Test
  void aTorrentAddedByUploadingItsFileCompletesStopsStartsAndGoesWithItsData() throws Exception {
    Path seed = Files.createDirectories(dir.resolve("seed"));
    byte[] data = new byte[3_000_000];
    new Random(7).nextBytes(data);
    Files.write(seed.resolve("holiday.mp4"), data);
    try (Background tracker = Background.start(dir, "tracker", "--host", "127.0.0.1", "--port", "0",
        "--data-dir", "t")) {
      String url = "udp://127.0.0.1:" + tracker.await(Background.TRACKER_UP, START).group(1) + "/announce";
      try (Background seeder = Background.start(seed, "share", "holiday.mp4", "--tracker", url, "--port", "0",
          "--data-dir", "torrents", "--quiet");
          Background daemon = daemon(List.of())) {
        seeder.await("published to the catalogue of", START);
        Path torrent = seed.resolve("torrents/holiday.mp4.torrent");
        assertThat(torrent).exists();
        String port = daemon.await(WEB_UP, START).group(1);

        browser.get("http://127.0.0.1:" + port + "/");
        await(START).until(() -> browser.findElement(By.id("app")).isDisplayed()
            && browser.findElement(By.id("connection")).getText().equals("live"));
        assertThat(browser.findElement(By.id("empty")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();

        browser.findElement(By.id("add")).click();
        await(START).until(() -> browser.findElement(By.id("add-dialog")).isDisplayed());
        assertThat(browser.findElement(By.id("add-dir")).getAttribute("value"))
            .isEqualTo(dir.resolve("downloads").toString());
        browser.findElement(By.id("add-file")).sendKeys(torrent.toString());
        browser.findElement(By.id("add-confirm")).click();

        await(DONE).untilAsserted(() -> {
          assertThat(cell("holiday.mp4", ".pct")).isEqualTo("100%");
          assertThat(cell("holiday.mp4", ".c-state")).isEqualTo("seeding");
        });
        assertThat(cell("holiday.mp4", ".col-size")).isEqualTo("2.86 MiB");
        assertThat(Files.readAllBytes(dir.resolve("downloads/holiday.mp4"))).isEqualTo(data);
        assertThat(browser.findElement(By.id("node-count")).getText()).isEqualTo("1 torrent");
        assertThat(browser.findElement(By.id("node-free")).getText()).matches("[\\d.]+ [KMGTP]?i?B");
        screenshot("web-ui.png");

        // Search and the state filter hide it; clearing them shows it again.
        browser.findElement(By.id("search")).sendKeys("no such name");
        await(START).until(() -> browser.findElements(By.cssSelector("#rows tr")).isEmpty());
        browser.findElement(By.id("search")).clear();
        browser.findElement(By.id("search")).sendKeys("HOLI");
        await(START).until(() -> browser.findElements(By.cssSelector("#rows tr")).size() == 1);

        // The keyboard: Space on its checkbox selects it.
        row("holiday.mp4").findElement(By.cssSelector("input[type=checkbox]")).sendKeys(" ");
        await(START).until(() -> browser.findElement(By.id("selection")).getText().equals("1 selected"));
        browser.findElement(By.id("stop")).click();
        await(START).until(() -> cell("holiday.mp4", ".c-state").equals("stopped"));
        browser.findElement(By.cssSelector("#filter option[value=seeding]")).click();
        await(START).until(() -> browser.findElements(By.cssSelector("#rows tr")).isEmpty());
        browser.findElement(By.cssSelector("#filter option[value=all]")).click();
        browser.findElement(By.id("start")).click();
        await(DONE).until(() -> cell("holiday.mp4", ".c-state").equals("seeding"));

        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("web-ui-phone.png");
        browser.manage().window().setSize(new Dimension(1280, 900));

        browser.findElement(By.id("remove")).click();
        await(START).until(() -> browser.findElement(By.id("remove-dialog")).isDisplayed());
        assertThat(browser.findElement(By.id("remove-what")).getText()).isEqualTo("Remove holiday.mp4?");
        browser.findElement(By.id("delete-data")).click();
        browser.findElement(By.id("remove-confirm")).click();
        await(START).until(() -> browser.findElements(By.cssSelector("#rows tr")).isEmpty()
            && browser.findElement(By.id("node-count")).getText().equals("0 torrents"));
        await(START).until(() -> !Files.exists(dir.resolve("downloads/holiday.mp4")));
        assertThat(daemon.stop(Duration.ofSeconds(30))).isIn(0, 143);
      }
    }
  }

  @Test
  void withALoginThePageLogsInAndARequestWithoutTheCsrfTokenIsRefused() throws Exception {
    try (Background daemon = daemon(List.of("swarmshare.daemon.rpc-username=ann",
        "swarmshare.daemon.rpc-password=s3cret"))) {
      String port = daemon.await(WEB_UP, START).group(1);
      browser.get("http://127.0.0.1:" + port + "/");
      await(START).until(() -> browser.findElement(By.id("login")).isDisplayed());
      assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
      screenshot("web-ui-login.png");

      browser.findElement(By.id("login-user")).sendKeys("ann");
      browser.findElement(By.id("login-password")).sendKeys("guess");
      browser.findElement(By.id("login-submit")).click();
      await(START).until(() -> browser.findElement(By.id("login-error")).getText()
          .equals("wrong username or password"));
      browser.findElement(By.id("login-password")).sendKeys("s3cret");
      browser.findElement(By.id("login-password")).sendKeys(org.openqa.selenium.Keys.ENTER);
      await(START).until(() -> browser.findElement(By.id("app")).isDisplayed()
          && browser.findElement(By.id("connection")).getText().equals("live"));
      assertThat(browser.findElement(By.id("logout")).isDisplayed()).isTrue();

      // The page's own origin, with the login cookie, but without the CSRF token: refused.
      JavascriptExecutor js = browser;
      Object refused = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
          + "fetch('/transmission/rpc', {method: 'POST', body: '{\"method\":\"torrent-stop\"}'})"
          + ".then(r => done(r.status), e => done(String(e)));");
      assertThat(refused).isEqualTo(403L);
      Object withToken = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
          + "fetch('/web/session').then(r => r.json()).then(s => fetch('/transmission/rpc', {method: 'POST',"
          + " headers: {'X-CSRF-Token': s.csrf}, body: '{\"method\":\"session-get\"}'}))"
          + ".then(r => done(r.status), e => done(String(e)));");
      assertThat(withToken).as("with the token it reaches the RPC, which asks for its session id").isEqualTo(409L);

      browser.findElement(By.id("logout")).click();
      await(START).until(() -> browser.findElement(By.id("login")).isDisplayed());
      browser.navigate().refresh();
      await(START).until(() -> browser.findElement(By.id("login")).isDisplayed());
      assertThat(daemon.stop(Duration.ofSeconds(30))).isIn(0, 143);
    }
  }

  /** The page's formatting and list logic, run in the browser it is written for. */
  @Test
  void thePagesFormattingSortingAndEventFolding() throws Exception {
    try (Background daemon = daemon(List.of())) {
      browser.get("http://127.0.0.1:" + daemon.await(WEB_UP, START).group(1) + "/");
      await(START).until(() -> browser.findElement(By.id("app")).isDisplayed());
      JavascriptExecutor js = browser;
      assertThat(js.executeScript("const s = window.swarmshare; return [s.size(0), s.size(1023), s.size(1536),"
          + " s.size(3000000), s.rate(0), s.rate(2048), s.eta(-1), s.eta(59), s.eta(3725), s.eta(90000),"
          + " s.ratio(-1), s.ratio(1.5), s.percent(0), s.percent(0.9999), s.percent(1)];"))
          .isEqualTo(List.of("0 B", "1023 B", "1.50 KiB", "2.86 MiB", "\u2013", "2.00 KiB/s", "\u2013", "59s",
              "1h 2m", "1d 1h", "\u2013", "1.50", "0%", "99.9%", "100%"));
      assertThat(js.executeScript("const s = window.swarmshare;"
          + "return [s.stateText({status: 6, error: 0}), s.stateText({status: 0, error: 3, errorString: 'disk full'}),"
          + " s.stateText({status: 1, error: 0})];"))
          .isEqualTo(List.of("seeding", "error: disk full", "queued to check"));
      assertThat(js.executeScript("const s = window.swarmshare; const m = new Map();"
          + "s.apply(m, {reset: true, torrents: [{id: 1, name: 'b10', eta: -1, status: 4},"
          + " {id: 2, name: 'b9', eta: 5, status: 6}, {id: 3, name: 'a', eta: 50, status: 4}], removed: [], completed: []});"
          + "const done = s.apply(m, {reset: false, torrents: [{id: 2, name: 'b9', eta: 7, status: 6}], removed: [3],"
          + " completed: [2]});"
          + "const names = (v) => s.visible(m, Object.assign({filter: 'all', search: '', sort: 'name', dir: 1}, v))"
          + ".map(t => t.name).join(',');"
          + "return [names({}), names({sort: 'eta', dir: 1}), names({filter: 'seeding'}), names({search: 'B1'}),"
          + " String(done), String(m.get(2).eta)];"))
          .isEqualTo(List.of("b9,b10", "b9,b10", "b9", "b10", "2", "7"));
    }
  }
}
