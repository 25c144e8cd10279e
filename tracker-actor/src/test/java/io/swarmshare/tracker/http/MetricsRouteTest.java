package io.swarmshare.tracker.http;

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
import io.swarmshare.messages.tracker.http.HttpScrapeRequest;
import io.swarmshare.messages.tracker.http.HttpTrackerCodec;
import io.swarmshare.messages.tracker.udp.AnnounceRequest;
import io.swarmshare.messages.tracker.udp.AnnounceResponse;
import io.swarmshare.messages.tracker.udp.ConnectRequest;
import io.swarmshare.messages.tracker.udp.ConnectResponse;
import io.swarmshare.messages.tracker.udp.ErrorResponse;
import io.swarmshare.messages.tracker.udp.ScrapeRequest;
import io.swarmshare.messages.tracker.udp.ScrapeResponse;
import io.swarmshare.messages.tracker.udp.UdpTrackerCodec;
import io.swarmshare.messages.tracker.udp.UdpTrackerRequest;
import io.swarmshare.messages.tracker.udp.UdpTrackerResponse;
import io.swarmshare.tracker.TrackerServer;
import io.swarmshare.tracker.TrackerSettings;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of a real tracker, scraped after real announces over UDP and HTTP. */
class MetricsRouteTest {

  static final ActorTestKit kit = ActorTestKit.create();
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  @TempDir static Path dataDir;
  @TempDir static Path files;
  static TrackerServer.Started tracker;
  static String base;

  @BeforeAll
  static void start() {
    TrackerSettings settings = TrackerSettings.from(ConfigFactory.parseString(
            "swarmshare.tracker { host = \"127.0.0.1\", port = 0, data-dir = \"" + dataDir + "\" }")
        .withFallback(ConfigFactory.load()));
    TestProbe<TrackerServer.Status> status = kit.createTestProbe();
    kit.spawn(TrackerServer.create(settings, status.getRef()));
    tracker = status.expectMessageClass(TrackerServer.Started.class, Duration.ofSeconds(20));
    base = "http://127.0.0.1:" + tracker.http().getPort();
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpAnnounceRequest announce(InfoHash hash, int port, long left) {
    byte[] id = new byte[20];
    id[0] = (byte) port;
    id[1] = (byte) (port >> 8);
    return HttpAnnounceRequest.of(hash, PeerId.of(id), port, 0, 0, left, AnnounceEvent.STARTED);
  }

  static UdpTrackerResponse exchange(DatagramSocket socket, UdpTrackerRequest request) throws Exception {
    ByteBuffer b = UdpTrackerCodec.encode(request);
    socket.send(new DatagramPacket(b.array(), b.remaining(), tracker.udp()));
    DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
    socket.receive(reply);
    return UdpTrackerCodec.decodeResponse(
        ByteBuffer.wrap(reply.getData(), 0, reply.getLength()), StandardProtocolFamily.INET);
  }

  @Test
  void countsWhatRealClientsDidAndNamesNoPeer() throws Exception {
    Path file = Files.writeString(files.resolve("film.mkv"), "some film");
    Metainfo film = TorrentCreator.of(file).creationDate(Optional.empty()).create();
    byte[] torrent = film.encode();
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/torrents"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(torrent)).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(201);

    // Over HTTP: a seeder and a leecher of the film, a scrape, and one query no tracker could answer.
    assertThat(get("/announce?" + HttpTrackerCodec.toQuery(announce(film.infoHash(), 7501, 0))).body())
        .doesNotContain("failure");
    assertThat(get("/announce?" + HttpTrackerCodec.toQuery(announce(film.infoHash(), 7502, 10))).body())
        .doesNotContain("failure");
    get("/scrape?" + HttpTrackerCodec.toQuery(new HttpScrapeRequest(List.of(film.infoHash()))));
    assertThat(get("/announce?info_hash=abc").body()).contains("failure");

    // Over UDP: a leecher of another swarm, its scrape, and an announce with a forged connection id.
    InfoHash other = InfoHash.fromHex("eeee000000000000000000000000000000000001");
    int udpPeerPort;
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setSoTimeout(5000);
      udpPeerPort = socket.getLocalPort();
      long id = ((ConnectResponse) exchange(socket, new ConnectRequest(1))).connectionId();
      AnnounceRequest udpAnnounce = new AnnounceRequest(id, 2, other, PeerId.of(new byte[20]), 0, 50, 0,
          AnnounceEvent.STARTED, Optional.empty(), 9, -1, udpPeerPort);
      assertThat(exchange(socket, udpAnnounce)).isInstanceOf(AnnounceResponse.class);
      assertThat(exchange(socket, new ScrapeRequest(id, 3, List.of(other)))).isInstanceOf(ScrapeResponse.class);
      AnnounceRequest forged = new AnnounceRequest(id ^ 0x5a5a, 4, other, PeerId.of(new byte[20]), 0, 50, 0,
          AnnounceEvent.STARTED, Optional.empty(), 9, -1, udpPeerPort);
      assertThat(exchange(socket, forged)).isInstanceOf(ErrorResponse.class);
    }

    HttpResponse<String> scrape = get("/metrics");
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    PrometheusText m = new PrometheusText(scrape.body());
    assertThat(m.value("swarmshare_tracker_announces_total", "protocol", "http")).isEqualTo(2.0);
    assertThat(m.value("swarmshare_tracker_announces_total", "protocol", "udp")).isEqualTo(1.0);
    assertThat(m.value("swarmshare_tracker_scrapes_total", "protocol", "http")).isEqualTo(1.0);
    assertThat(m.value("swarmshare_tracker_scrapes_total", "protocol", "udp")).isEqualTo(1.0);
    assertThat(m.value("swarmshare_tracker_errors_total", "protocol", "http", "kind", "malformed")).isEqualTo(1.0);
    assertThat(m.value("swarmshare_tracker_errors_total", "protocol", "udp", "kind", "connection_id"))
        .isEqualTo(1.0);
    assertThat(m.value("swarmshare_tracker_errors_total", "protocol", "udp", "kind", "malformed")).isEqualTo(0.0);
    assertThat(m.value("swarmshare_tracker_swarms")).isEqualTo(2.0);
    assertThat(m.value("swarmshare_tracker_peers")).isEqualTo(3.0);
    assertThat(m.value("swarmshare_tracker_seeders")).isEqualTo(1.0);
    assertThat(m.value("swarmshare_tracker_leechers")).isEqualTo(2.0);
    assertThat(m.value("swarmshare_tracker_catalogue_entries")).isEqualTo(1.0);
    assertThat(m.value("swarmshare_tracker_catalogue_bytes")).isEqualTo((double) torrent.length);
    // Open to anyone, like /stats, so it must never name a peer: no address, no peer's port.
    assertThat(scrape.body()).doesNotContain("127.0.0.1").doesNotContain("7501").doesNotContain("7502")
        .doesNotContain(String.valueOf(udpPeerPort)).doesNotContain(film.infoHash().hex());

    // /stats reads the same counters.
    JsonNode stats = new ObjectMapper().readTree(get("/stats").body());
    assertThat(stats.get("announces").asLong()).isEqualTo(3);
    assertThat(stats.get("scrapes").asLong()).isEqualTo(2);
    assertThat(stats.get("errors").asLong()).isEqualTo(2);
  }
}
