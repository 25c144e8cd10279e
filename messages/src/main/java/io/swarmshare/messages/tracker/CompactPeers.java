package io.swarmshare.messages.tracker;

import io.swarmshare.messages.MalformedMessageException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The compact peer lists trackers answer with: 6 bytes a peer for IPv4 (BEP 23: address, then
 * port, big-endian) and 18 for IPv6 (BEP 7). The bytes do not say their family, so the caller
 * does: the key they came under over HTTP, the address family of the tracker over UDP.
 */
public final class CompactPeers {

  public static final int IPV4_ENTRY_LENGTH = 6;
  public static final int IPV6_ENTRY_LENGTH = 18;

  private CompactPeers() {}

  public static int entryLength(StandardProtocolFamily family) {
    return switch (family) {
      case INET -> IPV4_ENTRY_LENGTH;
      case INET6 -> IPV6_ENTRY_LENGTH;
      default -> throw new IllegalArgumentException("peers are IPv4 or IPv6, not " + family);
    };
  }

  /** Refuses a peer of another family: an IPv4 list cannot hold IPv6 peers, nor the reverse. */
  public static byte[] encode(List<PeerAddress> peers, StandardProtocolFamily family) {
    ByteBuffer out = ByteBuffer.allocate(peers.size() * entryLength(family));
    for (PeerAddress peer : peers) {
      if (peer.family() != family) {
        throw new IllegalArgumentException(
            "a compact " + family + " peer list cannot hold " + peer);
      }
      out.put(peer.address().getAddress()).putShort((short) peer.port());
    }
    return out.array();
  }

  /** Reads all the bytes remaining in {@code in}, leaving its position alone. */
  public static List<PeerAddress> decode(ByteBuffer in, StandardProtocolFamily family) {
    int entryLength = entryLength(family);
    ByteBuffer peers = in.slice();
    if (peers.remaining() % entryLength != 0) {
      throw new MalformedMessageException(
          "compact " + family + " peers take " + entryLength + " bytes each, got "
              + peers.remaining() + " bytes");
    }
    List<PeerAddress> out = new ArrayList<>(peers.remaining() / entryLength);
    while (peers.hasRemaining()) {
      byte[] address = new byte[entryLength - 2];
      peers.get(address);
      out.add(new PeerAddress(address(address), peers.getShort() & 0xffff));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Keeps an IPv4-mapped IPv6 address as IPv6, where {@link InetAddress#getByAddress(byte[])}
   * would turn it into IPv4 and so change the list's family.
   */
  private static InetAddress address(byte[] bytes) {
    try {
      return bytes.length == 4
          ? InetAddress.getByAddress(bytes)
          : Inet6Address.getByAddress(null, bytes, -1);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 and 16 bytes are always an address", e);
    }
  }
}
