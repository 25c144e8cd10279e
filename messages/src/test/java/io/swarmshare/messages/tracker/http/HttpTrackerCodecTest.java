package io.swarmshare.messages.tracker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.tracker.ScrapeStats;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpTrackerCodecTest {

  private static final InfoHash HASH = InfoHash.fromHex("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
  private static final PeerId ID = PeerId.of("-SS0100-abcdefghijkl".getBytes(StandardCharsets.US_ASCII));
  private static final String QUERY = "info_hash=" + HASH.urlEncoded() + "&peer_id=" + ID.urlEncoded()
      + "&port=6881&uploaded=0&downloaded=0&left=100";

  private static PeerAddress peer(String ip, int port) throws Exception {
    return new PeerAddress(InetAddress.getByName(ip), port);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  @Test
  void writesTheAnnounceQueryOfBep3() {
    HttpAnnounceRequest r = HttpAnnounceRequest.of(HASH, ID, 6881, 1, 2, 3, AnnounceEvent.STARTED);
    assertThat(HttpTrackerCodec.toQuery(r)).isEqualTo(
        "info_hash=%C1%2F%E1%C0k%BA%25J%9D%C9%F5%19%B35%AA%7C%13g%A8%8A&peer_id=-SS0100-abcdefghijkl"
            + "&port=6881&uploaded=1&downloaded=2&left=3&compact=1&event=started");
  }

  @Test
  void readsAnAnnounceQueryWithBinaryValuesAndDefaults() {
    HttpAnnounceRequest r = HttpTrackerCodec.parseAnnounce(QUERY);
    assertThat(r.infoHash()).isEqualTo(HASH);
    assertThat(r.peerId()).isEqualTo(ID);
    assertThat(r.port()).isEqualTo(6881);
    assertThat(r.left()).isEqualTo(100);
    assertThat(r.event()).isEqualTo(AnnounceEvent.NONE);
    assertThat(r.compact()).isTrue();
    assertThat(r.numWant()).isEmpty();
    HttpAnnounceRequest full = HttpTrackerCodec.parseAnnounce(
        QUERY + "&compact=0&no_peer_id=1&event=completed&numwant=5&ip=10.0.0.1&key=abc&trackerid=t1");
    assertThat(full.compact()).isFalse();
    assertThat(full.noPeerId()).isTrue();
    assertThat(full.event()).isEqualTo(AnnounceEvent.COMPLETED);
    assertThat(full.numWant()).hasValue(5);
    assertThat(full.ip()).contains("10.0.0.1");
    assertThat(full.key()).contains("abc");
    assertThat(full.trackerId()).contains("t1");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "peer_id=-SS0100-abcdefghijkl&port=1&uploaded=0&downloaded=0&left=0",
      "info_hash=short&peer_id=-SS0100-abcdefghijkl&port=1&uploaded=0&downloaded=0&left=0",
      "info_hash=%C1%2F%E1%C0k%BA%25J%9D%C9%F5%19%B35%AA%7C%13g%A8%8A&peer_id=x&port=1&uploaded=0&downloaded=0&left=0",
      "%s&port=70000",
      "%s&left=-1",
      "%s&uploaded=lots",
      "%s&event=paused!",
      "%s&numwant=-3",
      "%s&info_hash=%C1%2F%E1%C0k%BA%25J%9D%C9%F5%19%B35%AA%7C%13g%A8%8A",
      "%s&key=%G1",
      "%s&numwant=+5",
      "%s&numwant=\uff15",
  })
  void refusesABadAnnounceQuery(String template) {
    String base = "info_hash=" + HASH.urlEncoded() + "&peer_id=" + ID.urlEncoded();
    String query = template.contains("%s")
        ? template.replace("%s", base) + (template.contains("port=") ? "" : "&port=1")
            + (template.contains("left=") ? "" : "&left=0") + (template.contains("uploaded=") ? "" : "&uploaded=0")
            + "&downloaded=0"
        : template;
    assertThatThrownBy(() -> HttpTrackerCodec.parseAnnounce(query)).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void saysWhatIsWrongWithAQuery() {
    assertThatThrownBy(() -> HttpTrackerCodec.parseAnnounce(QUERY.replace(HASH.urlEncoded(), "abc")))
        .hasMessage("info_hash must be 20 bytes, got 3");
    assertThatThrownBy(() -> HttpTrackerCodec.parseAnnounce(QUERY.replace("&left=100", "")))
        .hasMessage("missing left");
    assertThatThrownBy(() -> HttpTrackerCodec.parseAnnounce("a=" + "x".repeat(HttpTrackerCodec.MAX_QUERY_LENGTH)))
        .hasMessageContaining("query longer than");
  }

  @Test
  void readsAndWritesScrapeQueries() {
    InfoHash other = InfoHash.of(new byte[20]);
    String query = HttpTrackerCodec.toQuery(new HttpScrapeRequest(List.of(HASH, other)));
    assertThat(query).isEqualTo("info_hash=" + HASH.urlEncoded() + "&info_hash=" + other.urlEncoded());
    assertThat(HttpTrackerCodec.parseScrape(query).infoHashes()).containsExactly(HASH, other);
    assertThat(HttpTrackerCodec.parseScrape("").infoHashes()).isEmpty();
    assertThatThrownBy(() -> HttpTrackerCodec.parseScrape("info_hash=abc")).hasMessageContaining("20 bytes");
    String tooMany = ("info_hash=" + HASH.urlEncoded() + "&").repeat(HttpTrackerCodec.MAX_SCRAPE_HASHES + 1);
    assertThatThrownBy(() -> HttpTrackerCodec.parseScrape(tooMany)).hasMessageContaining("more than 256");
  }

  @Test
  void derivesTheScrapeUrlAsBep48Says() {
    assertThat(HttpTrackerCodec.scrapeUrl("http://t.example/announce")).contains("http://t.example/scrape");
    assertThat(HttpTrackerCodec.scrapeUrl("http://t.example/x/announce.php?k=1")).contains("http://t.example/x/scrape.php?k=1");
    assertThat(HttpTrackerCodec.scrapeUrl("http://t.example/a")).isEmpty();
  }

  @Test
  void writesCompactPeersAndPeers6() throws Exception {
    HttpAnnounceResponse r = new HttpAnnounceResponse(1800, OptionalInt.empty(), 1, 2,
        List.of(HttpAnnounceResponse.Peer.of(peer("10.0.0.1", 6881)), HttpAnnounceResponse.Peer.of(peer("::1", 80))),
        Optional.empty(), Optional.empty());
    String body = text(HttpTrackerCodec.encode(r, true, false));
    assertThat(body).isEqualTo("d8:completei1e10:incompletei2e8:intervali1800e5:peers6:\n\0\0\u0001\u001a\u00e1"
        + "6:peers618:" + "\0".repeat(15) + "\u0001\0\u0050e");
    assertThat(HttpTrackerCodec.decodeAnnounce(HttpTrackerCodec.encode(r, true, false))).isEqualTo(r);
  }

  @Test
  void writesDictionaryPeersWithOrWithoutIds() throws Exception {
    HttpAnnounceResponse r = new HttpAnnounceResponse(60, OptionalInt.of(30), 0, 1,
        List.of(new HttpAnnounceResponse.Peer(peer("10.0.0.1", 6881), Optional.of(ID))),
        Optional.of("careful"), Optional.of("tid"));
    String body = text(HttpTrackerCodec.encode(r, false, false));
    assertThat(body).contains("5:peersld2:ip8:10.0.0.17:peer id20:-SS0100-abcdefghijkl4:porti6881eee");
    assertThat(HttpTrackerCodec.decodeAnnounce(HttpTrackerCodec.encode(r, false, false))).isEqualTo(r);
    assertThat(text(HttpTrackerCodec.encode(r, false, true))).doesNotContain("peer id");
  }

  @Test
  void readsAFailureReason() {
    byte[] body = HttpTrackerCodec.encode(new HttpFailure("unknown torrent"));
    assertThat(text(body)).isEqualTo("d14:failure reason15:unknown torrente");
    assertThat(HttpTrackerCodec.decodeAnnounce(body)).isEqualTo(new HttpFailure("unknown torrent"));
    assertThat(HttpTrackerCodec.decodeScrape(body)).isEqualTo(new HttpFailure("unknown torrent"));
  }

  @Test
  void writesAndReadsScrapeReplies() {
    HttpScrapeResponse r = new HttpScrapeResponse(Map.of(HASH, new ScrapeStats(3, 7, 2)));
    byte[] body = HttpTrackerCodec.encode(r);
    assertThat(text(body)).startsWith("d5:filesd20:").endsWith("d8:completei3e10:downloadedi7e10:incompletei2eeee");
    assertThat(HttpTrackerCodec.decodeScrape(body)).isEqualTo(r);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "le",
      "d5:peers5:abcdee",
      "d8:intervali-1e5:peers0:e",
      "d5:peers0:e",
      "d8:intervali10e5:peersi1ee",
      "d8:intervali10e5:peersld2:ip9:localhost4:porti1eeee",
      "d8:intervali10e5:peersld2:ip8:10.0.0.14:porti70000eeee",
      "d8:intervali10e5:peersld2:ip9:999.1.1.14:porti1eeee",
      "d8:intervali10e5:peers0:6:peers65:abcdee",
  })
  void refusesMalformedAnnounceReplies(String body) {
    assertThatThrownBy(() -> HttpTrackerCodec.decodeAnnounce(body.getBytes(StandardCharsets.ISO_8859_1)))
        .isInstanceOf(MalformedMessageException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"de", "d5:filesi1ee", "d5:filesd3:abcdeee", "d5:filesd20:aaaaaaaaaaaaaaaaaaaai1eee"})
  void refusesMalformedScrapeReplies(String body) {
    assertThatThrownBy(() -> HttpTrackerCodec.decodeScrape(body.getBytes(StandardCharsets.ISO_8859_1)))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Property
  void announceQueriesRoundTrip(@ForAll("announces") HttpAnnounceRequest request) {
    assertThat(HttpTrackerCodec.parseAnnounce(HttpTrackerCodec.toQuery(request))).isEqualTo(request);
  }

  @Provide
  Arbitrary<HttpAnnounceRequest> announces() {
    Arbitrary<byte[]> twenty = Arbitraries.bytes().array(byte[].class).ofSize(20);
    Arbitrary<Long> counts = Arbitraries.longs().greaterOrEqual(0);
    Arbitrary<Optional<String>> text = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(10).optional();
    return Combinators.combine(
            twenty.map(InfoHash::of), twenty.map(PeerId::of), Arbitraries.integers().between(0, 65535),
            counts, counts, counts, Arbitraries.of(AnnounceEvent.class), Arbitraries.of(true, false))
        .flatAs((hash, id, port, up, down, left, event, compact) ->
            Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 500).optional(), text, text)
                .as((noPeerId, numWant, ip, key) -> new HttpAnnounceRequest(
                    hash, id, port, up, down, left, event, compact, noPeerId,
                    numWant.map(OptionalInt::of).orElse(OptionalInt.empty()), ip, key, Optional.empty())));
  }
}
