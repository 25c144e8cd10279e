package io.swarmshare.tracker.limits;

import java.net.InetAddress;

/**
 * What the per-address limits count by, as one long: an IPv4 address, or an IPv6 address's /64
 * (one host is usually given a whole /64, so counting by full IPv6 address would give it 2^64
 * budgets). IPv4 keys are tagged with a prefix that no IPv6 unicast /64 has.
 */
public final class AddressKey {

  private static final long V4_TAG = 0xFFFF_0000_0000_0000L;

  private AddressKey() {}

  public static long of(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length == 4) {
      return v4(((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL));
    }
    long high = 0;
    for (int i = 0; i < 8; i++) {
      high = (high << 8) | (a[i] & 0xff);
    }
    return v6(high);
  }

  /** An IPv4 address given as its 32 bits. */
  public static long v4(long address) {
    return V4_TAG | address;
  }

  /** An IPv6 address given as its first 64 bits. */
  public static long v6(long prefix) {
    return prefix;
  }
}
