package io.swarmshare.launcher.bench;

import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.udp.UdpTrackerCodec;
import java.nio.ByteBuffer;

/**
 * BEP 15 as the load generator speaks it: requests written straight into one reusable buffer, and
 * responses checked where they lie, so that the generator allocates nothing per request. The bytes
 * are those of {@link UdpTrackerCodec}, which the tests hold them to; the checks are stricter than
 * its decoder, since they also know what was asked.
 */
final class AnnounceDatagrams {

  static final int CONNECT_LENGTH = UdpTrackerCodec.CONNECT_LENGTH;
  static final int ANNOUNCE_LENGTH = UdpTrackerCodec.ANNOUNCE_REQUEST_LENGTH;
  static final int RESPONSE_HEADER = 8;
  static final int ANNOUNCE_RESPONSE_HEADER = 20;
  static final int IPV4_PEER = 6;

  private static final int CONNECT = 0;
  private static final int ANNOUNCE = 1;
  private static final int ERROR = 3;

  /** What a response was found to be; everything but {@link #OK} counts as an error. */
  enum Verdict {
    OK,
    /** The tracker refused the request (action 3). */
    ERROR_RESPONSE,
    WRONG_ACTION,
    WRONG_TRANSACTION,
    BAD_LENGTH,
    NEGATIVE_COUNT,
    TOO_MANY_PEERS
  }

  private AnnounceDatagrams() {}

  /** Fills {@code out} with a connect request, ready to send. */
  static void connect(ByteBuffer out, int transactionId) {
    out.clear();
    out.putLong(UdpTrackerCodec.PROTOCOL_ID).putInt(CONNECT).putInt(transactionId).flip();
  }

  /** Fills {@code out} with peer {@code peer}'s announce, ready to send. */
  static void announce(
      ByteBuffer out, long connectionId, int transactionId, BenchSwarm swarm, int peer,
      AnnounceEvent event, int numWant) {
    out.clear();
    out.putLong(connectionId).putInt(ANNOUNCE).putInt(transactionId);
    swarm.putInfoHash(swarm.torrentOf(peer), out);
    swarm.putPeerId(peer, out);
    out.putLong(0)                       // downloaded
        .putLong(swarm.leftOf(peer))
        .putLong(0)                      // uploaded
        .putInt(event.udpCode())
        .putInt(0)                       // ip: the one the datagram comes from
        .putInt(swarm.keyOf(peer))
        .putInt(numWant)
        .putShort((short) swarm.portOf(peer))
        .flip();
  }

  /** Checks the datagram between {@code in}'s position and limit against the connect it answers. */
  static Verdict checkConnect(ByteBuffer in, int transactionId) {
    int length = in.remaining();
    Verdict header = checkHeader(in, transactionId, CONNECT);
    if (header != Verdict.OK) {
      return header;
    }
    return length == CONNECT_LENGTH ? Verdict.OK : Verdict.BAD_LENGTH;
  }

  /** The connection id of a connect response that {@link #checkConnect} passed. */
  static long connectionId(ByteBuffer in) {
    return in.getLong(in.position() + RESPONSE_HEADER);
  }

  /**
   * Checks the datagram between {@code in}'s position and limit against the announce it answers:
   * its action and transaction id, a length of 20 + 6n bytes (IPv4 peers), counts that are not
   * negative, and no more peers than were asked for ({@code numWant}, when not negative) or than
   * the swarm holds.
   */
  static Verdict checkAnnounce(ByteBuffer in, int transactionId, int numWant) {
    int start = in.position();
    int length = in.remaining();
    Verdict header = checkHeader(in, transactionId, ANNOUNCE);
    if (header != Verdict.OK) {
      return header;
    }
    if (length < ANNOUNCE_RESPONSE_HEADER
        || (length - ANNOUNCE_RESPONSE_HEADER) % IPV4_PEER != 0) {
      return Verdict.BAD_LENGTH;
    }
    int interval = in.getInt(start + 8);
    int leechers = in.getInt(start + 12);
    int seeders = in.getInt(start + 16);
    if (interval < 0 || leechers < 0 || seeders < 0) {
      return Verdict.NEGATIVE_COUNT;
    }
    int peers = (length - ANNOUNCE_RESPONSE_HEADER) / IPV4_PEER;
    if ((numWant >= 0 && peers > numWant) || peers > (long) leechers + seeders) {
      return Verdict.TOO_MANY_PEERS;
    }
    return Verdict.OK;
  }

  private static Verdict checkHeader(ByteBuffer in, int transactionId, int expectedAction) {
    int start = in.position();
    if (in.remaining() < RESPONSE_HEADER) {
      return Verdict.BAD_LENGTH;
    }
    if (in.getInt(start + 4) != transactionId) {
      return Verdict.WRONG_TRANSACTION;
    }
    int action = in.getInt(start);
    if (action == ERROR) {
      return Verdict.ERROR_RESPONSE;
    }
    return action == expectedAction ? Verdict.OK : Verdict.WRONG_ACTION;
  }
}
