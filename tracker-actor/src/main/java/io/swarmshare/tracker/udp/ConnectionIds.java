package io.swarmshare.tracker.udp;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * BEP 15 connection ids, checked without remembering any client: an id is a keyed hash of the
 * client's IP address and the current minute. Not of its port: an address is what spoofing
 * forges, and libtorrent shares one id between every session of a process. A client may use an id for a minute after it
 * gets it; we accept it for the minute it was issued in and the two after, so at least the two
 * minutes BEP 15 asks for. The key is random per process, so a restart simply makes clients
 * connect again. Someone who cannot receive at an address cannot learn an id for it.
 */
final class ConnectionIds {

  private static final long SLOT_MILLIS = 60_000;

  private final SipHash hash;
  private final Clock clock;

  ConnectionIds(Clock clock) {
    SecureRandom random = new SecureRandom();
    this.hash = new SipHash(random.nextLong(), random.nextLong());
    this.clock = clock;
  }

  long issue(InetSocketAddress client) {
    return idFor(client, slot());
  }

  boolean isValid(long id, InetSocketAddress client) {
    long slot = slot();
    return id == idFor(client, slot) || id == idFor(client, slot - 1) || id == idFor(client, slot - 2);
  }

  private long slot() {
    return clock.millis() / SLOT_MILLIS;
  }

  private long idFor(InetSocketAddress client, long slot) {
    byte[] address = client.getAddress().getAddress();
    byte[] input = new byte[address.length + 8];
    System.arraycopy(address, 0, input, 0, address.length);
    int n = address.length;
    for (int shift = 56; shift >= 0; shift -= 8) {
      input[n++] = (byte) (slot >>> shift);
    }
    return hash.hash(input, input.length);
  }
}
