package io.swarmshare.tracker.limits;

import java.util.HashMap;
import java.util.Map;

/**
 * Connections open at once per address, at most {@code maxPerAddress} each (0: no limit). What it
 * tracks: a count per address with at least one connection open, dropped when its last one
 * closes, so it never holds more entries than there are open connections. Thread-safe.
 */
public final class ConnectionCounts {

  private final int maxPerAddress;
  private final Map<Long, Integer> open = new HashMap<>();

  public ConnectionCounts(int maxPerAddress) {
    if (maxPerAddress < 0) {
      throw new IllegalArgumentException("connections per address must not be negative, got " + maxPerAddress);
    }
    this.maxPerAddress = maxPerAddress;
  }

  /** Counts a new connection from {@code address}, or returns false (counting nothing) if it has its most. */
  public synchronized boolean tryOpen(long address) {
    int n = open.getOrDefault(address, 0);
    if (maxPerAddress > 0 && n >= maxPerAddress) {
      return false;
    }
    open.put(address, n + 1);
    return true;
  }

  /** A connection that {@link #tryOpen} counted has closed. */
  public synchronized void close(long address) {
    open.computeIfPresent(address, (k, n) -> n == 1 ? null : n - 1);
  }

  public synchronized int open(long address) {
    return open.getOrDefault(address, 0);
  }

  /** How many addresses have a connection open. */
  public synchronized int addresses() {
    return open.size();
  }
}
