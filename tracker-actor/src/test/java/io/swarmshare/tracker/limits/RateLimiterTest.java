package io.swarmshare.tracker.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

  static final long SECOND = 1_000_000_000L;

  @Test
  void allowsABurstThenTheRate() {
    RateLimiter limiter = new RateLimiter(2, 5, 100);
    int allowed = 0;
    for (int i = 0; i < 20; i++) {
      allowed += limiter.tryAcquire(1, 0) ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(5);
    assertThat(limiter.tryAcquire(1, SECOND / 4)).isFalse();
    assertThat(limiter.tryAcquire(1, SECOND / 2)).isTrue();
    assertThat(limiter.tryAcquire(1, SECOND / 2)).isFalse();
    // A long silence refills to the burst, no further.
    int later = 0;
    for (int i = 0; i < 20; i++) {
      later += limiter.tryAcquire(1, 100 * SECOND) ? 1 : 0;
    }
    assertThat(later).isEqualTo(5);
  }

  @Test
  void eachAddressHasItsOwnBudget() {
    RateLimiter limiter = new RateLimiter(1, 1, 100);
    assertThat(limiter.tryAcquire(1, 0)).isTrue();
    assertThat(limiter.tryAcquire(1, 0)).isFalse();
    assertThat(limiter.tryAcquire(2, 0)).isTrue();
  }

  @Test
  void holdsAtMostItsTableSizeForgettingTheLeastRecent() {
    RateLimiter limiter = new RateLimiter(1, 1, 3);
    for (long address = 0; address < 10_000; address++) {
      limiter.tryAcquire(address, 0);
    }
    assertThat(limiter.addresses()).isEqualTo(3);
    // The three most recent are still held (and spent); an old one comes back with a full bucket.
    assertThat(limiter.tryAcquire(9_999, 0)).isFalse();
    assertThat(limiter.tryAcquire(0, 0)).isTrue();
  }

  @Test
  void aRateOfZeroIsNoLimitAndHoldsNothing() {
    RateLimiter off = new RateLimiter(0, 1, 10);
    for (int i = 0; i < 1000; i++) {
      assertThat(off.tryAcquire(1, 0)).isTrue();
    }
    assertThat(off.addresses()).isZero();
  }

  @Test
  void aClockGoingBackGrantsNothing() {
    RateLimiter limiter = new RateLimiter(1, 1, 10);
    assertThat(limiter.tryAcquire(1, 10 * SECOND)).isTrue();
    assertThat(limiter.tryAcquire(1, 0)).isFalse();
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new RateLimiter(-1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimiter(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimiter(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
