package io.swarmshare.tracker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.http.HttpAnnounceRequest;
import io.swarmshare.messages.tracker.http.HttpAnnounceResponse;
import io.swarmshare.messages.tracker.http.HttpFailure;
import io.swarmshare.messages.tracker.http.HttpScrapeRequest;
import io.swarmshare.messages.tracker.http.HttpScrapeResponse;
import io.swarmshare.messages.tracker.http.HttpTrackerCodec;
import io.swarmshare.tracker.TrackerServer;
import io.swarmshare.tracker.TrackerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-address and per-connection limits of the HTTP side, each attacked from its own loopback
 * address (127.0.0.x) with an honest client on another one.
 */
class HttpLimitsTest {

  static final ActorTestKit kit = ActorTestKit.create();
  static final ObjectMapper json = new ObjectMapper();
  @TempDir static Path dataDir;
  static TrackerServer.Started tracker;

  @BeforeAll
  static void start() {
    // A rate of one request per 1000 s: past the burst, nothing refills while a test runs.
    TrackerSettings settings = TrackerSettings.from(ConfigFactory.parseString(
            "swarmshare.tracker { host = \"127.0.0.1\", port = 0, data-dir = \"" + dataDir + "\","
                + " per-address { max-peers = 3, max-swarms = 2, http-rate = 0.001, http-burst = 8,"
                + " http-connections = 2 },"
                + " http { header-timeout = 1 s, idle-timeout = 60 s } }")
        .withFallback(ConfigFactory.load()));
    TestProbe<TrackerServer.Status> status = kit.createTestProbe();
    kit.spawn(TrackerServer.create(settings, status.getRef()));
    tracker = status.expectMessageClass(TrackerServer.Started.class, Duration.ofSeconds(20));
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static String announce(InfoHash hash, int port) {
    byte[] id = new byte[20];
    id[0] = (byte) port;
    id[1] = (byte) (port >> 8);
    return "/announce?" + HttpTrackerCodec.toQuery(HttpAnnounceRequest.of(hash, PeerId.of(id), port, 0, 0, 5,
        AnnounceEvent.STARTED));
  }

  static JsonNode stats(String from) throws Exception {
    RawHttp.Response r = RawHttp.get(from, tracker.http(), "/stats", Map.of());
    assertThat(r.status()).isEqualTo(200);
    return json.readTree(r.body());
  }

  /** True once the server has closed the connection: end of stream or a reset, never a read timeout. */
  static boolean closedByServer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // A response before the close is fine; the close is what counts.
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void anAddressPastItsRequestBudgetGets429AndOthersAreServed() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      statuses.add(RawHttp.get("127.0.0.10", tracker.http(), "/catalogue", Map.of()).status());
    }
    assertThat(statuses.subList(0, 8)).containsOnly(200);
    assertThat(statuses.subList(8, 12)).containsOnly(429);
    // A stranger's X-Forwarded-For buys no new budget.
    assertThat(RawHttp.get("127.0.0.10", tracker.http(), "/catalogue", Map.of("X-Forwarded-For", "10.1.1.1")).status())
        .isEqualTo(429);
    assertThat(RawHttp.get("127.0.0.11", tracker.http(), "/catalogue", Map.of()).status()).isEqualTo(200);
    assertThat(stats("127.0.0.11").at("/limits/httpRequestsPerSecondPerAddress/hits").asLong()).isGreaterThanOrEqualTo(5);
    assertThat(stats("127.0.0.11").at("/limits/httpRequestsPerSecondPerAddress/limit").asDouble()).isEqualTo(0.001);
  }

  @Test
  void anAddressHoldsAtMostItsConnectionsOpen() throws Exception {
    try (Socket first = RawHttp.connect("127.0.0.20", tracker.http());
        Socket second = RawHttp.connect("127.0.0.20", tracker.http());
        Socket third = RawHttp.connect("127.0.0.20", tracker.http())) {
      assertThat(closedByServer(third)).isTrue();
      assertThat(RawHttp.get("127.0.0.21", tracker.http(), "/catalogue", Map.of()).status()).isEqualTo(200);
      first.close();
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
          assertThat(RawHttp.get("127.0.0.20", tracker.http(), "/catalogue", Map.of()).status()).isEqualTo(200));
    }
    assertThat(stats("127.0.0.21").at("/limits/httpConnectionsPerAddress/hits").asLong()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aClientThatNeverFinishesItsHeadersIsCutOff() throws Exception {
    try (Socket slow = RawHttp.connect("127.0.0.30", tracker.http())) {
      slow.getOutputStream().write("GET /stats HTTP/1.1\r\nHost: tracker\r\nX-Slow: a".getBytes(StandardCharsets.ISO_8859_1));
      slow.getOutputStream().flush();
      assertThat(closedByServer(slow)).isTrue();
    }
    // A kept-alive connection gets the same time for its next request's headers, after an answer.
    try (Socket keptAlive = RawHttp.connect("127.0.0.31", tracker.http())) {
      keptAlive.getOutputStream().write("GET /stats HTTP/1.1\r\nHost: tracker\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      assertThat(closedByServer(keptAlive)).isTrue();
    }
    assertThat(RawHttp.get("127.0.0.32", tracker.http(), "/stats", Map.of()).status()).isEqualTo(200);
    assertThat(stats("127.0.0.32").at("/limits/httpHeaderTimeoutMillis/hits").asLong()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aScrapeOfAHundredInfoHashesIsAnswered() throws Exception {
    List<InfoHash> hashes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      byte[] h = new byte[20];
      h[0] = (byte) i;
      h[19] = (byte) 0xee;
      hashes.add(InfoHash.of(h));
    }
    String path = "/scrape?" + HttpTrackerCodec.toQuery(new HttpScrapeRequest(hashes));
    assertThat(path.length()).isGreaterThan(2048);
    RawHttp.Response r = RawHttp.get("127.0.0.40", tracker.http(), path, Map.of());
    assertThat(r.status()).isEqualTo(200);
    assertThat(((HttpScrapeResponse) HttpTrackerCodec.decodeScrape(r.body())).files()).hasSize(100);
  }

  @Test
  void anAddressRegistersAtMostItsPeersAndSwarms() throws Exception {
    InfoHash a = InfoHash.fromHex("aaaa00000000000000000000000000000000aaaa");
    for (int port = 8001; port <= 8003; port++) {
      RawHttp.Response r = RawHttp.get("127.0.0.50", tracker.http(), announce(a, port), Map.of());
      assertThat(HttpTrackerCodec.decodeAnnounce(r.body())).isInstanceOf(HttpAnnounceResponse.class);
    }
    HttpFailure tooMany = (HttpFailure) HttpTrackerCodec.decodeAnnounce(
        RawHttp.get("127.0.0.50", tracker.http(), announce(a, 8004), Map.of()).body());
    assertThat(tooMany.reason()).contains("3 peers");
    HttpAnnounceResponse honest = (HttpAnnounceResponse) HttpTrackerCodec.decodeAnnounce(
        RawHttp.get("127.0.0.51", tracker.http(), announce(a, 8001), Map.of()).body());
    assertThat(honest.peers()).hasSize(3);

    for (int i = 1; i <= 2; i++) {
      InfoHash fresh = InfoHash.fromHex("bbbb00000000000000000000000000000000000" + i);
      assertThat(HttpTrackerCodec.decodeAnnounce(RawHttp.get("127.0.0.52", tracker.http(), announce(fresh, 8001), Map.of()).body()))
          .isInstanceOf(HttpAnnounceResponse.class);
    }
    HttpFailure tooManySwarms = (HttpFailure) HttpTrackerCodec.decodeAnnounce(RawHttp.get("127.0.0.52", tracker.http(),
        announce(InfoHash.fromHex("bbbb000000000000000000000000000000000003"), 8001), Map.of()).body());
    assertThat(tooManySwarms.reason()).contains("2 swarms");
    JsonNode limits = stats("127.0.0.53").get("limits");
    assertThat(limits.at("/peersPerAddress/hits").asLong()).isEqualTo(1);
    assertThat(limits.at("/peersPerAddress/limit").asLong()).isEqualTo(3);
    assertThat(limits.at("/swarmsPerAddress/hits").asLong()).isEqualTo(1);
    assertThat(limits.at("/swarmsPerAddress/limit").asLong()).isEqualTo(2);
  }
}
