package io.swarmshare.messages.tracker;

import io.swarmshare.messages.MalformedMessageException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.Objects;

/** Where a peer listens, as trackers hand it out: an IP address (v4 or v6) and a TCP port. */
public record PeerAddress(InetAddress address, int port) {

  public PeerAddress {
    Objects.requireNonNull(address, "address");
    if (port < 0 || port > 0xffff) {
      throw new MalformedMessageException("a port is 0..65535, got " + port);
    }
  }

  public StandardProtocolFamily family() {
    return address instanceof Inet4Address
        ? StandardProtocolFamily.INET
        : StandardProtocolFamily.INET6;
  }

  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(address, port);
  }

  /** {@code 1.2.3.4:6881} or {@code [2001:db8::1]:6881}, the IPv6 form shortened as in RFC 5952. */
  @Override
  public String toString() {
    return address instanceof Inet4Address
        ? address.getHostAddress() + ":" + port
        : "[" + shortIpv6(address.getAddress()) + "]:" + port;
  }

  private static String shortIpv6(byte[] bytes) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
      } else {
        if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
          out.append(':');
        }
        out.append(Integer.toHexString(groups[i]));
      }
    }
    return out.toString();
  }
}
