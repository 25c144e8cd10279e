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
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.tracker.ScrapeStats;
import io.swarmshare.messages.tracker.http.HttpAnnounceRequest;
import io.swarmshare.messages.tracker.http.HttpAnnounceResponse;
import io.swarmshare.messages.tracker.http.HttpFailure;
import io.swarmshare.messages.tracker.http.HttpScrapeRequest;
import io.swarmshare.messages.tracker.http.HttpScrapeResponse;
import io.swarmshare.messages.tracker.http.HttpTrackerCodec;
import io.swarmshare.messages.tracker.http.HttpTrackerReply;
import io.swarmshare.messages.tracker.udp.ConnectRequest;
import io.swarmshare.messages.tracker.udp.ConnectResponse;
import io.swarmshare.messages.tracker.udp.UdpTrackerCodec;
import io.swarmshare.tracker.TrackerServer;
import io.swarmshare.tracker.TrackerSettings;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every HTTP route of a real tracker on a real socket, and its UDP side on the same port. */
class TrackerRoutesTest {

  static final ActorTestKit kit = ActorTestKit.create();
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  static final ObjectMapper json = new ObjectMapper();
  @TempDir static Path dataDir;
  @TempDir static Path files;
  static TrackerServer.Started tracker;
  static String base;

  @BeforeAll
  static void start() {
    TrackerSettings settings = TrackerSettings.from(ConfigFactory.parseString(
            "swarmshare.tracker { host = \"127.0.0.1\", port = 0, data-dir = \"" + dataDir + "\", max-torrent-size = 64 KiB }")
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

  static HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> post(String path, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpAnnounceRequest announce(InfoHash hash, int port, long left, AnnounceEvent event) {
    byte[] id = new byte[20];
    id[0] = (byte) port;
    id[1] = (byte) (port >> 8);
    return HttpAnnounceRequest.of(hash, PeerId.of(id), port, 0, 0, left, event);
  }

  static Metainfo torrent(String name, int size) throws Exception {
    Path file = files.resolve(name + "-" + size);
    Files.createDirectories(file);
    byte[] data = new byte[size];
    data[0] = (byte) size;
    Files.write(file.resolve(name), data);
    return TorrentCreator.of(file.resolve(name)).creationDate(Optional.empty()).create();
  }

  @Test
  void announcesAndScrapesAsBep3And23Say() throws Exception {
    InfoHash hash = InfoHash.fromHex("aaaa000000000000000000000000000000000001");
    HttpResponse<byte[]> first = get("/announce?" + HttpTrackerCodec.toQuery(announce(hash, 7001, 0, AnnounceEvent.STARTED)));
    assertThat(first.statusCode()).isEqualTo(200);
    HttpAnnounceResponse seeder = (HttpAnnounceResponse) HttpTrackerCodec.decodeAnnounce(first.body());
    assertThat(seeder.interval()).isEqualTo(600);
    assertThat(seeder.minInterval()).isEqualTo(OptionalInt.of(60));
    assertThat(seeder.peers()).isEmpty();

    HttpAnnounceResponse leecher = (HttpAnnounceResponse) HttpTrackerCodec.decodeAnnounce(
        get("/announce?" + HttpTrackerCodec.toQuery(announce(hash, 7002, 10, AnnounceEvent.STARTED))).body());
    assertThat(leecher.addresses()).containsExactly(new PeerAddress(InetAddress.getByName("127.0.0.1"), 7001));
    assertThat(leecher.seeders()).isEqualTo(1);
    assertThat(leecher.leechers()).isEqualTo(1);

    // The dictionary model, without peer ids (BEP 23 allows it; the registry does not keep them).
    String dictionary = HttpTrackerCodec.toQuery(announce(hash, 7003, 10, AnnounceEvent.NONE)).replace("compact=1", "compact=0");
    byte[] body = get("/announce?" + dictionary).body();
    assertThat(new String(body, StandardCharsets.ISO_8859_1)).contains("5:peersld2:ip9:127.0.0.1");
    HttpAnnounceResponse dictionaries = (HttpAnnounceResponse) HttpTrackerCodec.decodeAnnounce(body);
    assertThat(dictionaries.addresses()).contains(new PeerAddress(InetAddress.getByName("127.0.0.1"), 7001));

    HttpScrapeResponse scrape = (HttpScrapeResponse) HttpTrackerCodec.decodeScrape(
        get("/scrape?" + HttpTrackerCodec.toQuery(new HttpScrapeRequest(List.of(hash)))).body());
    assertThat(scrape.files()).containsEntry(hash, new ScrapeStats(1, 0, 2));
  }

  @Test
  void answersABadQueryWithAFailureReason() throws Exception {
    for (String query : List.of("/announce", "/announce?info_hash=abc", "/announce?"
        + HttpTrackerCodec.toQuery(announce(InfoHash.of(new byte[20]), 1, 0, AnnounceEvent.NONE)).replace("port=1", "port=99999"),
        "/scrape", "/scrape?info_hash=x")) {
      HttpResponse<byte[]> r = get(query);
      assertThat(r.statusCode()).as(query).isEqualTo(200);
      assertThat(HttpTrackerCodec.decodeAnnounce(r.body())).as(query).isInstanceOf(HttpFailure.class);
    }
    assertThat(((HttpFailure) HttpTrackerCodec.decodeAnnounce(get("/announce?info_hash=abc").body())).reason())
        .contains("port");
  }

  static HttpAnnounceResponse rawAnnounce(String from, HttpAnnounceRequest request, Map<String, String> headers)
      throws Exception {
    RawHttp.Response r = RawHttp.get(from, tracker.http(), "/announce?" + HttpTrackerCodec.toQuery(request), headers);
    assertThat(r.status()).isEqualTo(200);
    return (HttpAnnounceResponse) HttpTrackerCodec.decodeAnnounce(r.body());
  }

  @Test
  void aStrangersProxyHeadersAndIpParameterAreIgnored() throws Exception {
    InfoHash hash = InfoHash.fromHex("dddd000000000000000000000000000000000001");
    rawAnnounce("127.0.0.2", announce(hash, 7301, 0, AnnounceEvent.STARTED), Map.of());
    // An attacker on 127.0.0.1 tries to stop the victim's entry, and to register addresses it does not hold.
    rawAnnounce("127.0.0.1", announce(hash, 7301, 0, AnnounceEvent.STOPPED), Map.of("X-Forwarded-For", "127.0.0.2"));
    rawAnnounce("127.0.0.1", announce(hash, 7301, 0, AnnounceEvent.STOPPED), Map.of("X-Real-IP", "127.0.0.2"));
    rawAnnounce("127.0.0.1", announce(hash, 7301, 0, AnnounceEvent.STOPPED), Map.of("Forwarded", "for=127.0.0.2"));
    rawAnnounce("127.0.0.1", announce(hash, 7302, 0, AnnounceEvent.STARTED), Map.of("X-Forwarded-For", "10.9.9.9"));
    String withIp = HttpTrackerCodec.toQuery(announce(hash, 7303, 0, AnnounceEvent.STARTED)) + "&ip=10.8.8.8";
    assertThat(RawHttp.get("127.0.0.1", tracker.http(), "/announce?" + withIp, Map.of()).status()).isEqualTo(200);

    HttpAnnounceResponse asker = rawAnnounce("127.0.0.3", announce(hash, 7304, 5, AnnounceEvent.STARTED), Map.of());
    assertThat(asker.addresses()).containsExactlyInAnyOrder(
        new PeerAddress(InetAddress.getByName("127.0.0.2"), 7301),
        new PeerAddress(InetAddress.getByName("127.0.0.1"), 7302),
        new PeerAddress(InetAddress.getByName("127.0.0.1"), 7303));
  }

  @Test
  void refusesPortZero() throws Exception {
    InfoHash hash = InfoHash.fromHex("dddd000000000000000000000000000000000002");
    HttpTrackerReply zero = HttpTrackerCodec.decodeAnnounce(
        get("/announce?" + HttpTrackerCodec.toQuery(announce(hash, 0, 0, AnnounceEvent.STARTED))).body());
    assertThat(zero).isInstanceOf(HttpFailure.class);
    assertThat(((HttpFailure) zero).reason()).contains("port 0");
    HttpAnnounceResponse honest = (HttpAnnounceResponse) HttpTrackerCodec.decodeAnnounce(
        get("/announce?" + HttpTrackerCodec.toQuery(announce(hash, 7401, 5, AnnounceEvent.STARTED))).body());
    assertThat(honest.peers()).isEmpty();
    assertThat(honest.seeders()).isZero();
    assertThat(honest.leechers()).isEqualTo(1);
  }

  @Test
  void publishesListsAndServesTorrents() throws Exception {
    Metainfo song = torrent("song.ogg", 1000);
    Metainfo other = torrent("song.ogg", 2000);
    HttpResponse<byte[]> created = post("/torrents", song.encode());
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(json.readTree(created.body()).get("infoHash").asText()).isEqualTo(song.infoHash().hex());
    assertThat(post("/torrents", song.encode()).statusCode()).isEqualTo(200);
    assertThat(post("/torrents", other.encode()).statusCode()).isEqualTo(201);

    get("/announce?" + HttpTrackerCodec.toQuery(announce(song.infoHash(), 7101, 0, AnnounceEvent.STARTED)));
    get("/announce?" + HttpTrackerCodec.toQuery(announce(song.infoHash(), 7102, 5, AnnounceEvent.STARTED)));
    get("/announce?" + HttpTrackerCodec.toQuery(announce(song.infoHash(), 7102, 0, AnnounceEvent.COMPLETED)));

    JsonNode page = json.readTree(get("/catalogue?name=SONG").body());
    assertThat(page.get("total").asInt()).isEqualTo(2);
    JsonNode list = page.get("entries");
    assertThat(list).hasSize(2);
    JsonNode entry = null;
    for (JsonNode e : list) {
      if (e.get("infoHash").asText().equals(song.infoHash().hex())) {
        entry = e;
      }
    }
    assertThat(entry).isNotNull();
    assertThat(entry.get("name").asText()).isEqualTo("song.ogg");
    assertThat(entry.get("size").asLong()).isEqualTo(1000);
    assertThat(entry.get("seeders").asInt()).isEqualTo(2);
    assertThat(entry.get("leechers").asInt()).isZero();
    assertThat(entry.get("completed").asInt()).isEqualTo(1);
    assertThat(entry.get("publisher").asText()).isEqualTo("local");
    assertThat(json.readTree(get("/catalogue?name=nothing-like-it").body()).get("entries")).isEmpty();

    HttpResponse<byte[]> file = get("/torrents/" + song.infoHash().hex() + ".torrent");
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("Content-Type")).contains("application/x-bittorrent");
    assertThat(file.body()).isEqualTo(song.encode());
    assertThat(get("/torrents/" + "0".repeat(40) + ".torrent").statusCode()).isEqualTo(404);
    assertThat(get("/torrents/../../etc/passwd").statusCode()).isEqualTo(404);
    assertThat(get("/torrents/xyz.torrent").statusCode()).isEqualTo(404);
  }

  @Test
  void refusesBadTorrentsWithTheReason() throws Exception {
    HttpResponse<byte[]> garbage = post("/torrents", "not a torrent".getBytes(StandardCharsets.US_ASCII));
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(json.readTree(garbage.body()).get("error").asText()).contains("bencode");
    String escaping = "d4:infod5:filesld6:lengthi1e4:pathl2:..1:xeee4:name1:x12:piece lengthi16384e6:pieces20:"
        + "x".repeat(20) + "ee";
    HttpResponse<byte[]> escape = post("/torrents", escaping.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(escape.statusCode()).isEqualTo(400);
    assertThat(json.readTree(escape.body()).get("error").asText()).contains("..");
    assertThat(post("/torrents", new byte[70 * 1024]).statusCode()).isEqualTo(413);
  }

  @Test
  void reportsStats() throws Exception {
    JsonNode before = json.readTree(get("/stats").body());
    InfoHash hash = InfoHash.fromHex("bbbb000000000000000000000000000000000001");
    get("/announce?" + HttpTrackerCodec.toQuery(announce(hash, 7201, 0, AnnounceEvent.STARTED)));
    get("/announce?" + HttpTrackerCodec.toQuery(announce(hash, 7202, 10, AnnounceEvent.STARTED)));
    get("/announce?" + HttpTrackerCodec.toQuery(announce(hash, 7202, 10, AnnounceEvent.NONE)));
    get("/scrape?" + HttpTrackerCodec.toQuery(new HttpScrapeRequest(List.of(hash))));
    get("/announce?info_hash=abc");
    JsonNode after = json.readTree(get("/stats").body());

    // This class shares one tracker, so exact differences: three announces of two new peers in a new swarm.
    Map<String, Long> expected = Map.of("swarms", 1L, "peers", 2L, "seeders", 1L, "leechers", 1L,
        "announces", 3L, "scrapes", 1L, "errors", 1L);
    expected.forEach((field, delta) ->
        assertThat(after.get(field).asLong() - before.get(field).asLong()).as(field).isEqualTo(delta));
    assertThat(after.get("peers").asLong()).isEqualTo(after.get("seeders").asLong() + after.get("leechers").asLong());
    assertThat(after.get("uptimeSeconds").asLong()).isGreaterThanOrEqualTo(before.get("uptimeSeconds").asLong());
    assertThat(after.get("announcesPerSecond").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(after.get("errorsPerSecond").asDouble()).isGreaterThanOrEqualTo(0);
    // The limits in force (reference.conf's defaults) and that an honest client hit none of them.
    JsonNode limits = after.get("limits");
    assertThat(limits.at("/peers/limit").asLong()).isEqualTo(5_000_000);
    assertThat(limits.at("/peersPerAddress/limit").asLong()).isEqualTo(2000);
    assertThat(limits.at("/swarmsPerAddress/limit").asLong()).isEqualTo(1000);
    assertThat(limits.at("/udpRequestsPerSecondPerAddress/limit").asDouble()).isEqualTo(50);
    assertThat(limits.at("/httpRequestsPerSecondPerAddress/limit").asDouble()).isEqualTo(20);
    assertThat(limits.at("/httpConnectionsPerAddress/limit").asLong()).isEqualTo(32);
    assertThat(limits.at("/httpHeaderTimeoutMillis/limit").asLong()).isEqualTo(10_000);
    assertThat(limits.at("/catalogueBytes/limit").asLong()).isEqualTo(1L << 30);
    assertThat(limits.at("/publishQuotaPerKey/limit").isNull()).isTrue();
    limits.forEach(limit -> assertThat(limit.get("hits").asLong()).isZero());
  }

  @Test
  void servesUdpOnTheSamePortNumber() throws Exception {
    assertThat(tracker.udp().getPort()).isEqualTo(tracker.http().getPort());
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(5000);
      ByteBuffer request = UdpTrackerCodec.encode(new ConnectRequest(5));
      socket.send(new DatagramPacket(request.array(), request.remaining(), tracker.udp()));
      DatagramPacket reply = new DatagramPacket(new byte[64], 64);
      socket.receive(reply);
      assertThat(UdpTrackerCodec.decodeResponse(ByteBuffer.wrap(reply.getData(), 0, reply.getLength()),
          java.net.StandardProtocolFamily.INET)).isInstanceOf(ConnectResponse.class);
    }
  }
}
