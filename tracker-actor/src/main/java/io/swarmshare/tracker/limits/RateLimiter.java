package io.swarmshare.tracker.limits;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests per second per address, as token buckets: each address may send {@code burst} requests
 * at once and {@code ratePerSecond} a second after that. What it tracks: one bucket (tokens, time
 * of the last refill) per address recently seen, at most {@code tableSize} of them; the address
 * seen least recently is forgotten first, so memory is bounded whatever the senders do. A
 * forgotten address comes back with a full bucket: someone who can cycle through more addresses
 * than the table holds already has that many budgets. A rate of 0 turns the limit off.
 *
 * <p>Time is passed in, in nanoseconds, so tests need no clock. Thread-safe (HTTP requests arrive
 * on many threads); the lock is held for one map lookup.
 */
public final class RateLimiter {

  private static final class Bucket {
    double tokens;
    long refilledAt;

    Bucket(double tokens, long refilledAt) {
      this.tokens = tokens;
      this.refilledAt = refilledAt;
    }
  }

  private final double tokensPerNano;
  private final double burst;
  private final Map<Long, Bucket> buckets;

  public RateLimiter(double ratePerSecond, int burst, int tableSize) {
    if (ratePerSecond < 0 || burst < 1 || tableSize < 1) {
      throw new IllegalArgumentException("need rate >= 0, burst >= 1 and table size >= 1, got "
          + ratePerSecond + ", " + burst + ", " + tableSize);
    }
    this.tokensPerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.buckets = new LinkedHashMap<>(Math.min(tableSize, 1024), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Bucket> eldest) {
        return size() > tableSize;
      }
    };
  }

  /** Whether a request from {@code address} at {@code nowNanos} is within its budget; takes a token if so. */
  public synchronized boolean tryAcquire(long address, long nowNanos) {
    if (tokensPerNano == 0) {
      return true;
    }
    Bucket b = buckets.get(address);
    if (b == null) {
      buckets.put(address, new Bucket(burst - 1, nowNanos));
      return true;
    }
    long elapsed = Math.max(0, nowNanos - b.refilledAt);
    b.tokens = Math.min(burst, b.tokens + elapsed * tokensPerNano);
    b.refilledAt = nowNanos;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    return false;
  }

  /** How many addresses the table holds now. */
  public synchronized int addresses() {
    return buckets.size();
  }
}
