package io.swarmshare.peer.tracker;

import java.time.Duration;

/**
 * BEP 15's patience with a silent tracker: wait {@code base * 2^n} after the n-th unanswered
 * request (15 s, 30 s, ... by default), n at most 8, then give up on that tracker for this round.
 * An answer starts the count again.
 */
public final class RetrySchedule {

  public static final int MAX_EXPONENT = 8;

  private final Duration base;
  private int attempts;

  public RetrySchedule(Duration base) {
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("the retry base must be positive, got " + base);
    }
    this.base = base;
  }

  /** How long to wait for the answer to the request about to be sent. */
  public Duration nextTimeout() {
    return base.multipliedBy(1L << Math.min(attempts, MAX_EXPONENT));
  }

  /** A request went unanswered; returns false once the tracker has had all its chances. */
  public boolean timedOut() {
    attempts++;
    return attempts <= MAX_EXPONENT;
  }

  public void answered() {
    attempts = 0;
  }

  public int attempts() {
    return attempts;
  }
}
