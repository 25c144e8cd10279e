package io.swarmshare.tracker.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.http.HttpAnnounceRequest;
import io.swarmshare.messages.tracker.http.HttpTrackerCodec;
import io.swarmshare.tracker.TrackerServer;
import io.swarmshare.tracker.TrackerSettings;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracker's page and its JSON on real trackers over real sockets: one with an admin key and
 * publish keys, one with neither (full addresses never shown; publishing only from loopback).
 */
class TrackerWebTest {

  static final ActorTestKit kit = ActorTestKit.create();
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  static final ObjectMapper json = new ObjectMapper();
  static final String ADMIN = "admin-secret-0123456789";
  static final String ALICE = "alice-secret-0123456789";
  @TempDir static Path keyedDir;
  @TempDir static Path openDir;
  @TempDir static Path files;
  static String keyed;
  static String open;

  @BeforeAll
  static void start() {
    keyed = startTracker(keyedDir, "web { admin-key = \"" + ADMIN + "\", sample-interval = 200 ms, swarms-refresh = 0 s },"
        + " publish-keys = [ { name = alice, key = \"" + ALICE + "\", quota = 1 MiB, per-hour = 1000 } ]");
    open = startTracker(openDir, "web.swarms-refresh = 0 s");
  }

  static String startTracker(Path dataDir, String more) {
    TrackerSettings settings = TrackerSettings.from(ConfigFactory.parseString(
            "swarmshare.tracker { host = \"127.0.0.1\", port = 0, data-dir = \"" + dataDir + "\", " + more + " }")
        .withFallback(ConfigFactory.load()));
    TestProbe<TrackerServer.Status> status = kit.createTestProbe();
    kit.spawn(TrackerServer.create(settings, status.getRef()));
    return "http://127.0.0.1:"
        + status.expectMessageClass(TrackerServer.Started.class, Duration.ofSeconds(20)).http().getPort();
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static HttpResponse<byte[]> get(String base, String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static JsonNode getJson(String base, String path) throws Exception {
    HttpResponse<byte[]> r = get(base, path, Map.of());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return json.readTree(r.body());
  }

  static HttpResponse<byte[]> publish(String base, Metainfo torrent, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/torrents")).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(torrent.encode()));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static void announce(String base, InfoHash hash, int port, long left) throws Exception {
    byte[] id = new byte[20];
    id[0] = (byte) port;
    id[1] = (byte) (port >> 8);
    HttpAnnounceRequest a = HttpAnnounceRequest.of(hash, PeerId.of(id), port, 0, 0, left, AnnounceEvent.STARTED);
    assertThat(get(base, "/announce?" + HttpTrackerCodec.toQuery(a), Map.of()).statusCode()).isEqualTo(200);
  }

  static Metainfo torrent(String name, int size) throws Exception {
    Path dir = Files.createDirectories(files.resolve(name + "-" + size));
    byte[] data = new byte[size];
    data[0] = (byte) size;
    Files.write(dir.resolve(name), data);
    return TorrentCreator.of(dir.resolve(name)).creationDate(Optional.empty()).create();
  }

  static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void servesThePageItsScriptAndStyleFromTheTrackerItself() throws Exception {
    HttpResponse<byte[]> page = get(open, "/", Map.of());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        csp -> assertThat(csp).contains("default-src 'self'", "frame-ancestors 'none'"));
    assertThat(body(page)).contains("<script src=\"/web/app.js\"", "swarmshare tracker")
        .doesNotContain("http://", "https://");
    HttpResponse<byte[]> script = get(open, "/web/app.js", Map.of());
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(body(script)).contains("window.trackerPage").doesNotContain("https://");
    assertThat(get(open, "/web/app.css", Map.of()).statusCode()).isEqualTo(200);
    // The files the page shares with the daemon's, from web-common.
    assertThat(body(page)).contains("<script src=\"/web/common/common.js\"", "/web/common/common.css");
    HttpResponse<byte[]> common = get(open, "/web/common/common.js", Map.of());
    assertThat(body(common)).contains("window.swarmshareWeb");
    assertThat(common.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(get(open, "/web/common/common.css", Map.of()).statusCode()).isEqualTo(200);
    assertThat(get(open, "/web/../reference.conf", Map.of()).statusCode()).isEqualTo(404);
  }

  @Test
  void listsSwarmsWithTheirCatalogueNamesSearchedSortedAndPaged() throws Exception {
    Metainfo named = torrent("holiday.mp4", 1000);
    assertThat(publish(open, named, Map.of()).statusCode()).isEqualTo(201);
    InfoHash unnamed = InfoHash.fromHex("bbbb000000000000000000000000000000000002");
    announce(open, named.infoHash(), 7001, 0);
    announce(open, named.infoHash(), 7002, 100);
    announce(open, named.infoHash(), 7003, 100);
    announce(open, unnamed, 7004, 0);

    JsonNode all = getJson(open, "/web/swarms?sort=peers&dir=desc");
    assertThat(all.get("total").asInt()).isEqualTo(2);
    assertThat(all.get("matching").asInt()).isEqualTo(2);
    JsonNode first = all.get("swarms").get(0);
    assertThat(first.get("name").asText()).isEqualTo("holiday.mp4");
    assertThat(first.get("infoHash").asText()).isEqualTo(named.infoHash().hex());
    assertThat(first.get("seeders").asInt()).isEqualTo(1);
    assertThat(first.get("leechers").asInt()).isEqualTo(2);
    JsonNode second = all.get("swarms").get(1);
    assertThat(second.get("name").isNull()).as("no catalogue entry: no name").isTrue();
    assertThat(second.get("infoHash").asText()).isEqualTo(unnamed.hex());

    assertThat(getJson(open, "/web/swarms?q=HOLI").get("swarms")).hasSize(1);
    assertThat(getJson(open, "/web/swarms?q=bbbb0").get("swarms").get(0).get("infoHash").asText())
        .isEqualTo(unnamed.hex());
    JsonNode paged = getJson(open, "/web/swarms?sort=name&dir=asc&offset=1&limit=1");
    assertThat(paged.get("matching").asInt()).isEqualTo(2);
    assertThat(paged.get("swarms")).hasSize(1);
    assertThat(paged.get("swarms").get(0).get("name").asText()).isEqualTo("holiday.mp4");
    for (String bad : List.of("sort=address", "dir=up", "offset=-1", "limit=0", "limit=x")) {
      HttpResponse<byte[]> r = get(open, "/web/swarms?" + bad, Map.of());
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(json.readTree(r.body()).get("error").asText()).contains("sort is name");
    }
  }

  @Test
  void peersAreMaskedAndFullAddressesNeedTheAdminKey() throws Exception {
    InfoHash hash = InfoHash.fromHex("cccc000000000000000000000000000000000003");
    announce(keyed, hash, 7101, 0);
    announce(keyed, hash, 7102, 5);
    String path = "/web/peers?hash=" + hash.hex();

    JsonNode masked = getJson(keyed, path);
    assertThat(masked.get("full").asBoolean()).isFalse();
    List<String> addresses = new ArrayList<>();
    masked.get("peers").forEach(p -> {
      addresses.add(p.get("address").asText());
      assertThat(p.get("port").isNull()).isTrue();
      assertThat(p.get("announcedWithinSeconds").asLong()).isEqualTo(60);
    });
    assertThat(addresses).containsExactly("127.0.x.x", "127.0.x.x");
    assertThat(new String(get(keyed, path, Map.of()).body(), StandardCharsets.UTF_8)).doesNotContain("127.0.0.1", "7101");

    assertThat(get(keyed, path + "&full=true", Map.of()).statusCode()).isEqualTo(401);
    assertThat(get(keyed, path + "&full=true", Map.of("Authorization", "Bearer " + ALICE)).statusCode())
        .as("a publishing key is no admin key").isEqualTo(403);
    HttpResponse<byte[]> full = get(keyed, path + "&full=true", Map.of("Authorization", "Bearer " + ADMIN));
    assertThat(full.statusCode()).isEqualTo(200);
    JsonNode shown = json.readTree(full.body());
    assertThat(shown.get("full").asBoolean()).isTrue();
    List<String> whole = new ArrayList<>();
    shown.get("peers").forEach(p -> whole.add(p.get("address").asText() + ":" + p.get("port").asInt()
        + (p.get("seeder").asBoolean() ? " seeder" : " leecher")));
    assertThat(whole).containsExactlyInAnyOrder("127.0.0.1:7101 seeder", "127.0.0.1:7102 leecher");

    HttpResponse<byte[]> never = get(open, path + "&full=true", Map.of("Authorization", "Bearer " + ADMIN));
    assertThat(never.statusCode()).as("no admin key configured: never").isEqualTo(403);
    assertThat(body(never)).contains("never shows peers' full addresses");
    assertThat(get(keyed, "/web/peers?hash=xyz", Map.of()).statusCode()).isEqualTo(400);
    assertThat(getJson(keyed, "/web/peers?hash=" + "d".repeat(40)).get("peers")).isEmpty();
  }

  @Test
  void accessSaysWhatThisBrowserMayDo() throws Exception {
    JsonNode anonymous = getJson(keyed, "/web/access");
    assertThat(anonymous.get("adminKeyConfigured").asBoolean()).isTrue();
    assertThat(anonymous.get("admin").asBoolean()).isFalse();
    assertThat(anonymous.get("publishKeysConfigured").asBoolean()).isTrue();
    assertThat(anonymous.get("loopback").asBoolean()).isTrue();
    HttpResponse<byte[]> admin = get(keyed, "/web/access", Map.of("Authorization", "Bearer " + ADMIN));
    assertThat(json.readTree(admin.body()).get("admin").asBoolean()).isTrue();
    assertThat(get(keyed, "/web/access", Map.of("Authorization", "Bearer wrong-key-0123456789")).statusCode())
        .isEqualTo(403);
    JsonNode plain = getJson(open, "/web/access");
    assertThat(plain.get("adminKeyConfigured").asBoolean()).isFalse();
    assertThat(plain.get("publishKeysConfigured").asBoolean()).isFalse();
  }

  @Test
  void theOverviewCountsAndGraphsTheTraffic() throws Exception {
    InfoHash hash = InfoHash.fromHex("eeee000000000000000000000000000000000005");
    announce(keyed, hash, 7201, 0);
    assertThat(get(keyed, "/announce?info_hash=short", Map.of()).statusCode()).isEqualTo(200);
    // The graph is sampled every 200 ms here: wait for a rate that saw the announce.
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      JsonNode o = getJson(keyed, "/web/overview");
      double http = 0;
      for (JsonNode r : o.get("rates")) {
        http += r.get("httpAnnounces").asDouble();
      }
      assertThat(http).isPositive();
    });
    JsonNode o = getJson(keyed, "/web/overview");
    assertThat(o.get("announces").get("http").asLong()).isPositive();
    assertThat(o.get("errors").get("http").get("malformed").asLong()).isPositive();
    assertThat(o.get("errorsTotal").asLong()).isPositive();
    assertThat(o.get("heapUsed").asLong()).isPositive();
    assertThat(o.get("heapMax").asLong()).isGreaterThanOrEqualTo(o.get("heapUsed").asLong());
    assertThat(o.get("uptimeSeconds").asLong()).isNotNegative();
    assertThat(o.get("sampleSeconds").asDouble()).isEqualTo(0.2);
    assertThat(o.get("rates").size()).as("10 minutes of 200 ms samples at most").isLessThanOrEqualTo(3000);
    JsonNode rate = o.get("rates").get(0);
    assertThat(rate.has("atMillis") && rate.has("udpAnnounces") && rate.has("udpScrapes") && rate.has("httpScrapes")
        && rate.has("errors")).isTrue();
  }

  @Test
  void publishingFromAnotherSitesPageIsRefused() throws Exception {
    Metainfo t = torrent("csrf.bin", 1200);
    String host = URI.create(keyed).getAuthority();
    Map<String, String> key = Map.of("Authorization", "Bearer " + ALICE);
    HttpResponse<byte[]> evil = publish(keyed, t, Map.of("Authorization", "Bearer " + ALICE,
        "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"));
    assertThat(evil.statusCode()).isEqualTo(403);
    assertThat(body(evil)).contains("another site's page");
    assertThat(publish(keyed, t, Map.of("Authorization", "Bearer " + ALICE, "Origin", "http://evil.example"))
        .statusCode()).isEqualTo(403);
    assertThat(getJson(keyed, "/catalogue?name=csrf.bin").get("total").asInt()).isZero();
    assertThat(publish(keyed, t, Map.of("Authorization", "Bearer " + ALICE, "Origin", "http://" + host,
        "Sec-Fetch-Site", "same-origin")).statusCode()).as("the tracker's own page").isEqualTo(201);
    assertThat(publish(keyed, torrent("cli.bin", 1300), key).statusCode()).as("no browser headers").isEqualTo(201);

    // Without keys a browser publishes only from a page with a loopback name (no DNS rebinding).
    Metainfo local = torrent("local.bin", 1400);
    int port = URI.create(open).getPort();
    assertThat(rawPublish(port, "rebound.example:" + port, local.encode()))
        .as("a page of a name rebound to 127.0.0.1").startsWith("HTTP/1.1 403");
    assertThat(publish(open, local, Map.of("Origin", "http://" + URI.create(open).getAuthority(),
        "Sec-Fetch-Site", "same-origin")).statusCode()).isEqualTo(201);
  }

  /** A browser's same-origin POST /torrents to a page named {@code host}; the status line of the answer. */
  static String rawPublish(int port, String host, byte[] torrent) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /torrents HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://" + host
          + "\r\nSec-Fetch-Site: same-origin\r\nContent-Length: " + torrent.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(torrent);
      out.flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      return answer.lines().findFirst().orElse("");
    }
  }
}
