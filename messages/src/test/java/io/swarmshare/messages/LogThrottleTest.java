package io.swarmshare.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

  static final long SECOND = 1_000_000_000L;
  final AtomicLong now = new AtomicLong();
  final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1), 2, now::get);

  @Test
  void onceAWindowPerKeyAndTheNextLineCountsWhatWasHeldBack() {
    assertThat(throttle.admit("10.0.0.1")).contains("");
    for (int i = 0; i < 41; i++) {
      now.addAndGet(SECOND);
      assertThat(throttle.admit("10.0.0.1")).isEmpty();
    }
    assertThat(throttle.admit("10.0.0.2")).as("another key").contains("");
    now.set(61 * SECOND);
    assertThat(throttle.admit("10.0.0.1")).contains(" (41 more like it since the last one logged)");
    assertThat(throttle.admit("10.0.0.1")).isEmpty();
  }

  @Test
  void remembersAtMostItsKeysOldestFirst() {
    throttle.admit("a");
    throttle.admit("b");
    throttle.admit("c");
    assertThat(throttle.admit("a")).as("a was forgotten, so it passes again").contains("");
    assertThat(throttle.admit("c")).isEmpty();
  }
}
