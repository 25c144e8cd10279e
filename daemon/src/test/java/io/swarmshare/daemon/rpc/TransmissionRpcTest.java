package io.swarmshare.daemon.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.daemon.DaemonSettings;
import io.swarmshare.daemon.LoopbackSession;
import io.swarmshare.daemon.metrics.MetricsRoute;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The RPC over a real socket: the CSRF rule, the host check, logins, size limits and bad input. */
class TransmissionRpcTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration GUARD = Duration.ofSeconds(30);
  static final HttpClient client = HttpClient.newHttpClient();
  @RegisterExtension static final LoopbackSession node = new LoopbackSession();
  @TempDir static Path root;

  /** An RPC server with these daemon settings; its base URI. */
  static URI serve(String settings) throws Exception {
    Path downloads = Files.createDirectories(root.resolve("downloads"));
    Config config = ConfigFactory.parseString(settings + "\nswarmshare.daemon { rpc-port = 0, download-dir = \""
        + downloads + "\", data-dir = \"" + root.resolve("data") + "\" }").withFallback(ConfigFactory.load());
    DaemonSettings daemon = DaemonSettings.from(config);
    SessionInfo info = new SessionInfo("4.0.0 (swarmshare test)", daemon.dataDir(), daemon.downloadDir(),
        node.peers(), 500, 50, SpeedLimits.initial(0, 0, daemon.altSpeedDown(), daemon.altSpeedUp()), Instant.now());
    RpcAccess access = new RpcAccess(daemon, new BrowserLogins(Duration.ofHours(1), 10, java.time.Clock.systemUTC()));
    TransmissionRpc rpc = new TransmissionRpc(node.session(), node.kit().system().scheduler(), daemon, info, access);
    MetricsRoute metrics = new MetricsRoute(node.session(), node.kit().system().scheduler(), access, 100);
    ServerBinding binding = Http.get(node.kit().system()).newServerAt("127.0.0.1", 0)
        .bind(rpc.concat(rpc.routes(), metrics.route()))
        .toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/transmission/rpc");
  }

  static HttpResponse<String> post(URI uri, String body, String sessionId, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(GUARD)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (sessionId != null) {
      request.header(TransmissionRpc.SESSION_ID_HEADER, sessionId);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The session id, from the 409 that a request without one gets. */
  static String sessionId(URI uri) throws Exception {
    HttpResponse<String> refused = post(uri, "{}", null);
    assertThat(refused.statusCode()).isEqualTo(409);
    return refused.headers().firstValue(TransmissionRpc.SESSION_ID_HEADER).orElseThrow();
  }

  static JsonNode call(URI uri, String body) throws Exception {
    HttpResponse<String> answer = post(uri, body, sessionId(uri));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  @Test
  void aClientWithoutTheSessionIdGets409WithItAndThenItsAnswerWithItsTag() throws Exception {
    URI uri = serve("");
    String id = sessionId(uri);
    assertThat(post(uri, "{\"method\":\"session-get\",\"tag\":7}", "wrong").statusCode()).isEqualTo(409);
    HttpResponse<String> answer = post(uri, "{\"method\":\"session-get\",\"tag\":7}", id);
    JsonNode json = JSON.readTree(answer.body());
    assertThat(json.path("result").asText()).isEqualTo("success");
    assertThat(json.path("tag").asInt()).isEqualTo(7);
    assertThat(json.path("arguments").path("rpc-version").asInt()).isEqualTo(17);
    // The path with a trailing slash, as transmission-remote 3.00 posts it.
    assertThat(post(URI.create(uri + "/"), "{\"method\":\"session-get\"}", id).statusCode()).isEqualTo(200);
  }

  @Test
  void badInputGetsAnAnswerThatSaysWhatIsWrong() throws Exception {
    URI uri = serve("");
    String id = sessionId(uri);
    assertThat(post(uri, "{not json", id).statusCode()).isEqualTo(400);
    assertThat(post(uri, "[1,2]", id).statusCode()).isEqualTo(400);
    assertThat(call(uri, "{\"method\":\"torrent-explode\"}").path("result").asText())
        .isEqualTo("method name not recognized");
    assertThat(call(uri, "{\"method\":\"torrent-get\",\"arguments\":{}}").path("result").asText())
        .contains("needs 'fields'");
    assertThat(call(uri, "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\"],\"ids\":[\"zz\"]}}")
        .path("result").asText()).isEqualTo("invalid torrent id zz: not an id nor an info hash");
    String broken = Base64.getEncoder().encodeToString("d4:infoi3ee".getBytes());
    assertThat(call(uri, "{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"" + broken + "\"}}")
        .path("result").asText()).startsWith("invalid or corrupt torrent file: ");
    assertThat(call(uri, "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\"]}}")
        .path("arguments").path("torrents")).as("nothing was added").isEmpty();
  }

  @Test
  void aBodyOverTheLimitGets413() throws Exception {
    URI uri = serve("swarmshare.daemon.max-request-size = 1000");
    String id = sessionId(uri);
    assertThat(post(uri, "{\"method\":\"session-get\",\"pad\":\"" + "x".repeat(5000) + "\"}", id).statusCode())
        .isEqualTo(413);
    assertThat(post(uri, "{\"method\":\"session-get\"}", id).statusCode()).isEqualTo(200);
  }

  @Test
  void aTorrentIsAddedOnlyUnderTheDownloadRoot() throws Exception {
    URI uri = serve("");
    Path data = Files.write(root.resolve("downloads/root.bin"), new byte[100_000]);
    Metainfo metainfo = TorrentCreator.of(data).create();
    String b64 = Base64.getEncoder().encodeToString(metainfo.encode());
    JsonNode outside = call(uri, "{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"" + b64
        + "\",\"download-dir\":\"/etc\"}}");
    assertThat(outside.path("result").asText()).isEqualTo("download-dir /etc is outside the download root "
        + root.resolve("downloads"));
    JsonNode sneaky = call(uri, "{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"" + b64
        + "\",\"download-dir\":\"" + root.resolve("downloads/../elsewhere") + "\"}}");
    assertThat(sneaky.path("result").asText()).contains("is outside the download root");

    JsonNode added = call(uri, "{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"" + b64 + "\"}}");
    assertThat(added.path("result").asText()).isEqualTo("success");
    assertThat(added.path("arguments").path("torrent-added").path("name").asText()).isEqualTo("root.bin");
    JsonNode again = call(uri, "{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"" + b64 + "\"}}");
    assertThat(again.path("arguments").path("torrent-duplicate").path("hashString").asText())
        .isEqualTo(metainfo.infoHash().hex());
    Awaitility.await().atMost(GUARD).untilAsserted(() -> {
      JsonNode t = call(uri, "{\"method\":\"torrent-get\",\"arguments\":{\"ids\":\"" + metainfo.infoHash().hex()
          + "\",\"fields\":[\"status\",\"percentDone\",\"uploadRatio\",\"files\",\"peers\"]}}")
          .path("arguments").path("torrents").get(0);
      assertThat(t.path("status").asInt()).as("seeding").isEqualTo(6);
      assertThat(t.path("percentDone").isDouble()).isTrue();
      assertThat(t.path("uploadRatio").isDouble()).isTrue();
      assertThat(t.path("files").get(0).path("bytesCompleted").asLong()).isEqualTo(100_000);
      assertThat(t.path("peers").isArray()).isTrue();
    });
    call(uri, "{\"method\":\"torrent-remove\",\"arguments\":{\"ids\":[\"" + metainfo.infoHash().hex() + "\"]}}");
  }

  @Test
  void aMagnetLinkIsHeldWhileItsMetadataIsFetchedAndEveryFieldAnswers() throws Exception {
    URI uri = serve("");
    String hex = "c0ffee".repeat(6) + "c0ff";
    String link = "magnet:?xt=urn:btih:" + hex + "&dn=waiting%20for%20it&tr=udp%3A%2F%2F127.0.0.1%3A9%2Fannounce";
    JsonNode added = call(uri, "{\"method\":\"torrent-add\",\"arguments\":{\"filename\":\"" + link + "\"}}");
    assertThat(added.path("result").asText()).isEqualTo("success");
    assertThat(added.path("arguments").path("torrent-added").path("name").asText()).isEqualTo("waiting for it");
    assertThat(added.path("arguments").path("torrent-added").path("hashString").asText()).isEqualTo(hex);
    JsonNode again = call(uri, "{\"method\":\"torrent-add\",\"arguments\":{\"filename\":\"magnet:?xt=urn:btih:"
        + hex + "\"}}");
    assertThat(again.path("arguments").path("torrent-duplicate").path("hashString").asText()).isEqualTo(hex);

    JsonNode t = call(uri, "{\"method\":\"torrent-get\",\"arguments\":{\"ids\":\"" + hex + "\",\"fields\":["
        + "\"name\",\"status\",\"metadataPercentComplete\",\"totalSize\",\"sizeWhenDone\",\"percentDone\","
        + "\"pieceCount\",\"pieceSize\",\"fileCount\",\"files\",\"fileStats\",\"priorities\",\"wanted\","
        + "\"magnetLink\",\"trackers\",\"trackerStats\",\"comment\",\"creator\",\"dateCreated\",\"isPrivate\","
        + "\"pieces\",\"eta\",\"leftUntilDone\",\"uploadRatio\"]}}").path("arguments").path("torrents").get(0);
    assertThat(t.path("name").asText()).isEqualTo("waiting for it");
    assertThat(t.path("status").asInt()).as("downloading, as Transmission shows a magnet link").isEqualTo(4);
    assertThat(t.path("metadataPercentComplete").asDouble()).isZero();
    assertThat(t.path("totalSize").asLong()).isZero();
    assertThat(t.path("percentDone").asDouble()).isZero();
    assertThat(t.path("fileCount").asInt()).isZero();
    assertThat(t.path("files")).isEmpty();
    assertThat(t.path("magnetLink").asText()).startsWith("magnet:?xt=urn:btih:" + hex + "&dn=waiting%20for%20it");
    assertThat(t.path("trackers").get(0).path("announce").asText()).isEqualTo("udp://127.0.0.1:9/announce");

    assertThat(call(uri, "{\"method\":\"torrent-add\",\"arguments\":{\"filename\":\"magnet:?dn=no-hash\"}}")
        .path("result").asText()).isEqualTo("invalid magnet link: has no xt=urn:btih: topic (only v1 info hashes are"
        + " supported)");
    call(uri, "{\"method\":\"torrent-remove\",\"arguments\":{\"ids\":[\"" + hex + "\"]}}");
    assertThat(call(uri, "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\"]}}")
        .path("arguments").path("torrents")).isEmpty();
  }

  @Test
  void aTorrentNamedByUrlIsFetchedAndAddedAndABadUrlAddsNothing() throws Exception {
    URI uri = serve("swarmshare.daemon.max-torrent-size = 2000");
    Path data = Files.write(root.resolve("downloads/fetched.bin"), new byte[50_000]);
    Metainfo metainfo = TorrentCreator.of(data).create();
    byte[] torrent = metainfo.encode();
    HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    web.createContext("/good.torrent", exchange -> {
      exchange.sendResponseHeaders(200, torrent.length);
      exchange.getResponseBody().write(torrent);
      exchange.close();
    });
    web.createContext("/big.torrent", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      try (var out = exchange.getResponseBody()) {
        out.write(new byte[100_000]);
      } catch (java.io.IOException readerWentAway) {
        // the daemon stops reading past max-torrent-size
      }
    });
    web.createContext("/page.html", exchange -> {
      byte[] page = "<html>not a torrent</html>".getBytes();
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    web.start();
    try {
      String base = "http://127.0.0.1:" + web.getAddress().getPort();
      assertThat(addUrl(uri, base + "/missing.torrent")).isEqualTo(base + "/missing.torrent answered HTTP 404");
      assertThat(addUrl(uri, base + "/big.torrent")).isEqualTo(base
          + "/big.torrent sent more than 2000 bytes; not reading more");
      assertThat(addUrl(uri, base + "/page.html")).startsWith("invalid or corrupt torrent file: ")
          .endsWith("(fetched from " + base + "/page.html)");
      int closed;
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
        closed = socket.getLocalPort();
      }
      assertThat(addUrl(uri, "http://127.0.0.1:" + closed + "/x.torrent"))
          .startsWith("cannot reach http://127.0.0.1:" + closed + "/x.torrent");
      assertThat(call(uri, "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\"]}}")
          .path("arguments").path("torrents")).as("nothing was added").isEmpty();

      JsonNode added = call(uri, "{\"method\":\"torrent-add\",\"arguments\":{\"filename\":\"" + base
          + "/good.torrent\"}}");
      assertThat(added.path("result").asText()).isEqualTo("success");
      assertThat(added.path("arguments").path("torrent-added").path("hashString").asText())
          .isEqualTo(metainfo.infoHash().hex());
      Awaitility.await().atMost(GUARD).until(() -> torrent(uri, metainfo, "\"status\"").path("status").asInt() == 6);
      call(uri, "{\"method\":\"torrent-remove\",\"arguments\":{\"ids\":[\"" + metainfo.infoHash().hex()
          + "\"]}}");
    } finally {
      web.stop(0);
    }
  }

  static String addUrl(URI uri, String url) throws Exception {
    return call(uri, "{\"method\":\"torrent-add\",\"arguments\":{\"filename\":\"" + url + "\"}}")
        .path("result").asText();
  }

  static JsonNode torrent(URI uri, Metainfo m, String fields) throws Exception {
    return call(uri, "{\"method\":\"torrent-get\",\"arguments\":{\"ids\":\"" + m.infoHash().hex()
        + "\",\"fields\":[" + fields + "]}}").path("arguments").path("torrents").get(0);
  }

  @Test
  void setLocationMovesTheDataWithinTheDownloadRootAndSaysWhatWentWrong() throws Exception {
    URI uri = serve("");
    Path data = Files.write(root.resolve("downloads/moving.bin"), new byte[70_000]);
    Metainfo m = TorrentCreator.of(data).create();
    assertThat(call(uri, "{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\""
        + Base64.getEncoder().encodeToString(m.encode()) + "\"}}").path("result").asText()).isEqualTo("success");
    Awaitility.await().atMost(GUARD).until(() -> torrent(uri, m, "\"status\"").path("status").asInt() == 6);
    String ids = "\"ids\":[\"" + m.infoHash().hex() + "\"]";
    Path moved = root.resolve("downloads/moved");

    assertThat(call(uri, "{\"method\":\"torrent-set-location\",\"arguments\":{" + ids + ",\"location\":\"" + moved
        + "\",\"move\":true}}").path("result").asText()).isEqualTo("success");
    assertThat(torrent(uri, m, "\"downloadDir\"").path("downloadDir").asText()).isEqualTo(moved.toString());
    assertThat(moved.resolve("moving.bin")).hasSize(70_000);
    assertThat(data).doesNotExist();
    Awaitility.await().atMost(GUARD).until(() -> torrent(uri, m, "\"status\"").path("status").asInt() == 6);

    assertThat(call(uri, "{\"method\":\"torrent-set-location\",\"arguments\":{" + ids
        + ",\"location\":\"/etc\",\"move\":true}}").path("result").asText())
        .isEqualTo("location /etc is outside the download root " + root.resolve("downloads"));
    Files.write(data, new byte[3]);
    assertThat(call(uri, "{\"method\":\"torrent-set-location\",\"arguments\":{" + ids + ",\"location\":\""
        + root.resolve("downloads") + "\",\"move\":true}}").path("result").asText())
        .isEqualTo("torrent-set-location: moving.bin: " + data + ": already exists");
    assertThat(torrent(uri, m, "\"downloadDir\"").path("downloadDir").asText()).isEqualTo(moved.toString());
    call(uri, "{\"method\":\"torrent-remove\",\"arguments\":{" + ids + "}}");
  }

  @Test
  void seedingGoalsLabelsAndTheQueueAreSetAndShownAsTransmissionDoes() throws Exception {
    URI uri = serve("");
    Metainfo a = TorrentCreator.of(Files.write(root.resolve("downloads/goals-a.bin"), new byte[50_000])).create();
    Metainfo b = TorrentCreator.of(Files.write(root.resolve("downloads/goals-b.bin"), new byte[60_000])).create();
    for (Metainfo m : new Metainfo[] {a, b}) {
      String b64 = Base64.getEncoder().encodeToString(m.encode());
      assertThat(call(uri, "{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"" + b64 + "\"}}")
          .path("result").asText()).isEqualTo("success");
      Awaitility.await().atMost(GUARD).until(() -> torrent(uri, m, "\"status\"").path("status").asInt() == 6);
    }
    String ids = "\"ids\":[\"" + a.infoHash().hex() + "\"]";
    assertThat(call(uri, "{\"method\":\"torrent-set\",\"arguments\":{" + ids + ",\"seedRatioLimit\":2.5,"
        + "\"seedRatioMode\":1,\"seedIdleLimit\":45,\"seedIdleMode\":2,\"labels\":[\"tv\",\" hd \"]}}")
        .path("result").asText()).isEqualTo("success");
    JsonNode t = torrent(uri, a, "\"seedRatioLimit\",\"seedRatioMode\",\"seedIdleLimit\",\"seedIdleMode\","
        + "\"labels\",\"queuePosition\"");
    assertThat(t.path("seedRatioLimit").asDouble()).isEqualTo(2.5);
    assertThat(t.path("seedRatioMode").asInt()).isEqualTo(1);
    assertThat(t.path("seedIdleLimit").asInt()).isEqualTo(45);
    assertThat(t.path("seedIdleMode").asInt()).isEqualTo(2);
    assertThat(t.path("labels")).extracting(JsonNode::asText).containsExactly("tv", "hd");
    int before = t.path("queuePosition").asInt();

    assertThat(call(uri, "{\"method\":\"queue-move-bottom\",\"arguments\":{" + ids + "}}").path("result").asText())
        .isEqualTo("success");
    assertThat(torrent(uri, a, "\"queuePosition\"").path("queuePosition").asInt()).isGreaterThan(before);
    assertThat(torrent(uri, b, "\"queuePosition\"").path("queuePosition").asInt()).isLessThan(
        torrent(uri, a, "\"queuePosition\"").path("queuePosition").asInt());

    // One seed at a time: a stopped seed started again waits for the running one (seed-wait, 5).
    assertThat(call(uri, "{\"method\":\"session-set\",\"arguments\":{\"seed-queue-enabled\":true,"
        + "\"seed-queue-size\":0,\"seedRatioLimited\":true,\"seedRatioLimit\":3.0,\"idle-seeding-limit\":60,"
        + "\"queue-stalled-minutes\":45}}")
        .path("result").asText()).isEqualTo("success");
    JsonNode session = call(uri, "{\"method\":\"session-get\"}").path("arguments");
    assertThat(session.path("seed-queue-enabled").asBoolean()).isTrue();
    assertThat(session.path("seed-queue-size").asInt()).isZero();
    assertThat(session.path("seedRatioLimited").asBoolean()).isTrue();
    assertThat(session.path("seedRatioLimit").asDouble()).isEqualTo(3.0);
    assertThat(session.path("idle-seeding-limit").asInt()).isEqualTo(60);
    assertThat(session.path("idle-seeding-limit-enabled").asBoolean()).isFalse();
    assertThat(session.path("download-queue-enabled").asBoolean()).as("Transmission's default").isTrue();
    assertThat(session.path("download-queue-size").asInt()).isEqualTo(5);
    assertThat(session.path("queue-stalled-enabled").asBoolean()).as("Transmission's default").isTrue();
    assertThat(session.path("queue-stalled-minutes").asInt()).isEqualTo(45);
    call(uri, "{\"method\":\"torrent-stop\",\"arguments\":{" + ids + "}}");
    call(uri, "{\"method\":\"torrent-start\",\"arguments\":{" + ids + "}}");
    Awaitility.await().atMost(GUARD).until(() -> torrent(uri, a, "\"status\"").path("status").asInt() == 5);
    call(uri, "{\"method\":\"torrent-start-now\",\"arguments\":{" + ids + "}}");
    Awaitility.await().atMost(GUARD).until(() -> torrent(uri, a, "\"status\"").path("status").asInt() == 6);

    assertThat(call(uri, "{\"method\":\"torrent-set\",\"arguments\":{" + ids + ",\"uploadLimit\":100,"
        + "\"uploadLimited\":true,\"honorsSessionLimits\":false}}").path("result").asText()).isEqualTo("success");
    JsonNode limits = torrent(uri, a, "\"uploadLimit\",\"uploadLimited\",\"downloadLimit\",\"downloadLimited\","
        + "\"honorsSessionLimits\"");
    assertThat(limits.path("uploadLimit").asInt()).isEqualTo(100);
    assertThat(limits.path("uploadLimited").asBoolean()).isTrue();
    assertThat(limits.path("downloadLimited").asBoolean()).isFalse();
    assertThat(limits.path("honorsSessionLimits").asBoolean()).isFalse();
    assertThat(call(uri, "{\"method\":\"torrent-set\",\"arguments\":{" + ids + ",\"downloadLimit\":-5}}")
        .path("result").asText()).startsWith("downloadLimit must be a whole number of kB/s");
    assertThat(call(uri, "{\"method\":\"torrent-set\",\"arguments\":{" + ids + ",\"peer-limit\":5,"
        + "\"files-wanted\":[0]}}").path("result").asText())
        .isEqualTo("torrent-set: files-wanted, peer-limit are not supported yet");
    assertThat(call(uri, "{\"method\":\"torrent-set\",\"arguments\":{" + ids + ",\"seedRatioMode\":7}}")
        .path("result").asText()).startsWith("seedRatioMode must be 0");
    assertThat(call(uri, "{\"method\":\"torrent-set\",\"arguments\":{" + ids + ",\"labels\":[\"a,b\"]}}")
        .path("result").asText()).startsWith("a label must be");
    assertThat(call(uri, "{\"method\":\"session-set\",\"arguments\":{\"seed-queue-size\":-1}}")
        .path("result").asText()).startsWith("seed-queue-size must be");

    call(uri, "{\"method\":\"session-set\",\"arguments\":{\"seed-queue-enabled\":false,"
        + "\"seedRatioLimited\":false}}");
    call(uri, "{\"method\":\"torrent-remove\",\"arguments\":{\"ids\":[\"" + a.infoHash().hex() + "\",\""
        + b.infoHash().hex() + "\"]}}");
  }

  @Test
  void sessionSetChangesTheSpeedLimitsAndTheAlternativeOnesAndPortTestSeesThePeerPort() throws Exception {
    URI uri = serve("swarmshare.daemon.alt-speed-down = 30 kB");
    JsonNode before = call(uri, "{\"method\":\"session-get\"}").path("arguments");
    assertThat(before.path("alt-speed-enabled").asBoolean()).isFalse();
    assertThat(before.path("alt-speed-down").asInt()).as("the setting, in kB/s").isEqualTo(30);
    assertThat(before.path("alt-speed-up").asInt()).as("the default").isEqualTo(50);
    assertThat(before.path("peer-port").asInt()).isEqualTo(node.peers().getPort());

    assertThat(call(uri, "{\"method\":\"session-set\",\"arguments\":{\"speed-limit-down\":250,"
        + "\"speed-limit-down-enabled\":true,\"speed-limit-up\":80,\"speed-limit-up-enabled\":true,"
        + "\"alt-speed-up\":10,\"alt-speed-enabled\":true}}").path("result").asText()).isEqualTo("success");
    JsonNode after = call(uri, "{\"method\":\"session-get\"}").path("arguments");
    assertThat(after.path("speed-limit-down").asInt()).isEqualTo(250);
    assertThat(after.path("speed-limit-down-enabled").asBoolean()).isTrue();
    assertThat(after.path("speed-limit-up").asInt()).isEqualTo(80);
    assertThat(after.path("alt-speed-enabled").asBoolean()).isTrue();
    assertThat(after.path("alt-speed-up").asInt()).isEqualTo(10);

    assertThat(call(uri, "{\"method\":\"session-set\",\"arguments\":{\"alt-speed-enabled\":1,"
        + "\"speed-limit-up\":5}}").path("result").asText()).startsWith("alt-speed-enabled must be true or false");
    assertThat(call(uri, "{\"method\":\"session-get\"}").path("arguments").path("speed-limit-up").asInt())
        .as("a refused call changes nothing").isEqualTo(80);
    call(uri, "{\"method\":\"session-set\",\"arguments\":{\"alt-speed-enabled\":false,"
        + "\"speed-limit-down-enabled\":false,\"speed-limit-up-enabled\":false}}");

    JsonNode port = call(uri, "{\"method\":\"port-test\"}");
    assertThat(port.path("result").asText()).isEqualTo("success");
    assertThat(port.path("arguments").path("port-is-open").asBoolean()).isTrue();
  }

  @Test
  void recentlyActiveAnswersTheTorrentsChangedInTheLastMinuteAndThoseRemovedInIt() throws Exception {
    URI uri = serve("");
    Metainfo m = TorrentCreator.of(Files.write(root.resolve("downloads/recent.bin"), new byte[70_000])).create();
    String b64 = Base64.getEncoder().encodeToString(m.encode());
    int id = call(uri, "{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"" + b64 + "\"}}")
        .path("arguments").path("torrent-added").path("id").asInt();
    String recent = "{\"method\":\"torrent-get\",\"arguments\":{\"ids\":\"recently-active\",\"fields\":[\"id\"]}}";
    JsonNode active = call(uri, recent).path("arguments");
    assertThat(active.path("torrents")).extracting(t -> t.path("id").asInt()).contains(id);
    assertThat(active.path("removed").isArray()).isTrue();
    assertThat(active.path("removed")).extracting(JsonNode::asInt).doesNotContain(id);

    call(uri, "{\"method\":\"torrent-remove\",\"arguments\":{\"ids\":[" + id + "]}}");
    JsonNode after = call(uri, recent).path("arguments");
    assertThat(after.path("torrents")).extracting(t -> t.path("id").asInt()).doesNotContain(id);
    assertThat(after.path("removed")).extracting(JsonNode::asInt).contains(id);
    assertThat(call(uri, "{\"method\":\"torrent-get\",\"arguments\":{\"ids\":[" + id + "],\"fields\":[\"id\"]}}")
        .path("arguments").has("removed")).as("only recently-active answers removed").isFalse();
    assertThat(call(uri, "{\"method\":\"torrent-stop\",\"arguments\":{\"ids\":\"recently-active\"}}")
        .path("result").asText()).isEqualTo("ids 'recently-active' is only supported by torrent-get, on its own");
  }

  @Test
  void metricsAreServedInPrometheusTextUnderTheSameAccessRules() throws Exception {
    URI uri = serve("swarmshare.daemon { rpc-username = \"ann\", rpc-password = \"s3cret\" }");
    URI metrics = uri.resolve("/metrics");
    HttpRequest.Builder get = HttpRequest.newBuilder(metrics).timeout(GUARD).GET();
    assertThat(client.send(get.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    HttpResponse<String> answer = client.send(get.header("Authorization", "Basic "
        + Base64.getEncoder().encodeToString("ann:s3cret".getBytes())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("# TYPE swarmshare_downloaded_bytes_total counter")
        .contains("swarmshare_torrents{state=\"seeding\"}");
  }

  @Test
  void aRequestNamingAForeignHostIsRefused() throws Exception {
    URI uri = serve("");
    String id = sessionId(uri);
    HttpRequest rebound = HttpRequest.newBuilder(uri).timeout(GUARD).header(TransmissionRpc.SESSION_ID_HEADER, id)
        .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"session-get\"}")).build();
    // java.net.http will not let a caller set Host: a raw socket sends the request a rebinding page would.
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", uri.getPort())) {
      String body = "{\"method\":\"session-get\"}";
      socket.getOutputStream().write(("POST /transmission/rpc HTTP/1.1\r\nHost: evil.example:" + uri.getPort()
          + "\r\n" + TransmissionRpc.SESSION_ID_HEADER + ": " + id + "\r\nContent-Length: " + body.length()
          + "\r\nConnection: close\r\n\r\n" + body).getBytes());
      String answer = new String(socket.getInputStream().readAllBytes());
      assertThat(answer).startsWith("HTTP/1.1 421");
    }
    assertThat(client.send(rebound, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
  }

  @Test
  void withAUsernameEveryRequestNeedsTheLogin() throws Exception {
    URI uri = serve("swarmshare.daemon { rpc-username = \"ann\", rpc-password = \"s3cret\" }");
    assertThat(post(uri, "{}", null).statusCode()).isEqualTo(401);
    String good = "Basic " + Base64.getEncoder().encodeToString("ann:s3cret".getBytes());
    String bad = "Basic " + Base64.getEncoder().encodeToString("ann:guess".getBytes());
    assertThat(post(uri, "{}", null, "Authorization", bad).statusCode()).isEqualTo(401);
    HttpResponse<String> conflict = post(uri, "{}", null, "Authorization", good);
    assertThat(conflict.statusCode()).isEqualTo(409);
    String id = conflict.headers().firstValue(TransmissionRpc.SESSION_ID_HEADER).orElseThrow();
    assertThat(post(uri, "{\"method\":\"session-get\"}", id, "Authorization", good).statusCode()).isEqualTo(200);
  }

  @Test
  void offLoopbackTheDaemonRefusesToStartWithoutALogin() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DaemonSettings.from(ConfigFactory.parseString(
            "swarmshare.daemon.rpc-host = \"0.0.0.0\"").withFallback(ConfigFactory.load())))
        .hasMessageContaining("set swarmshare.daemon.rpc-username and rpc-password");
  }
}
