package io.swarmshare.peer.bandwidth;

import java.util.function.LongSupplier;

/**
 * A limit of bytes per second, shared by every connection it covers (the generic cell rate
 * algorithm: one timestamp, no refill thread). A caller reserves the bytes it is about to move
 * and waits as long as it is told before moving them; bursts of up to a tenth of a second's worth
 * pass at once. A limit of zero is no limit. A torrent's limit lies {@link #within} the node's:
 * its bytes count against both, and wait for the slower, unless it is told not to follow the
 * node's. Thread-safe.
 */
public final class RateLimit {

  private static final long SECOND = 1_000_000_000L;
  private static final long BURST = SECOND / 10;

  private volatile long bytesPerSecond;
  private final LongSupplier nanoClock;
  private final RateLimit outer;
  private volatile boolean followsOuter = true;
  /** When the bytes reserved so far will have been moved at the limit's pace. */
  private long theoreticalArrival;

  public RateLimit(long bytesPerSecond) {
    this(bytesPerSecond, System::nanoTime, null);
  }

  RateLimit(long bytesPerSecond, LongSupplier nanoClock) {
    this(bytesPerSecond, nanoClock, null);
  }

  private RateLimit(long bytesPerSecond, LongSupplier nanoClock, RateLimit outer) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("a rate limit cannot be negative: " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.nanoClock = nanoClock;
    this.outer = outer;
    this.theoreticalArrival = nanoClock.getAsLong();
  }

  public static RateLimit unlimited() {
    return new RateLimit(0);
  }

  /** A limit of its own, none at first, whose bytes also count against this one's. */
  public RateLimit within() {
    return new RateLimit(0, nanoClock, this);
  }

  /** Whether bytes under this limit also keep to the one it lies within (Transmission's honorsSessionLimits). */
  public void followOuter(boolean follows) {
    followsOuter = follows;
  }

  /** Changes the limit from now on; 0 is no limit. */
  public synchronized void setRate(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("a rate limit cannot be negative: " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    theoreticalArrival = Math.min(theoreticalArrival, nanoClock.getAsLong());
  }

  public long rate() {
    return bytesPerSecond;
  }

  public boolean isUnlimited() {
    return bytesPerSecond == 0;
  }

  /** Reserves {@code bytes}; returns how many nanoseconds to wait before moving them. */
  public long reserve(int bytes) {
    long own = reserveOwn(bytes);
    return outer != null && followsOuter ? Math.max(own, outer.reserve(bytes)) : own;
  }

  private long reserveOwn(int bytes) {
    long rate = bytesPerSecond;
    if (rate == 0) {
      return 0;
    }
    long cost = (long) ((double) bytes * SECOND / rate);
    synchronized (this) {
      long now = nanoClock.getAsLong();
      long start = Math.max(theoreticalArrival, now);
      theoreticalArrival = start + cost;
      return Math.max(0, start - now - BURST);
    }
  }
}
