package io.swarmshare.peer.bandwidth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {

  static final long SECOND = 1_000_000_000L;
  final AtomicLong now = new AtomicLong(5 * SECOND);

  @Test
  void zeroIsNoLimit() {
    RateLimit unlimited = new RateLimit(0, now::get);
    for (int i = 0; i < 1000; i++) {
      assertThat(unlimited.reserve(1 << 20)).isZero();
    }
    assertThat(unlimited.isUnlimited()).isTrue();
  }

  @Test
  void aBurstOfATenthOfASecondPassesThenCallersWaitAtTheRate() {
    RateLimit limit = new RateLimit(1_000_000, now::get);
    long waited = 0;
    int passedAtOnce = 0;
    for (int i = 0; i < 100; i++) {
      long wait = limit.reserve(10_000);
      if (wait == 0 && waited == 0) {
        passedAtOnce++;
      }
      waited = Math.max(waited, wait);
    }
    // 100 KB (a tenth of a second at 1 MB/s) plus the first block pass at once.
    assertThat(passedAtOnce).isEqualTo(11);
    // 1 MB at 1 MB/s: the last block may go after 0.99 s, less the tenth of a second of burst.
    assertThat(waited).isEqualTo(SECOND * 89 / 100);
  }

  @Test
  void keepsTheRateOverTimeWhateverTheBlockSizes() {
    RateLimit limit = new RateLimit(2_000_000, now::get);
    long bytes = 0;
    long start = now.get();
    for (int i = 0; i < 2000; i++) {
      int size = 1000 + (i * 7919) % 30_000;
      now.addAndGet(limit.reserve(size));
      bytes += size;
    }
    double seconds = (now.get() - start) / 1e9;
    assertThat(bytes / seconds).isBetween(1_990_000.0, 2_210_000.0);
  }

  @Test
  void anIdleLimitDoesNotSaveUpMoreThanTheBurst() {
    RateLimit limit = new RateLimit(1_000_000, now::get);
    now.addAndGet(60 * SECOND);
    int atOnce = 0;
    while (limit.reserve(10_000) == 0) {
      atOnce++;
    }
    assertThat(atOnce).isEqualTo(11);
  }

  @Test
  void refusesANegativeRate() {
    assertThatThrownBy(() -> new RateLimit(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNewRateTakesEffectForTheNextReservation() {
    RateLimit limit = new RateLimit(0, now::get);
    assertThat(limit.reserve(1 << 20)).isZero();
    limit.setRate(1_000_000);
    limit.reserve(100_000);
    assertThat(limit.reserve(1_000_000)).as("within the tenth of a second of burst").isZero();
    assertThat(limit.reserve(10_000)).as("1.1 MB reserved at 1 MB/s, less the burst").isEqualTo(SECOND);
    limit.setRate(0);
    assertThat(limit.reserve(1 << 20)).isZero();
    assertThat(limit.rate()).isZero();
  }

  @Test
  void aTorrentsLimitWithinTheNodesKeepsToTheSlowerOfTheTwoUnlessToldNotToFollowTheNodes() {
    RateLimit node = new RateLimit(1_000_000, now::get);
    RateLimit torrent = node.within();
    assertThat(drain(torrent, 100)).as("the node's 1 MB/s alone").isEqualTo(SECOND * 89 / 100);

    now.addAndGet(60 * SECOND);
    torrent.setRate(500_000);
    assertThat(drain(torrent, 100)).as("its own 0.5 MB/s is the slower").isEqualTo(SECOND * 188 / 100);

    now.addAndGet(60 * SECOND);
    torrent.setRate(2_000_000);
    torrent.followOuter(false);
    assertThat(drain(torrent, 100)).as("its own 2 MB/s, the node's left out").isEqualTo(SECOND * 395 / 1000);
    assertThat(node.reserve(10_000)).as("bytes that did not follow the node's limit were not counted there")
        .isZero();
  }

  /** Reserves {@code count} blocks of 10 kB at once; the longest wait. */
  private static long drain(RateLimit limit, int count) {
    long waited = 0;
    for (int i = 0; i < count; i++) {
      waited = Math.max(waited, limit.reserve(10_000));
    }
    return waited;
  }
}
