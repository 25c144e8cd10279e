package io.swarmshare.launcher;

import static io.swarmshare.launcher.Browser.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * The daemon's web UI in a real browser: Debian's headless Chromium, driven by Selenium through
 * chromedriver, against {@code swarmshare daemon} started from the built jar, with our tracker and
 * a {@code share} seeder beside it. The page adds a torrent by uploading its file, watches it
 * complete, stops, starts and removes it with its data; it adds one found by name in the tracker's
 * catalogue; with a login configured, it logs in, and a request without the login's CSRF token is
 * refused. Screenshots go to {@code target/}.
 */
class WebUiIT {

  static final Duration START = Duration.ofSeconds(60);
  static final Duration DONE = Duration.ofSeconds(120);
  static final String WEB_UP = "web UI at http://127\\.0\\.0\\.1:(\\d+)/";

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

  WebElement row(String name) {
    return browser.findElement(By.xpath("//tbody[@id='rows']/tr[td[contains(@class,'c-name')]/span[@class='t-name']='"
        + name + "']"));
  }

  String cell(String name, String column) {
    return row(name).findElement(By.cssSelector(column)).getText();
  }

  Background daemon(List<String> settings) throws Exception {
    return Background.start(dir, settings, "daemon", "--data-dir", "state", "--download-dir", "downloads",
        "--port", "0", "--rpc-port", "0");
  }

  /** A file of random bytes under seed/, for {@link #seeder}; its bytes. */
  byte[] seedFile(String name, int size) throws Exception {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    Files.write(Files.createDirectories(dir.resolve("seed")).resolve(name), data);
    return data;
  }

  Background tracker() throws Exception {
    return Background.start(dir, "tracker", "--host", "127.0.0.1", "--port", "0", "--data-dir", "t");
  }

  static String announceUrl(Background tracker) throws Exception {
    return "udp://127.0.0.1:" + tracker.await(Background.TRACKER_UP, START).group(1) + "/announce";
  }

  /** {@code share} of seed/NAME, published to the tracker's catalogue, its torrent in seed/torrents/. */
  Background seeder(String name, String trackerUrl) throws Exception {
    return Background.start(dir.resolve("seed"), "share", name, "--tracker", trackerUrl, "--port", "0",
        "--data-dir", "torrents", "--quiet");
  }

  @Test
  void aMagnetLinkPastedInTheAddDialogIsFetchedFromThePeersItsTrackerNames() throws Exception {
    byte[] data = seedFile("film.mkv", 2_000_000);
    try (Background tracker = tracker()) {
      String url = announceUrl(tracker);
      try (Background seeder = Background.start(dir.resolve("seed"), "share", "film.mkv", "--tracker", url,
          "--port", "0", "--data-dir", "torrents");
          Background daemon = daemon(List.of())) {
        String magnet = seeder.await("(magnet:\\?\\S+)", START).group(1);
        String port = daemon.await(WEB_UP, START).group(1);
        browser.get("http://127.0.0.1:" + port + "/");
        await(START).until(() -> browser.findElement(By.id("connection")).getText().equals("live"));

        browser.findElement(By.id("add")).click();
        await(START).until(() -> browser.findElement(By.id("add-dialog")).isDisplayed());
        browser.findElement(By.id("add-link")).sendKeys("ftp://example.org/x.torrent");
        browser.findElement(By.id("add-confirm")).click();
        assertThat(browser.findElement(By.id("add-link-error")).getText())
            .startsWith("a link starts with magnet:? or http:// or https://");
        assertThat(browser.findElement(By.id("add-dialog")).isDisplayed()).as("nothing was sent").isTrue();
        browser.findElement(By.id("add-link")).clear();
        browser.findElement(By.id("add-link")).sendKeys("magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=nobody%20has%20it");
        browser.findElement(By.id("add-confirm")).click();
        await(START).untilAsserted(() -> {
          assertThat(cell("nobody has it", ".c-state")).isEqualTo("fetching metadata");
          assertThat(cell("nobody has it", ".col-size")).isEqualTo("\u2013");
        });

        browser.findElement(By.id("add")).click();
        await(START).until(() -> browser.findElement(By.id("add-dialog")).isDisplayed());
        assertThat(browser.findElement(By.id("add-link")).getAttribute("value")).as("the dialog starts empty").isEmpty();
        browser.findElement(By.id("add-link")).sendKeys(magnet);
        browser.findElement(By.id("add-confirm")).click();
        await(DONE).untilAsserted(() -> {
          assertThat(cell("film.mkv", ".pct")).isEqualTo("100%");
          assertThat(cell("film.mkv", ".c-state")).isEqualTo("seeding");
        });
        assertThat(cell("film.mkv", ".col-size")).isEqualTo("1.91 MiB");
        assertThat(Files.readAllBytes(dir.resolve("downloads/film.mkv"))).isEqualTo(data);
        browser.screenshot("web-ui-magnet.png");
      }
    }
  }

  @Test
  void aTorrentAddedByUploadingItsFileCompletesStopsStartsAndGoesWithItsData() throws Exception {
    byte[] data = seedFile("holiday.mp4", 3_000_000);
    Path seed = dir.resolve("seed");
    try (Background tracker = tracker()) {
      String url = announceUrl(tracker);
      try (Background seeder = seeder("holiday.mp4", url);
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
        browser.screenshot("web-ui.png");

        // A second peer that stays a leecher (its download held to 20 kB/s) while the pane is open.
        String peerPort = daemon.await("peers on port (\\d+)", START).group(1);
        Files.createDirectories(dir.resolve("leech"));
        try (Background leecher = Background.start(dir.resolve("leech"), "get", torrent.toString(), "--peer",
            "127.0.0.1:" + peerPort, "-o", ".", "--port", "0", "--download-limit", "20000")) {
          detailPaneShowsTheTorrent(url, peerPort, port);
        }

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
        browser.screenshot("web-ui-phone.png");
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
  void aTorrentPickedFromATrackersCatalogueOnThePageIsAddedAndCompletes() throws Exception {
    byte[] data = seedFile("lecture.pdf", 1_000_000);
    try (Background tracker = tracker()) {
      String url = announceUrl(tracker);
      Path conf = Files.writeString(dir.resolve("daemon.conf"),
          "swarmshare.daemon.web.catalogue-trackers = [\"" + url + "\"]\n");
      try (Background seeder = seeder("lecture.pdf", url);
          Background daemon = daemon(List.of("config.file=" + conf))) {
        seeder.await("published to the catalogue of", START);
        String port = daemon.await(WEB_UP, START).group(1);
        browser.get("http://127.0.0.1:" + port + "/");
        await(START).until(() -> browser.findElement(By.id("connection")).getText().equals("live"));

        browser.findElement(By.id("add")).click();
        await(START).until(() -> browser.findElement(By.id("add-dialog")).isDisplayed()
            && browser.findElement(By.id("cat-tracker")).getDomProperty("value").equals(url));
        browser.findElement(By.id("cat-name")).sendKeys("nothing like it", org.openqa.selenium.Keys.ENTER);
        await(START).until(() -> browser.findElement(By.id("cat-result")).getText()
            .equals("nothing of that name in this catalogue"));
        browser.findElement(By.id("cat-name")).clear();
        browser.findElement(By.id("cat-name")).sendKeys("LECT");
        browser.findElement(By.id("cat-search")).click();
        await(START).until(() -> texts("#cat-entries .cat-name").equals(List.of("lecture.pdf")));
        assertThat(browser.findElement(By.id("cat-result")).getText()).isEqualTo("1 match");
        assertThat(texts("#cat-entries .muted")).containsExactly("977 KiB, 1 seeder");
        browser.screenshot("web-ui-catalogue.png");
        browser.findElement(By.cssSelector("#cat-entries .cat-add")).click();

        await(START).until(() -> !browser.findElement(By.id("add-dialog")).isDisplayed());
        await(DONE).untilAsserted(() -> {
          assertThat(cell("lecture.pdf", ".pct")).isEqualTo("100%");
          assertThat(cell("lecture.pdf", ".c-state")).isEqualTo("seeding");
        });
        assertThat(Files.readAllBytes(dir.resolve("downloads/lecture.pdf"))).isEqualTo(data);
        assertThat(daemon.stop(Duration.ofSeconds(30))).isIn(0, 143);
      }
    }
  }

  /**
   * The piece map while the daemon downloads, held to 20 kB/s by its node-wide limit: pieces in
   * progress drawn and counted apart from verified and missing ones; once the limit is lifted and
   * the download completes, none in progress.
   */
  @Test
  void thePieceMapShowsPiecesInProgressWhileADownloadRunsAndNoneOnceItIsComplete() throws Exception {
    byte[] data = seedFile("album.zip", 4_000_000);
    Path seed = dir.resolve("seed");
    try (Background tracker = tracker()) {
      String url = announceUrl(tracker);
      try (Background seeder = seeder("album.zip", url);
          Background daemon = daemon(List.of())) {
        seeder.await("published to the catalogue of", START);
        String port = daemon.await(WEB_UP, START).group(1);
        DaemonIT.Rpc rpc = new DaemonIT.Rpc(port);
        rpc.call("{\"method\":\"session-set\",\"arguments\":{\"speed-limit-down\":20,"
            + "\"speed-limit-down-enabled\":true}}");
        browser.get("http://127.0.0.1:" + port + "/");
        await(START).until(() -> browser.findElement(By.id("connection")).getText().equals("live"));
        rpc.call("{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"" + java.util.Base64.getEncoder()
            .encodeToString(Files.readAllBytes(seed.resolve("torrents/album.zip.torrent"))) + "\"}}");
        await(START).until(() -> !browser.findElements(By.cssSelector("#rows tr")).isEmpty());
        row("album.zip").findElement(By.cssSelector(".c-name")).click();

        // Read in one script, so that the counts, the legend and the picture are of one rendering.
        String read = "const c = document.getElementById('piece-map'); const g = c.getContext('2d');"
            + "const px = g.getImageData(0, 0, c.width, c.height).data; let amber = false;"
            + "for (let i = 0; i < px.length; i += 4) if (px[i] === 0xe0 && px[i + 1] === 0xa0 && px[i + 2] === 0x30)"
            + " amber = true;"
            + "return [c.dataset.pieces || '', c.dataset.verified || '', c.dataset.inProgress || '',"
            + " c.dataset.missing || '', document.getElementById('piece-counts').textContent, String(amber)];";
        JavascriptExecutor js = browser;
        await(DONE).untilAsserted(() -> {
          @SuppressWarnings("unchecked")
          List<String> map = (List<String>) js.executeScript(read);
          assertThat(map.get(2)).as("in progress").isNotIn("", "0");
          int pieces = Integer.parseInt(map.get(0));
          int verified = Integer.parseInt(map.get(1));
          int fetching = Integer.parseInt(map.get(2));
          int missing = Integer.parseInt(map.get(3));
          assertThat(verified + fetching + missing).isEqualTo(pieces);
          assertThat(map.get(4)).isEqualTo("(" + verified + " verified, " + fetching + " in progress, " + missing
              + " missing)");
          assertThat(map.get(5)).as("drawn in the in-progress colour").isEqualTo("true");
        });
        // The list comes by its own push, up to a second behind the pane.
        await(START).until(() -> cell("album.zip", ".c-state").equals("downloading"));
        browser.screenshot("web-ui-detail-in-progress.png");

        rpc.call("{\"method\":\"session-set\",\"arguments\":{\"speed-limit-down-enabled\":false}}");
        await(DONE).untilAsserted(() -> {
          @SuppressWarnings("unchecked")
          List<String> map = (List<String>) js.executeScript(read);
          assertThat(map.get(1)).as("verified").isEqualTo(map.get(0));
          assertThat(map.get(2)).as("in progress").isEqualTo("0");
          assertThat(map.get(3)).as("missing").isEqualTo("0");
          assertThat(map.get(4)).isEqualTo("(" + map.get(0) + " verified, 0 in progress, 0 missing)");
          assertThat(map.get(5)).as("nothing drawn in the in-progress colour").isEqualTo("false");
        });
        await(DONE).until(() -> cell("album.zip", ".c-state").equals("seeding"));
        assertThat(Files.readAllBytes(dir.resolve("downloads/album.zip"))).isEqualTo(data);
        assertThat(daemon.stop(Duration.ofSeconds(30))).isIn(0, 143);
      }
    }
  }

  List<String> texts(String css) {
    return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
  }

  /** A fact of the General tab, shown or not. */
  String fact(String key) {
    return browser.findElement(By.cssSelector("#general dd[data-fact=" + key + "]")).getDomProperty("textContent");
  }

  /**
   * The detail pane of holiday.mp4, seeded by the daemon with a leecher connected: its facts, its
   * piece map, its files, peers and trackers; then the node's limits, alt speed and port, set from
   * the page and read back through the RPC; and the page's event stream ending when the page goes.
   */
  void detailPaneShowsTheTorrent(String trackerUrl, String peerPort, String rpcPort) throws Exception {
    DaemonIT.Rpc rpc = new DaemonIT.Rpc(rpcPort);
    String hash = rpc.call("{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"hashString\"]}}")
        .path("torrents").get(0).path("hashString").asText();

    row("holiday.mp4").findElement(By.cssSelector(".c-name")).click();
    await(START).until(() -> browser.findElement(By.id("detail")).isDisplayed()
        && fact("hash").equals(hash));
    assertThat(browser.findElement(By.id("detail-name")).getText()).isEqualTo("holiday.mp4");
    assertThat(fact("magnet")).startsWith("magnet:?xt=urn:btih:" + hash);
    assertThat(fact("pieces")).matches("\\d+ \u00d7 [\\d.]+ [KM]iB");
    assertThat(fact("where")).isEqualTo(dir.resolve("downloads").toString());
    assertThat(fact("downloaded")).as("a block fetched twice in the endgame counts twice").matches("2\\.\\d\\d MiB");
    assertThat(fact("error")).isEqualTo("none");
    WebElement map = browser.findElement(By.id("piece-map"));
    int pieces = Integer.parseInt(map.getDomAttribute("data-pieces"));
    assertThat(pieces).isPositive();
    assertThat(map.getDomAttribute("data-verified")).isEqualTo(String.valueOf(pieces));
    assertThat(map.getDomAttribute("data-missing")).isEqualTo("0");
    // Drawn: the canvas holds the verified colour, not an empty picture.
    JavascriptExecutor js = browser;
    assertThat(js.executeScript("const c = document.getElementById('piece-map');"
        + "const p = c.getContext('2d').getImageData(1, c.height - 2, 1, 1).data; return p[3] === 255 && p[0] < 100;"))
        .isEqualTo(true);
    browser.screenshot("web-ui-detail.png");

    browser.findElement(By.id("tab-files")).click();
    await(START).until(() -> texts("#files td").equals(List.of("holiday.mp4", "2.86 MiB", "100%")));

    browser.findElement(By.id("tab-peers")).click();
    await(DONE).untilAsserted(() -> {
      List<WebElement> peers = browser.findElements(By.cssSelector("#peers tr"));
      assertThat(peers).isNotEmpty();
      WebElement peer = peers.get(0);
      assertThat(peer.findElement(By.cssSelector(".address")).getText()).startsWith("127.0.0.1:");
      assertThat(peer.findElement(By.cssSelector(".client")).getText()).startsWith("swarmshare ");
      assertThat(peer.findElement(By.cssSelector(".flags")).getText()).contains("uploading");
    });
    assertThat(browser.findElement(By.id("no-peers")).isDisplayed()).isFalse();
    browser.screenshot("web-ui-detail-peers.png");

    browser.findElement(By.id("tab-trackers")).click();
    await(DONE).untilAsserted(() -> {
      List<String> tracker = texts("#trackers tr:first-child td");
      assertThat(tracker.get(0)).isEqualTo(trackerUrl);
      assertThat(tracker.get(1)).isEqualTo("1");
      assertThat(tracker.get(2)).contains(": got ");
      assertThat(tracker.get(3)).startsWith("in ");
      assertThat(tracker.get(4)).matches("\\d+");
    });
    browser.screenshot("web-ui-detail-trackers.png");

    // The keyboard: Escape closes the pane, Enter on a row opens it again.
    browser.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.ESCAPE);
    await(START).until(() -> !browser.findElement(By.id("detail")).isDisplayed());
    row("holiday.mp4").findElement(By.cssSelector("input[type=checkbox]")).sendKeys(org.openqa.selenium.Keys.ENTER);
    await(START).until(() -> browser.findElement(By.id("detail")).isDisplayed());
    browser.findElement(By.id("detail-close")).click();
    await(START).until(() -> !browser.findElement(By.id("detail")).isDisplayed());

    // The node: its port listening, its rates graphed, its limits set from the page.
    await(START).until(() -> browser.findElement(By.id("node-port")).getText().equals(peerPort + " (listening)"));
    await(START).until(() -> Integer.parseInt(browser.findElement(By.id("rates-graph"))
        .getDomAttribute("data-samples")) >= 2);
    browser.findElement(By.id("limits")).click();
    await(START).until(() -> browser.findElement(By.id("limits-dialog")).isDisplayed());
    browser.findElement(By.id("limit-down-on")).click();
    browser.findElement(By.id("limit-down")).clear();
    browser.findElement(By.id("limit-down")).sendKeys("-5");
    browser.findElement(By.id("limits-save")).click();
    await(START).until(() -> browser.findElement(By.id("status")).getText()
        .equals("Download limit cannot be negative: -5"));
    assertThat(browser.findElement(By.id("limits-dialog")).isDisplayed()).as("still open to mend").isTrue();
    browser.findElement(By.id("limit-down")).clear();
    browser.findElement(By.id("limit-down")).sendKeys("250");
    browser.findElement(By.id("limits-save")).click();
    await(START).until(() -> browser.findElement(By.id("node-down")).getText().endsWith("(limit 250 kB/s)"));
    var session = rpc.call("{\"method\":\"session-get\"}");
    assertThat(session.path("speed-limit-down").asInt()).isEqualTo(250);
    assertThat(session.path("speed-limit-down-enabled").asBoolean()).isTrue();
    assertThat(session.path("speed-limit-up-enabled").asBoolean()).isFalse();

    browser.findElement(By.id("alt-speed")).click();
    await(START).until(() -> "true".equals(browser.findElement(By.id("alt-speed")).getDomAttribute("aria-pressed")));
    assertThat(rpc.call("{\"method\":\"session-get\"}").path("alt-speed-enabled").asBoolean()).isTrue();
    assertThat(browser.findElement(By.id("node-down")).getText()).endsWith("(limit 50 kB/s)");
    browser.screenshot("web-ui-node.png");
    browser.findElement(By.id("alt-speed")).click();
    await(START).until(() -> "false".equals(browser.findElement(By.id("alt-speed")).getDomAttribute("aria-pressed")));
    assertThat(rpc.call("{\"method\":\"session-get\"}").path("alt-speed-enabled").asBoolean()).isFalse();

    // Escape with the pane closed clears the selection the click made, as the test goes on to select by keyboard.
    browser.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.ESCAPE);
    await(START).until(() -> browser.findElement(By.id("selection")).getText().isEmpty());
  }

  /**
   * A torrent's labels and its own speed limits, set in the detail pane's Options tab: bad input is
   * refused beside the field and changes nothing; what is saved is what torrent-get answers, what
   * the list shows and filters by, and what the pane shows again after a reload.
   */
  @Test
  void aTorrentsLabelsAndSpeedLimitsAreSetInItsOptionsAndShownAfterAReload() throws Exception {
    Path data = Files.write(Files.createDirectories(dir.resolve("downloads")).resolve("concert.flac"),
        seedFile("concert.flac", 400_000));
    Path other = Files.write(dir.resolve("downloads/speech.ogg"), seedFile("speech.ogg", 100_000));
    try (Background daemon = daemon(List.of())) {
      String port = daemon.await(WEB_UP, START).group(1);
      DaemonIT.Rpc rpc = new DaemonIT.Rpc(port);
      for (Path file : List.of(data, other)) {
        rpc.call("{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"" + java.util.Base64.getEncoder()
            .encodeToString(io.swarmshare.messages.metainfo.TorrentCreator.of(file).create().encode()) + "\"}}");
      }
      browser.get("http://127.0.0.1:" + port + "/");
      await(DONE).until(() -> cell("concert.flac", ".c-state").equals("seeding")
          && cell("speech.ogg", ".c-state").equals("seeding"));
      assertThat(texts("#label-filter option")).containsExactly("Any label");
      openOptions("concert.flac");
      assertThat(fact("labels")).isEqualTo("none");
      assertThat(fact("limits")).isEqualTo("down no limit, up no limit; the node\u2019s limits apply too");
      assertThat(browser.findElement(By.id("opt-honors")).isSelected()).isTrue();
      assertThat(browser.findElement(By.id("opt-no-labels")).isDisplayed()).isTrue();

      // Refused on the page, each with what is wrong, and nothing sent.
      WebElement label = browser.findElement(By.id("opt-label"));
      label.sendKeys("live,2024", org.openqa.selenium.Keys.ENTER);
      await(START).until(() -> optionsError().equals(
          "a label cannot contain a comma (clients join labels with commas): live,2024"));
      assertThat(texts("#opt-labels li span")).isEmpty();
      label.clear();
      browser.findElement(By.id("opt-down-on")).click();
      browser.findElement(By.id("opt-down")).sendKeys("-5");
      browser.findElement(By.id("opt-save")).click();
      await(START).until(() -> optionsError().equals("Download limit cannot be negative: -5"));
      browser.findElement(By.id("opt-down")).clear();
      browser.findElement(By.id("opt-down")).sendKeys("fast");
      browser.findElement(By.id("opt-save")).click();
      await(START).until(() -> optionsError().equals("Download limit must be a whole number of kB/s, not fast"));
      browser.findElement(By.id("opt-down")).clear();
      browser.findElement(By.id("opt-save")).click();
      await(START).until(() -> optionsError().equals(
          "Download limit: a limit that is on needs a number of kB/s above 0"));
      String limits = "\"name\",\"labels\",\"downloadLimit\",\"downloadLimited\",\"uploadLimit\",\"uploadLimited\","
          + "\"honorsSessionLimits\"";
      String get = "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[" + limits + "]}}";
      var before = named(rpc.call(get), "concert.flac");
      assertThat(before.path("downloadLimited").asBoolean()).isFalse();
      assertThat(before.path("labels")).isEmpty();

      // Two labels, one taken off again, a download limit on, an upload limit kept but off, the node's limits not.
      label.sendKeys("live", org.openqa.selenium.Keys.ENTER);
      label.sendKeys("classical");
      browser.findElement(By.id("opt-label-add")).click();
      label.sendKeys("bootleg", org.openqa.selenium.Keys.ENTER);
      await(START).until(() -> texts("#opt-labels li span").equals(List.of("live", "classical", "bootleg")));
      browser.findElement(By.cssSelector("#opt-labels button[aria-label='Remove the label bootleg']")).click();
      browser.findElement(By.id("opt-down")).sendKeys("250");
      browser.findElement(By.id("opt-up")).sendKeys("40");
      browser.findElement(By.id("opt-honors")).click();
      browser.findElement(By.id("opt-save")).click();
      await(START).until(() -> browser.findElement(By.id("status")).getText()
          .equals("saved the options of concert.flac"));
      assertThat(optionsError()).isEmpty();

      var after = named(rpc.call(get), "concert.flac");
      assertThat(after.path("labels")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
          .containsExactly("live", "classical");
      assertThat(after.path("downloadLimit").asInt()).isEqualTo(250);
      assertThat(after.path("downloadLimited").asBoolean()).isTrue();
      assertThat(after.path("uploadLimit").asInt()).isEqualTo(40);
      assertThat(after.path("uploadLimited").asBoolean()).isFalse();
      assertThat(after.path("honorsSessionLimits").asBoolean()).isFalse();
      await(START).until(() -> fact("labels").equals("live, classical"));

      // Pushed to the list: its tags, and a label filter that knows them.
      await(START).until(() -> texts("#rows .t-labels .tag").equals(List.of("live", "classical")));
      browser.screenshot("web-ui-detail-options.png");
      assertThat(texts("#label-filter option")).containsExactly("Any label", "classical", "live");
      browser.findElement(By.cssSelector("#label-filter option[value=live]")).click();
      await(START).until(() -> texts("#rows .t-name").equals(List.of("concert.flac")));
      browser.findElement(By.cssSelector("#label-filter option[value='']")).click();
      await(START).until(() -> texts("#rows .t-name").size() == 2);

      // The RPC refuses what the page would not send, with a result line that says why.
      JavascriptExecutor js = browser;
      assertThat(js.executeAsyncScript("const done = arguments[arguments.length - 1];"
          + "const post = (id) => fetch('/transmission/rpc', {method: 'POST', headers: {'X-Transmission-Session-Id': id},"
          + " body: JSON.stringify({method: 'torrent-set', arguments: {labels: ['a,b'], uploadLimit: -1}})});"
          + "post('').then(r => post(r.headers.get('X-Transmission-Session-Id'))).then(r => r.json())"
          + ".then(b => done(b.result), e => done(String(e)));"))
          .isEqualTo("uploadLimit must be a whole number of kB/s from 0 to 2147483647, got -1");

      browser.navigate().refresh();
      await(START).until(() -> browser.findElement(By.id("connection")).getText().equals("live"));
      openOptions("concert.flac");
      assertThat(fact("labels")).isEqualTo("live, classical");
      assertThat(fact("limits")).isEqualTo("down 250 kB/s, up no limit; the node\u2019s limits do not apply");
      assertThat(texts("#opt-labels li span")).containsExactly("live", "classical");
      assertThat(browser.findElement(By.id("opt-down-on")).isSelected()).isTrue();
      assertThat(browser.findElement(By.id("opt-down")).getDomProperty("value")).isEqualTo("250");
      assertThat(browser.findElement(By.id("opt-up-on")).isSelected()).isFalse();
      assertThat(browser.findElement(By.id("opt-up")).getDomProperty("value")).isEqualTo("40");
      assertThat(browser.findElement(By.id("opt-honors")).isSelected()).isFalse();
      browser.manage().window().setSize(new Dimension(390, 844));
      js.executeScript("document.getElementById('panel-options').scrollIntoView()");
      browser.screenshot("web-ui-options-phone.png");
    }
  }

  /** The torrent of this name in a torrent-get's answer. */
  static com.fasterxml.jackson.databind.JsonNode named(com.fasterxml.jackson.databind.JsonNode answer, String name) {
    for (var t : answer.path("torrents")) {
      if (t.path("name").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no " + name + " in " + answer);
  }

  /** The detail pane of the torrent of this name, filled, on its Options tab. */
  void openOptions(String name) {
    row(name).findElement(By.cssSelector(".c-name")).click();
    await(START).until(() -> browser.findElement(By.id("detail")).isDisplayed() && !fact("labels").isEmpty());
    browser.findElement(By.id("tab-options")).click();
    await(START).until(() -> browser.findElement(By.id("panel-options")).isDisplayed());
  }

  String optionsError() {
    return browser.findElement(By.id("opt-error")).getText();
  }

  /** The daemon's count of open web UI event streams, from /metrics. */
  static int eventStreams(String rpcPort) throws Exception {
    String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + rpcPort + "/metrics")).timeout(START).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^swarmshare_web_event_streams ([\\d.]+)$")
        .matcher(metrics);
    assertThat(m.find()).as(metrics).isTrue();
    return (int) Double.parseDouble(m.group(1));
  }

  @Test
  void aPageClosedEndsItsEventStreamAndItsSubscriber() throws Exception {
    // The daemon learns that a page went when a write to it fails: keep-alive comments often, to see it soon.
    try (Background daemon = daemon(List.of("swarmshare.daemon.web.keep-alive=1s"))) {
      String port = daemon.await(WEB_UP, START).group(1);
      assertThat(eventStreams(port)).isZero();
      browser.get("http://127.0.0.1:" + port + "/");
      await(START).until(() -> browser.findElement(By.id("connection")).getText().equals("live"));
      assertThat(eventStreams(port)).isEqualTo(1);

      // A second page in a tab of its own, then the tab closed.
      String first = browser.getWindowHandle();
      browser.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
      browser.get("http://127.0.0.1:" + port + "/");
      await(START).until(() -> browser.findElement(By.id("connection")).getText().equals("live"));
      await(START).until(() -> eventStreams(port) == 2);
      browser.close();
      browser.switchTo().window(first);
      await(START).until(() -> eventStreams(port) == 1);
      assertThat(browser.findElement(By.id("connection")).getText()).as("the other page is still live")
          .isEqualTo("live");
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
      browser.screenshot("web-ui-login.png");

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
      // Pieces 0, 2 and 9 of 10 in Transmission's bitfield (0b10100000, 0b01000000), mapped on 5 and on 20 cells.
      assertThat(js.executeScript("const s = window.swarmshare; const have = s.piecesOf(btoa('\\xa0\\x40'), 10);"
          + "return [have.map(h => h ? 1 : 0).join(''), s.pieceCells(have, 5).join(','),"
          + " String(s.pieceCells(have, 20).length), s.piecesOf('', 3).join(',')];"))
          .isEqualTo(List.of("1010000001", "0.5,0.5,0,0,0.5", "10", "false,false,false"));
      // Pieces 0 and 2 verified, 1 and 2 in progress: a verified piece is not counted in progress too.
      assertThat(js.executeScript("const s = window.swarmshare;"
          + "const r = s.pieceStates(s.piecesOf(btoa('\\xa0'), 4), s.piecesOf(btoa('\\x60'), 4));"
          + "return [r.states.join(','), JSON.stringify(r.counts)];"))
          .isEqualTo(List.of("verified,progress,verified,missing", "{\"verified\":2,\"progress\":1,\"missing\":1}"));
      assertThat(js.executeScript("const s = window.swarmshare; return ["
          + "s.peerFlags({isDownloadingFrom: true, isUploadingTo: true, isIncoming: true}),"
          + "s.peerFlags({clientIsInterested: true, peerIsInterested: true}), s.peerFlags({}),"
          + "s.hostPort('10.0.0.1', 6881), s.hostPort('::1', 6881)];"))
          .isEqualTo(List.of("downloading, uploading, incoming", "interested, choked by them, they are interested, choked",
              "idle", "10.0.0.1:6881", "[::1]:6881"));
      assertThat(js.executeScript("const s = window.swarmshare; const samples = [];"
          + "for (let t = 0; t <= 700; t += 100) s.recordRates(samples, t * 1000, t, 2 * t);"
          + "return [String(samples.length), String(samples[0].t), String(samples[samples.length - 1].up)];"))
          .as("ten minutes kept").isEqualTo(List.of("7", "100000", "1400"));
      assertThat(js.executeScript("const s = window.swarmshare; const m = new Map();"
          + "s.apply(m, {reset: true, torrents: [{id: 1, name: 'a', labels: ['tv', 'Hd']}, {id: 2, name: 'b', labels: []},"
          + " {id: 3, name: 'c', labels: ['tv']}], removed: [], completed: []});"
          + "const names = (label) => s.visible(m, {filter: 'all', label, search: '', sort: 'name', dir: 1})"
          + ".map(t => t.name).join(',');"
          + "return [s.labelsIn(m).join(','), names(''), names('tv'), names('hd'), names('Hd')];"))
          .isEqualTo(List.of("Hd,tv", "a,b,c", "a,c", "", "a"));
      assertThat(js.executeScript("const s = window.swarmshare; return [s.labelProblem('tv', ['hd']),"
          + " s.labelProblem('', []), s.labelProblem('a,b', []), s.labelProblem('hd', ['hd']),"
          + " s.labelProblem('x'.repeat(256), []), s.labelProblem('a\\tb', []),"
          + " s.labelProblem('new', Array.from({length: 64}, (v, i) => 'l' + i))];"))
          .isEqualTo(java.util.Arrays.asList(null, "type a label first",
              "a label cannot contain a comma (clients join labels with commas): a,b", "it has the label hd already",
              "a label is at most 255 characters", "a label cannot contain control characters",
              "a torrent has at most 64 labels"));
      assertThat(js.executeScript("const s = window.swarmshare; const d = (l) => JSON.stringify(l);"
          + "return [d(s.limitOf('Up', true, ' 40 ')), d(s.limitOf('Up', false, '')), d(s.limitOf('Up', false, '0')),"
          + " s.limitOf('Up', true, '').problem, s.limitOf('Up', true, '0').problem, s.limitOf('Up', false, '-1').problem,"
          + " s.limitOf('Up', false, '1.5').problem, s.limitOf('Up', false, '2147483648').problem,"
          + " s.limitsText({downloadLimited: true, downloadLimit: 5, uploadLimited: false, uploadLimit: 9,"
          + " honorsSessionLimits: true})];"))
          .isEqualTo(List.of("{\"kb\":40}", "{\"kb\":null}", "{\"kb\":0}",
              "Up: a limit that is on needs a number of kB/s above 0",
              "Up: a limit that is on needs a number of kB/s above 0", "Up cannot be negative: -1",
              "Up must be a whole number of kB/s, not 1.5", "Up must be a whole number of kB/s, not 2147483648",
              "down 5 kB/s, up no limit; the node\u2019s limits apply too"));
    }
  }
}
