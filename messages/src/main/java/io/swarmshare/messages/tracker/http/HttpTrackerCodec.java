package io.swarmshare.messages.tracker.http;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PercentEncoding;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.bencode.BDict;
import io.swarmshare.messages.bencode.BInteger;
import io.swarmshare.messages.bencode.BList;
import io.swarmshare.messages.bencode.BString;
import io.swarmshare.messages.bencode.BValue;
import io.swarmshare.messages.bencode.BencodeDecoder;
import io.swarmshare.messages.bencode.BencodeEncoder;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.CompactPeers;
import io.swarmshare.messages.tracker.IpLiteral;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.tracker.ScrapeStats;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The HTTP tracker protocol (BEP 3, 7, 23, 48): announce and scrape query strings with binary
 * values percent-encoded byte by byte, and bencoded replies with compact or dictionary peers.
 * Queries are parsed from the raw, still-encoded query string, because {@code info_hash} is bytes,
 * not text, and decoding it as text would change it.
 */
public final class HttpTrackerCodec {

  /** No honest client sends a longer query; a scrape of {@link #MAX_SCRAPE_HASHES} fits. */
  public static final int MAX_QUERY_LENGTH = 16 * 1024;

  public static final int MAX_SCRAPE_HASHES = 256;

  private HttpTrackerCodec() {}

  // ---- announce query

  public static String toQuery(HttpAnnounceRequest r) {
    StringBuilder q = new StringBuilder(256)
        .append("info_hash=").append(r.infoHash().urlEncoded())
        .append("&peer_id=").append(r.peerId().urlEncoded())
        .append("&port=").append(r.port())
        .append("&uploaded=").append(r.uploaded())
        .append("&downloaded=").append(r.downloaded())
        .append("&left=").append(r.left())
        .append("&compact=").append(r.compact() ? 1 : 0);
    if (r.noPeerId()) {
      q.append("&no_peer_id=1");
    }
    if (r.event() != AnnounceEvent.NONE) {
      q.append("&event=").append(r.event().httpName());
    }
    r.numWant().ifPresent(n -> q.append("&numwant=").append(n));
    r.ip().ifPresent(ip -> q.append("&ip=").append(PercentEncoding.encode(ip)));
    r.key().ifPresent(k -> q.append("&key=").append(PercentEncoding.encode(k)));
    r.trackerId().ifPresent(t -> q.append("&trackerid=").append(PercentEncoding.encode(t)));
    return q.toString();
  }

  public static HttpAnnounceRequest parseAnnounce(String rawQuery) {
    Map<String, byte[]> p = single(parameters(rawQuery));
    int port = (int) number(p, "port", 0, 65535);
    OptionalInt numWant = p.containsKey("numwant")
        ? OptionalInt.of((int) number(p, "numwant", 0, Integer.MAX_VALUE))
        : OptionalInt.empty();
    return new HttpAnnounceRequest(
        InfoHash.of(exactly(p, "info_hash", InfoHash.LENGTH)),
        PeerId.of(exactly(p, "peer_id", PeerId.LENGTH)),
        port,
        number(p, "uploaded", 0, Long.MAX_VALUE),
        number(p, "downloaded", 0, Long.MAX_VALUE),
        number(p, "left", 0, Long.MAX_VALUE),
        p.containsKey("event") ? AnnounceEvent.fromHttpName(text(p.get("event"))) : AnnounceEvent.NONE,
        !p.containsKey("compact") || !text(p.get("compact")).equals("0"),
        p.containsKey("no_peer_id") && !text(p.get("no_peer_id")).equals("0"),
        numWant,
        Optional.ofNullable(p.get("ip")).map(HttpTrackerCodec::text),
        Optional.ofNullable(p.get("key")).map(HttpTrackerCodec::text),
        Optional.ofNullable(p.get("trackerid")).map(HttpTrackerCodec::text));
  }

  // ---- scrape query

  public static String toQuery(HttpScrapeRequest r) {
    StringBuilder q = new StringBuilder();
    for (InfoHash hash : r.infoHashes()) {
      q.append(q.length() == 0 ? "" : "&").append("info_hash=").append(hash.urlEncoded());
    }
    return q.toString();
  }

  public static HttpScrapeRequest parseScrape(String rawQuery) {
    List<InfoHash> hashes = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : parameters(rawQuery)) {
      if (e.getKey().equals("info_hash")) {
        if (hashes.size() == MAX_SCRAPE_HASHES) {
          throw invalid("more than " + MAX_SCRAPE_HASHES + " info_hash values");
        }
        if (e.getValue().length != InfoHash.LENGTH) {
          throw invalid("info_hash must be 20 bytes, got " + e.getValue().length);
        }
        hashes.add(InfoHash.of(e.getValue()));
      }
    }
    return new HttpScrapeRequest(hashes);
  }

  /** The announce URL's scrape URL (BEP 48 convention): the last "announce" becomes "scrape". */
  public static Optional<String> scrapeUrl(String announceUrl) {
    int slash = announceUrl.lastIndexOf('/');
    if (slash < 0 || !announceUrl.startsWith("announce", slash + 1)) {
      return Optional.empty();
    }
    return Optional.of(announceUrl.substring(0, slash + 1) + "scrape"
        + announceUrl.substring(slash + 1 + "announce".length()));
  }

  // ---- replies

  /**
   * Encodes a successful announce. Compact: IPv4 peers in {@code peers} (BEP 23), IPv6 peers in
   * {@code peers6} (BEP 7). Otherwise a list of dictionaries, with ids unless {@code noPeerId}.
   */
  public static byte[] encode(HttpAnnounceResponse r, boolean compact, boolean noPeerId) {
    BDict.Builder d = BDict.builder()
        .put("interval", r.interval())
        .put("complete", r.seeders())
        .put("incomplete", r.leechers());
    r.minInterval().ifPresent(m -> d.put("min interval", m));
    r.warning().ifPresent(w -> d.put("warning message", w));
    r.trackerId().ifPresent(t -> d.put("tracker id", t));
    if (compact) {
      List<PeerAddress> v4 = new ArrayList<>();
      List<PeerAddress> v6 = new ArrayList<>();
      for (HttpAnnounceResponse.Peer peer : r.peers()) {
        (peer.address().family() == StandardProtocolFamily.INET ? v4 : v6).add(peer.address());
      }
      d.put("peers", CompactPeers.encode(v4, StandardProtocolFamily.INET));
      if (!v6.isEmpty()) {
        d.put("peers6", CompactPeers.encode(v6, StandardProtocolFamily.INET6));
      }
    } else {
      List<BValue> peers = new ArrayList<>(r.peers().size());
      for (HttpAnnounceResponse.Peer peer : r.peers()) {
        BDict.Builder p = BDict.builder()
            .put("ip", peer.address().address().getHostAddress())
            .put("port", peer.address().port());
        if (!noPeerId) {
          peer.peerId().ifPresent(id -> p.put("peer id", id.bytes()));
        }
        peers.add(p.build());
      }
      d.put("peers", new BList(peers));
    }
    return BencodeEncoder.encode(d.build());
  }

  public static byte[] encode(HttpScrapeResponse r) {
    Map<BString, BValue> files = new LinkedHashMap<>();
    r.files().forEach((hash, stats) -> files.put(
        BString.of(hash.bytes()),
        BDict.builder()
            .put("complete", stats.seeders())
            .put("downloaded", stats.completed())
            .put("incomplete", stats.leechers())
            .build()));
    return BencodeEncoder.encode(BDict.builder().put("files", new BDict(files)).build());
  }

  public static byte[] encode(HttpFailure failure) {
    return BencodeEncoder.encode(BDict.builder().put("failure reason", failure.reason()).build());
  }

  /** Reads an announce reply: an {@link HttpAnnounceResponse} or an {@link HttpFailure}. */
  public static HttpTrackerReply decodeAnnounce(byte[] body) {
    BDict d = replyDict(body);
    Optional<HttpFailure> failure = failure(d);
    if (failure.isPresent()) {
      return failure.get();
    }
    List<HttpAnnounceResponse.Peer> peers = new ArrayList<>();
    BValue peersValue = d.get("peers").orElseGet(() -> BString.of(new byte[0]));
    if (peersValue instanceof BString compact) {
      CompactPeers.decode(ByteBuffer.wrap(compact.bytes()), StandardProtocolFamily.INET)
          .forEach(a -> peers.add(HttpAnnounceResponse.Peer.of(a)));
    } else if (peersValue instanceof BList list) {
      for (BValue item : list.items()) {
        peers.add(dictionaryPeer(item));
      }
    } else {
      throw invalid("'peers' must be a string or a list, got " + peersValue.kind());
    }
    Optional<BValue> peers6 = d.get("peers6");
    if (peers6.isPresent()) {
      CompactPeers.decode(ByteBuffer.wrap(string(peers6.get(), "peers6").bytes()), StandardProtocolFamily.INET6)
          .forEach(a -> peers.add(HttpAnnounceResponse.Peer.of(a)));
    }
    return new HttpAnnounceResponse(
        count(d, "interval").orElseThrow(() -> invalid("no 'interval'")),
        count(d, "min interval").map(OptionalInt::of).orElse(OptionalInt.empty()),
        count(d, "complete").orElse(0),
        count(d, "incomplete").orElse(0),
        peers,
        d.get("warning message").map(v -> string(v, "warning message").text()),
        d.get("tracker id").map(v -> string(v, "tracker id").text()));
  }

  /** Reads a scrape reply: an {@link HttpScrapeResponse} or an {@link HttpFailure}. */
  public static HttpTrackerReply decodeScrape(byte[] body) {
    BDict d = replyDict(body);
    Optional<HttpFailure> failure = failure(d);
    if (failure.isPresent()) {
      return failure.get();
    }
    BValue filesValue = d.get("files").orElseThrow(() -> invalid("no 'files'"));
    if (!(filesValue instanceof BDict files)) {
      throw invalid("'files' must be a dictionary, got " + filesValue.kind());
    }
    Map<InfoHash, ScrapeStats> stats = new HashMap<>();
    for (Map.Entry<BString, BValue> e : files.entries().entrySet()) {
      if (e.getKey().length() != InfoHash.LENGTH) {
        throw invalid("a key of 'files' is " + e.getKey().length() + " bytes, not an info hash");
      }
      if (!(e.getValue() instanceof BDict counts)) {
        throw invalid("a value of 'files' must be a dictionary, got " + e.getValue().kind());
      }
      stats.put(InfoHash.of(e.getKey().bytes()), new ScrapeStats(
          count(counts, "complete").orElse(0),
          count(counts, "downloaded").orElse(0),
          count(counts, "incomplete").orElse(0)));
    }
    return new HttpScrapeResponse(stats);
  }

  private static HttpAnnounceResponse.Peer dictionaryPeer(BValue item) {
    if (!(item instanceof BDict peer)) {
      throw invalid("a peer must be a dictionary, got " + item.kind());
    }
    String ip = string(peer.get("ip").orElseThrow(() -> invalid("a peer has no 'ip'")), "ip").text();
    int port = integer(peer, "port", 0, 65535).orElseThrow(() -> invalid("a peer has no 'port'")).intValue();
    Optional<PeerId> id = peer.get("peer id").map(v -> string(v, "peer id").bytes())
        .filter(b -> b.length == PeerId.LENGTH).map(PeerId::of);
    InetAddress address = IpLiteral.parse(ip).orElseThrow(() -> invalid("peer ip '" + ip + "' is not an IP address"));
    return new HttpAnnounceResponse.Peer(new PeerAddress(address, port), id);
  }

  private static BDict replyDict(byte[] body) {
    BValue value = BencodeDecoder.decode(body);
    if (!(value instanceof BDict d)) {
      throw invalid("a tracker reply must be a dictionary, got " + value.kind());
    }
    return d;
  }

  private static Optional<HttpFailure> failure(BDict d) {
    return d.get("failure reason").map(v -> new HttpFailure(string(v, "failure reason").text()));
  }

  private static BString string(BValue v, String key) {
    if (v instanceof BString s) {
      return s;
    }
    throw invalid("'" + key + "' must be a string, got " + v.kind());
  }

  private static Optional<Integer> count(BDict d, String key) {
    return integer(d, key, 0, Integer.MAX_VALUE).map(Long::intValue);
  }

  private static Optional<Long> integer(BDict d, String key, long min, long max) {
    Optional<BValue> v = d.get(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (!(v.get() instanceof BInteger i)) {
      throw invalid("'" + key + "' must be an integer, got " + v.get().kind());
    }
    if (i.value() < min || i.value() > max) {
      throw invalid("'" + key + "' is " + i.value() + ", outside " + min + ".." + max);
    }
    return Optional.of(i.value());
  }

  // ---- query strings

  private static List<Map.Entry<String, byte[]>> parameters(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return List.of();
    }
    if (rawQuery.length() > MAX_QUERY_LENGTH) {
      throw invalid("query longer than " + MAX_QUERY_LENGTH + " characters");
    }
    List<Map.Entry<String, byte[]>> out = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = PercentEncoding.decodeText(eq < 0 ? pair : pair.substring(0, eq));
      byte[] value = eq < 0 ? new byte[0] : PercentEncoding.decode(pair.substring(eq + 1));
      out.add(Map.entry(key, value));
    }
    return out;
  }

  private static Map<String, byte[]> single(List<Map.Entry<String, byte[]>> parameters) {
    Map<String, byte[]> map = new HashMap<>();
    for (Map.Entry<String, byte[]> e : parameters) {
      if (map.put(e.getKey(), e.getValue()) != null) {
        throw invalid("parameter '" + e.getKey() + "' is given twice");
      }
    }
    return map;
  }

  private static byte[] exactly(Map<String, byte[]> p, String key, int length) {
    byte[] value = required(p, key);
    if (value.length != length) {
      throw invalid(key + " must be " + length + " bytes, got " + value.length);
    }
    return value;
  }

  private static long number(Map<String, byte[]> p, String key, long min, long max) {
    String text = text(required(p, key));
    if (!text.matches("[0-9]{1,19}")) {
      throw invalid(key + " must be a number, got '" + text + "'");
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw invalid(key + " must be a number, got '" + text + "'");
    }
    if (value < min || value > max) {
      throw invalid(key + " is " + value + ", outside " + min + ".." + max);
    }
    return value;
  }

  private static byte[] required(Map<String, byte[]> p, String key) {
    byte[] value = p.get(key);
    if (value == null) {
      throw invalid("missing " + key);
    }
    return value;
  }

  private static String text(byte[] value) {
    return new String(value, StandardCharsets.UTF_8);
  }

  private static MalformedMessageException invalid(String message) {
    return new MalformedMessageException(message);
  }
}
