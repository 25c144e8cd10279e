package io.swarmshare.peer.udp;

import java.nio.ByteBuffer;

/**
 * What a datagram arriving at the node's one UDP socket is, told by its first bytes, as libtorrent
 * tells its UDP traffic apart: a UDP tracker's answer (BEP 15: a 4-byte action 0..3 and a
 * transaction id), a DHT message (BEP 5: a bencoded dictionary, so it starts with {@code d}), or a
 * uTP packet (BEP 29: the type in the high nibble of the first byte, 0..4, and version 1 in the
 * low one). Only the first has a reader in this node yet; the others are counted and dropped.
 */
public enum DatagramKind {
  TRACKER,
  DHT,
  UTP,
  UNKNOWN;

  private static final int TRACKER_ACTIONS = 4;
  private static final int SHORTEST_TRACKER_ANSWER = 8;
  private static final int UTP_HEADER = 20;

  public static DatagramKind of(ByteBuffer datagram) {
    int length = datagram.remaining();
    if (length == 0) {
      return UNKNOWN;
    }
    int first = datagram.get(datagram.position()) & 0xff;
    if (first == 'd') {
      return DHT;
    }
    if (length >= SHORTEST_TRACKER_ANSWER && datagram.getInt(datagram.position()) >= 0
        && datagram.getInt(datagram.position()) < TRACKER_ACTIONS) {
      return TRACKER;
    }
    if (length >= UTP_HEADER && (first & 0x0f) == 1 && (first >> 4) <= 4) {
      return UTP;
    }
    return UNKNOWN;
  }
}
