package io.swarmshare.launcher;

import static io.swarmshare.launcher.Browser.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The tracker's page in a real browser: Debian's headless Chromium, driven by Selenium through
 * chromedriver, against {@code swarmshare tracker} started from the built jar, with a publish key
 * and an admin key configured. While a {@code share} seeder and a slowed {@code get} exchange a
 * file through it, the page lists the swarm with its seeder and leecher, shows its peers masked
 * and, given the admin key, whole; then it graphs the traffic and publishes a torrent through its
 * catalogue. Screenshots go to {@code target/tracker-ui*.png}.
 */
class TrackerWebUiIT {

  static final Duration START = Duration.ofSeconds(60);
  static final Duration DONE = Duration.ofSeconds(180);
  static final String ADMIN = "admin-key-for-the-test-0123";
  static final String ALICE = "alice-key-for-the-test-0123";
  static final String PAGE_UP = "its page at http://127\\.0\\.0\\.1:(\\d+)/";

  @TempDir Path dir;
  Browser browser;

  @BeforeEach
  void openBrowser() throws Exception {
    browser = Browser.open(dir);
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  WebElement row(String table, String name) {
    return browser.findElement(By.xpath("//tbody[@id='" + table + "']/tr[td[contains(@class,'name')]"
        + "/span[@class='title']='" + name + "']"));
  }

  String cell(String table, String name, String css) {
    return row(table, name).findElement(By.cssSelector(css)).getText();
  }

  List<String> column(String table, String css) {
    return browser.findElements(By.cssSelector("#" + table + " " + css)).stream().map(WebElement::getText).toList();
  }

  Background tracker() throws Exception {
    Path conf = dir.resolve("tracker.conf");
    Files.writeString(conf, "swarmshare.tracker {\n  web.admin-key = \"" + ADMIN + "\"\n"
        + "  publish-keys = [ { name = alice, key = \"" + ALICE + "\", quota = 10 MiB, per-hour = 100 } ]\n}\n");
    return Background.start(dir, List.of("config.file=" + conf), "tracker", "--host", "127.0.0.1", "--port", "0",
        "--data-dir", "t");
  }

  @Test
  void listsASwarmWhileTwoPeersExchangeAFileShowsItsPeersAndPublishesATorrent() throws Exception {
    Path seed = Files.createDirectories(dir.resolve("seed"));
    byte[] data = new byte[3_000_000];
    new Random(11).nextBytes(data);
    Files.write(seed.resolve("holiday.mp4"), data);
    Files.write(dir.resolve("notes.txt"), "published through the page\n".getBytes());
    Cli.run(dir, "create", "notes.txt", "-o", "notes.torrent").succeeds();

    try (Background tracker = tracker()) {
      String port = tracker.await(PAGE_UP, START).group(1);
      String url = "udp://127.0.0.1:" + port + "/announce";
      try (Background seeder = Background.start(seed, "share", "holiday.mp4", "--tracker", url, "--port", "0",
          "--data-dir", "torrents", "--publish-key", ALICE, "--quiet")) {
        seeder.await("published to the catalogue of", START);
        // Slowed to about 20 s, so that the page sees it as a leecher before it completes.
        try (Background leecher = Background.start(dir, "get", "holiday.mp4", "--tracker", url, "-o", "downloads",
            "--port", "0", "--download-limit", "150000", "--quiet")) {
          browser.get("http://127.0.0.1:" + port + "/");
          await(START).until(() -> browser.findElement(By.id("connection")).getText().equals("live"));
          await(DONE).untilAsserted(() -> {
            assertThat(cell("swarm-rows", "holiday.mp4", ".c-seeders")).isEqualTo("1");
            assertThat(cell("swarm-rows", "holiday.mp4", ".c-leechers")).isEqualTo("1");
          });
          assertThat(browser.findElement(By.id("sum-swarms")).getText()).isEqualTo("1 swarm");
          assertThat(browser.findElement(By.id("sum-peers")).getText()).isEqualTo("2 peers");
          browser.screenshot("tracker-ui-swarms.png");

          // Its peers: masked for anyone, whole with the admin key.
          row("swarm-rows", "holiday.mp4").findElement(By.cssSelector("button.show-peers")).click();
          await(START).until(() -> column("peer-rows", ".c-address").size() == 2);
          assertThat(column("peer-rows", ".c-address")).containsOnly("127.0.x.x");
          assertThat(column("peer-rows", ".c-role")).containsExactlyInAnyOrder("seeder", "leecher");
          assertThat(browser.findElement(By.id("peers-note")).getText()).isEqualTo("2 peers. Addresses masked.");
          browser.findElement(By.id("peers-full")).click();
          await(START).until(() -> browser.findElement(By.id("admin-dialog")).isDisplayed());
          browser.findElement(By.id("admin-key")).sendKeys("not-the-admin-key-0000");
          browser.findElement(By.id("admin-submit")).click();
          await(START).until(() -> browser.findElement(By.id("admin-error")).getText()
              .equals("that is not the tracker's admin key"));
          browser.findElement(By.id("admin-key")).clear();
          browser.findElement(By.id("admin-key")).sendKeys(ADMIN);
          browser.findElement(By.id("admin-submit")).click();
          await(START).until(() -> column("peer-rows", ".c-address").contains("127.0.0.1"));
          assertThat(column("peer-rows", ".c-port")).allMatch(p -> p.matches("\\d{1,5}"));
          assertThat(browser.findElement(By.id("peers-note")).getText()).contains("Full addresses");
          browser.screenshot("tracker-ui-peers.png");
          browser.findElement(By.id("peers-full")).click();
          await(START).until(() -> column("peer-rows", ".c-address").stream().allMatch("127.0.x.x"::equals));

          // The leecher completes and stays on as a seeder.
          await(DONE).until(() -> Files.exists(dir.resolve("downloads/holiday.mp4"))
              && java.util.Arrays.equals(Files.readAllBytes(dir.resolve("downloads/holiday.mp4")), data));
          await(DONE).untilAsserted(() -> {
            assertThat(cell("swarm-rows", "holiday.mp4", ".c-seeders")).isEqualTo("2");
            assertThat(cell("swarm-rows", "holiday.mp4", ".c-leechers")).isEqualTo("0");
            assertThat(cell("swarm-rows", "holiday.mp4", ".c-completed")).isEqualTo("1");
          });

          // Search hides it, clearing shows it again.
          browser.findElement(By.id("swarm-search")).sendKeys("no such name");
          await(START).until(() -> browser.findElements(By.cssSelector("#swarm-rows tr")).isEmpty());
          browser.findElement(By.id("swarm-search")).clear();
          browser.findElement(By.id("swarm-search")).sendKeys("HOLI");
          await(START).until(() -> browser.findElements(By.cssSelector("#swarm-rows tr")).size() == 1);

          // The traffic: announces over UDP counted and graphed.
          browser.findElement(By.id("tab-traffic")).click();
          await(START).until(() -> browser.findElement(By.id("graph")).isDisplayed());
          await(START).until(() -> !browser.findElement(By.id("fact-announces")).getText().startsWith("UDP 0"));
          assertThat(browser.findElement(By.id("fact-heap")).getText()).matches("[\\d.]+ [KMG]iB of [\\d.]+ [KMG]iB");
          assertThat(browser.findElement(By.id("fact-uptime")).getText()).matches("\\d+[smhd].*");
          assertThat(browser.findElements(By.cssSelector("#legend li"))).hasSize(5);
          browser.screenshot("tracker-ui-traffic.png");

          // The catalogue: the shared file with its .torrent and magnet link.
          browser.findElement(By.id("tab-catalogue")).click();
          await(START).until(() -> cell("cat-rows", "holiday.mp4", ".c-publisher").equals("alice"));
          String infoHash = row("cat-rows", "holiday.mp4").getAttribute("data-hash");
          assertThat(infoHash).matches("[0-9a-f]{40}");
          assertThat(row("cat-rows", "holiday.mp4").findElement(By.cssSelector("a.torrent-file")).getAttribute("href"))
              .isEqualTo("http://127.0.0.1:" + port + "/torrents/" + infoHash + ".torrent");
          assertThat(row("cat-rows", "holiday.mp4").findElement(By.cssSelector("a.magnet")).getAttribute("href"))
              .startsWith("magnet:?xt=urn:btih:" + infoHash + "&dn=holiday.mp4&tr=http%3A%2F%2F127.0.0.1%3A" + port);
          JavascriptExecutor js = browser;
          Object torrentSize = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
              + "fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => done(b.byteLength), e => done(String(e)));",
              "/torrents/" + infoHash + ".torrent");
          assertThat(torrentSize).isEqualTo(Files.size(seed.resolve("torrents/holiday.mp4.torrent")));
          browser.executeCdpCommand("Browser.grantPermissions", Map.of("permissions",
              List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
          row("cat-rows", "holiday.mp4").findElement(By.cssSelector("button.copy-magnet")).click();
          await(START).until(() -> browser.findElement(By.id("status")).getText()
              .equals("magnet link of holiday.mp4 copied"));
          Object copied = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
              + "navigator.clipboard.readText().then(done, e => done(String(e)));");
          assertThat(copied).isEqualTo(row("cat-rows", "holiday.mp4").findElement(By.cssSelector("a.magnet"))
              .getAttribute("href"));

          // Publishing needs the key: a wrong one is refused, the right one lists the torrent.
          assertThat(browser.findElement(By.id("publish-rule")).getText()).contains("publishing key");
          browser.findElement(By.id("publish-file")).sendKeys(dir.resolve("notes.torrent").toString());
          browser.findElement(By.id("publish-key")).sendKeys("wrong-key-0123456789");
          browser.findElement(By.id("publish-submit")).click();
          await(START).until(() -> browser.findElement(By.id("publish-result")).getText()
              .equals("Not published: that publish key is not known to this tracker"));
          browser.findElement(By.id("publish-key")).clear();
          browser.findElement(By.id("publish-key")).sendKeys(ALICE);
          browser.findElement(By.id("publish-submit")).click();
          await(START).until(() -> browser.findElement(By.id("publish-result")).getText()
              .startsWith("Published notes.txt ("));
          await(START).until(() -> cell("cat-rows", "notes.txt", ".c-publisher").equals("alice"));
          assertThat(Cli.run(dir, "list", "--tracker", url).succeeds().out()).contains("notes.txt");
          browser.screenshot("tracker-ui-catalogue.png");

          browser.manage().window().setSize(new Dimension(390, 844));
          browser.findElement(By.id("tab-swarms")).click();
          await(START).until(() -> browser.findElements(By.cssSelector("#swarm-rows tr")).size() == 1);
          browser.screenshot("tracker-ui-phone.png");

          assertThat(leecher.stop(Duration.ofSeconds(30))).isIn(0, 143);
        }
        assertThat(seeder.stop(Duration.ofSeconds(30))).isIn(0, 143);
      }
      assertThat(tracker.stop(Duration.ofSeconds(30))).isIn(0, 143);
    }
  }

  /** The page's formatting and small logic, run in the browser it is written for. */
  @Test
  void thePagesFormattingMagnetLinksGraphScaleAndSortOrder() throws Exception {
    try (Background tracker = Background.start(dir, "tracker", "--host", "127.0.0.1", "--port", "0",
        "--data-dir", "t")) {
      String port = tracker.await(PAGE_UP, START).group(1);
      browser.get("http://127.0.0.1:" + port + "/");
      await(START).until(() -> browser.findElement(By.id("connection")).getText().equals("live"));
      JavascriptExecutor js = browser;
      assertThat(js.executeScript("const p = window.trackerPage; return [p.size(0), p.size(1536), p.size(3000000),"
          + " p.duration(59), p.duration(3725), p.duration(90000), p.count(1234567), p.plural(1, 'peer'), p.plural(2000, 'swarm'), p.perSecond(0.5),"
          + " p.perSecond(12.34), p.perSecond(1234.5)];"))
          .isEqualTo(List.of("0 B", "1.50 KiB", "2.86 MiB", "59s", "1h 2m", "1d 1h", "1,234,567", "1 peer", "2,000 swarms", "0.50", "12.3", "1235"));
      assertThat(js.executeScript("return window.trackerPage.magnet('ab'.repeat(20), 'a b&c', 'tracker.example:6969');"))
          .isEqualTo("magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=a%20b%26c"
              + "&tr=http%3A%2F%2Ftracker.example%3A6969%2Fannounce&tr=udp%3A%2F%2Ftracker.example%3A6969%2Fannounce");
      assertThat(js.executeScript("const p = window.trackerPage; return [p.niceMax(0), p.niceMax(0.3), p.niceMax(7),"
          + " p.niceMax(10), p.niceMax(11), p.niceMax(4100)];"))
          .isEqualTo(List.of(1L, 0.5, 10L, 10L, 20L, 5000L));
      assertThat(js.executeScript("const p = window.trackerPage;"
          + "return p.points([{atMillis: 1000, x: 0}, {atMillis: 6000, x: 5}], 'x', 10, 6000, 10000, 100, 50);"))
          .isEqualTo(List.of(List.of(50L, 50L), List.of(100L, 25L)));
      assertThat(js.executeScript("const p = window.trackerPage; return [p.nextSort({sort: 'peers', dir: 'desc'}, 'peers'),"
          + " p.nextSort({sort: 'peers', dir: 'asc'}, 'name'), p.nextSort({sort: 'name', dir: 'asc'}, 'seeders')];"))
          .isEqualTo(List.of(Map.of("sort", "peers", "dir", "asc"), Map.of("sort", "name", "dir", "asc"),
              Map.of("sort", "seeders", "dir", "desc")));
      // No admin key and no publish keys on this one: full addresses are never offered, publishing is loopback's.
      browser.findElement(By.id("tab-catalogue")).click();
      await(START).until(() -> browser.findElement(By.id("publish-rule")).getText().contains("only from its own host"));
      assertThat(browser.findElement(By.id("publish-key-row")).isDisplayed()).isFalse();
      assertThat(browser.findElement(By.id("publish-submit")).isEnabled()).isTrue();
    }
  }
}
