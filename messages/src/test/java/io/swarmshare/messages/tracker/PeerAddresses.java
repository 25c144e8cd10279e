package io.swarmshare.messages.tracker;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of peer addresses for the properties of tracker messages. */
public final class PeerAddresses {

  private PeerAddresses() {}

  public static Arbitrary<PeerAddress> ipv4() {
    return Combinators.combine(address(4), ports()).as(PeerAddress::new);
  }

  /** Includes IPv4-mapped addresses, which must stay IPv6 in an IPv6 list. */
  public static Arbitrary<PeerAddress> ipv6() {
    return Combinators.combine(address(16), ports()).as(PeerAddress::new);
  }

  private static Arbitrary<Integer> ports() {
    return Arbitraries.integers().between(0, 0xffff);
  }

  private static Arbitrary<InetAddress> address(int length) {
    return Arbitraries.bytes().array(byte[].class).ofSize(length).map(bytes -> {
      try {
        return length == 4
            ? InetAddress.getByAddress(bytes)
            : Inet6Address.getByAddress(null, bytes, -1);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
