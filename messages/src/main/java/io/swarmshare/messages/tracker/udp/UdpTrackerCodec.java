package io.swarmshare.messages.tracker.udp;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.CompactPeers;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.tracker.ScrapeStats;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The datagrams of the UDP tracker protocol (BEP 15), big-endian whatever a buffer's byte order.
 * The server decodes requests and encodes responses; the client does the reverse. A datagram is
 * one message: the decoders read every byte remaining in the buffer and leave its position alone.
 */
public final class UdpTrackerCodec {

  /** The magic a connect request carries where later requests carry their connection id. */
  public static final long PROTOCOL_ID = 0x41727101980L;

  /** As many info hashes as fit in a datagram of the size BEP 15 recommends. */
  public static final int MAX_SCRAPE_HASHES = 74;

  /**
   * The longest request accepted. The longest valid ones are a full scrape (1496 bytes) and an
   * announce with BEP 41 options (98 bytes and a URL of up to 255 bytes, in practice).
   */
  public static final int MAX_REQUEST_LENGTH = 2048;

  public static final int CONNECT_LENGTH = 16;
  public static final int ANNOUNCE_REQUEST_LENGTH = 98;

  private static final int CONNECT = 0;
  private static final int ANNOUNCE = 1;
  private static final int SCRAPE = 2;
  private static final int ERROR = 3;

  private static final int REQUEST_HEADER = 16;
  private static final int RESPONSE_HEADER = 8;
  private static final int ANNOUNCE_RESPONSE_HEADER = 20;
  private static final int SCRAPE_STATS_LENGTH = 12;

  private UdpTrackerCodec() {}

  /**
   * The transaction id of a request that may be malformed, so that the server can address an
   * {@link ErrorResponse} to it; empty when the datagram is too short to hold one.
   */
  public static OptionalInt transactionIdOf(ByteBuffer request) {
    return request.remaining() < REQUEST_HEADER
        ? OptionalInt.empty()
        : OptionalInt.of(request.slice().getInt(12));
  }

  /** The server side: what a client sent. */
  public static UdpTrackerRequest decodeRequest(ByteBuffer datagram) {
    ByteBuffer in = datagram.slice();
    int length = in.remaining();
    if (length > MAX_REQUEST_LENGTH) {
      throw new MalformedMessageException(
          "a request of " + length + " bytes is longer than the " + MAX_REQUEST_LENGTH
              + " allowed");
    }
    requireAtLeast("request", length, REQUEST_HEADER);
    long connectionId = in.getLong(0);
    int action = in.getInt(8);
    int transactionId = in.getInt(12);
    return switch (action) {
      case CONNECT -> {
        if (connectionId != PROTOCOL_ID) {
          throw new MalformedMessageException(
              "connect request: expected the protocol id 0x" + Long.toHexString(PROTOCOL_ID)
                  + " at offset 0, got 0x" + Long.toHexString(connectionId));
        }
        requireLength("connect request", length, CONNECT_LENGTH);
        yield new ConnectRequest(transactionId);
      }
      case ANNOUNCE -> {
        requireAtLeast("announce request", length, ANNOUNCE_REQUEST_LENGTH);
        yield decodeAnnounceRequest(in.position(REQUEST_HEADER), connectionId, transactionId);
      }
      case SCRAPE -> decodeScrapeRequest(in.position(REQUEST_HEADER), connectionId, transactionId);
      default -> throw new MalformedMessageException(
          "request: unknown action " + action + " at offset 8");
    };
  }

  /**
   * The client side: what the tracker answered. Announce responses list peers of the tracker's
   * own address family, which the bytes do not say.
   */
  public static UdpTrackerResponse decodeResponse(
      ByteBuffer datagram, StandardProtocolFamily family) {
    ByteBuffer in = datagram.slice();
    int length = in.remaining();
    requireAtLeast("response", length, RESPONSE_HEADER);
    int action = in.getInt();
    int transactionId = in.getInt();
    return switch (action) {
      case CONNECT -> {
        requireLength("connect response", length, CONNECT_LENGTH);
        yield new ConnectResponse(transactionId, in.getLong());
      }
      case ANNOUNCE -> {
        int entry = CompactPeers.entryLength(family);
        requireAtLeast("announce response", length, ANNOUNCE_RESPONSE_HEADER);
        if ((length - ANNOUNCE_RESPONSE_HEADER) % entry != 0) {
          throw new MalformedMessageException(
              "announce response: expected " + ANNOUNCE_RESPONSE_HEADER + " + " + entry
                  + "n bytes for " + family + " peers, got " + length);
        }
        yield new AnnounceResponse(
            transactionId, in.getInt(), in.getInt(), in.getInt(), CompactPeers.decode(in, family));
      }
      case SCRAPE -> {
        if ((length - RESPONSE_HEADER) % SCRAPE_STATS_LENGTH != 0) {
          throw new MalformedMessageException(
              "scrape response: expected " + RESPONSE_HEADER + " + " + SCRAPE_STATS_LENGTH
                  + "n bytes, got " + length);
        }
        List<ScrapeStats> stats = new ArrayList<>();
        while (in.hasRemaining()) {
          stats.add(new ScrapeStats(in.getInt(), in.getInt(), in.getInt()));
        }
        yield new ScrapeResponse(transactionId, stats);
      }
      case ERROR -> new ErrorResponse(transactionId, StandardCharsets.UTF_8.decode(in).toString());
      default -> throw new MalformedMessageException(
          "response: unknown action " + action + " at offset 0");
    };
  }

  public static ByteBuffer encode(UdpTrackerRequest request) {
    if (request instanceof ConnectRequest connect) {
      return ByteBuffer.allocate(CONNECT_LENGTH)
          .putLong(PROTOCOL_ID).putInt(CONNECT).putInt(connect.transactionId()).flip();
    } else if (request instanceof AnnounceRequest announce) {
      return ByteBuffer.allocate(ANNOUNCE_REQUEST_LENGTH)
          .putLong(announce.connectionId())
          .putInt(ANNOUNCE)
          .putInt(announce.transactionId())
          .put(announce.infoHash().bytes())
          .put(announce.peerId().bytes())
          .putLong(announce.downloaded())
          .putLong(announce.left())
          .putLong(announce.uploaded())
          .putInt(announce.event().udpCode())
          .put(announce.ip().map(InetAddress::getAddress).orElse(new byte[4]))
          .putInt(announce.key())
          .putInt(announce.numWant())
          .putShort((short) announce.port())
          .flip();
    } else if (request instanceof ScrapeRequest scrape) {
      ByteBuffer out = ByteBuffer
          .allocate(REQUEST_HEADER + InfoHash.LENGTH * scrape.infoHashes().size())
          .putLong(scrape.connectionId())
          .putInt(SCRAPE)
          .putInt(scrape.transactionId());
      scrape.infoHashes().forEach(hash -> out.put(hash.bytes()));
      return out.flip();
    }
    throw new IllegalArgumentException("not a UDP tracker request: " + request);
  }

  public static ByteBuffer encode(UdpTrackerResponse response) {
    if (response instanceof ConnectResponse connect) {
      return header(CONNECT_LENGTH, CONNECT, connect.transactionId())
          .putLong(connect.connectionId()).flip();
    } else if (response instanceof AnnounceResponse announce) {
      List<PeerAddress> peers = announce.peers();
      byte[] compact = CompactPeers.encode(
          peers, peers.isEmpty() ? StandardProtocolFamily.INET : peers.get(0).family());
      return encodeAnnounceResponse(
          announce.transactionId(), announce.interval(), announce.leechers(), announce.seeders(), compact);
    } else if (response instanceof ScrapeResponse scrape) {
      int length = RESPONSE_HEADER + SCRAPE_STATS_LENGTH * scrape.stats().size();
      ByteBuffer out = header(length, SCRAPE, scrape.transactionId());
      for (ScrapeStats stats : scrape.stats()) {
        out.putInt(stats.seeders()).putInt(stats.completed()).putInt(stats.leechers());
      }
      return out.flip();
    } else if (response instanceof ErrorResponse error) {
      byte[] message = error.message().getBytes(StandardCharsets.UTF_8);
      return header(RESPONSE_HEADER + message.length, ERROR, error.transactionId())
          .put(message)
          .flip();
    }
    throw new IllegalArgumentException("not a UDP tracker response: " + response);
  }

  /**
   * An announce response from peers already in compact form (6 or 18 bytes each, one family), as
   * a tracker keeps them: no object per peer on the way out.
   */
  public static ByteBuffer encodeAnnounceResponse(
      int transactionId, int interval, int leechers, int seeders, byte[] compactPeers) {
    return header(ANNOUNCE_RESPONSE_HEADER + compactPeers.length, ANNOUNCE, transactionId)
        .putInt(interval)
        .putInt(leechers)
        .putInt(seeders)
        .put(compactPeers)
        .flip();
  }

  /** Reads from offset 16; trailing bytes are BEP 41 options, which we do not use. */
  private static AnnounceRequest decodeAnnounceRequest(
      ByteBuffer in, long connectionId, int transactionId) {
    byte[] infoHash = new byte[InfoHash.LENGTH];
    byte[] peerId = new byte[PeerId.LENGTH];
    in.get(infoHash).get(peerId);
    long downloaded = in.getLong();
    long left = in.getLong();
    long uploaded = in.getLong();
    AnnounceEvent event = AnnounceEvent.fromUdpCode(in.getInt());
    byte[] ip = new byte[4];
    in.get(ip);
    return new AnnounceRequest(
        connectionId, transactionId, InfoHash.of(infoHash), PeerId.of(peerId),
        downloaded, left, uploaded, event, ipv4(ip), in.getInt(), in.getInt(),
        in.getShort() & 0xffff);
  }

  private static ScrapeRequest decodeScrapeRequest(
      ByteBuffer in, long connectionId, int transactionId) {
    int hashBytes = in.remaining();
    if (hashBytes % InfoHash.LENGTH != 0) {
      throw new MalformedMessageException(
          "scrape request: expected " + REQUEST_HEADER + " + " + InfoHash.LENGTH
              + "n bytes, got " + (REQUEST_HEADER + hashBytes));
    }
    List<InfoHash> hashes = new ArrayList<>(hashBytes / InfoHash.LENGTH);
    byte[] hash = new byte[InfoHash.LENGTH];
    while (in.hasRemaining()) {
      in.get(hash);
      hashes.add(InfoHash.of(hash));
    }
    return new ScrapeRequest(connectionId, transactionId, hashes);
  }

  private static Optional<Inet4Address> ipv4(byte[] bytes) {
    try {
      return Optional.of((Inet4Address) InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 bytes are always an IPv4 address", e);
    }
  }

  private static ByteBuffer header(int length, int action, int transactionId) {
    return ByteBuffer.allocate(length).putInt(action).putInt(transactionId);
  }

  private static void requireLength(String what, int length, int expected) {
    if (length != expected) {
      throw new MalformedMessageException(
          what + ": expected " + expected + " bytes, got " + length);
    }
  }

  private static void requireAtLeast(String what, int length, int minimum) {
    if (length < minimum) {
      throw new MalformedMessageException(
          what + ": expected at least " + minimum + " bytes, got " + length);
    }
  }
}
