package io.swarmshare.peer.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrackerClientLogicTest {

  @Test
  void triesTiersInOrderAndKeepsATrackerThatAnswersInFront() {
    TrackerTiers tiers = new TrackerTiers(List.of(List.of("a1", "a2"), List.of(), List.of("b1")), new Random(1));
    List<String> tried = new ArrayList<>();
    boolean newRound = false;
    while (!newRound) {
      tried.add(tiers.current().orElseThrow());
      newRound = tiers.failed();
    }
    assertThat(tried).hasSize(3).containsExactlyInAnyOrder("a1", "a2", "b1");
    assertThat(tried.get(2)).isEqualTo("b1");
    assertThat(tiers.current()).contains(tried.get(0));

    tiers.failed();
    String second = tiers.current().orElseThrow();
    tiers.succeeded();
    assertThat(tiers.current()).contains(second);
    assertThat(tiers.all().get(0)).isEqualTo(second);

    // BEP 12: an answer from a later tier still leaves the next announce to start at the first.
    tiers.failed();
    tiers.failed();
    assertThat(tiers.current()).contains("b1");
    tiers.succeeded();
    assertThat(tiers.current()).contains(second);
    assertThat(tiers.all()).hasSize(3).startsWith(second).endsWith("b1");
  }

  @Test
  void shufflesEachTierOnce() {
    List<String> urls = List.of("1", "2", "3", "4", "5", "6", "7", "8");
    List<String> first = new ArrayList<>();
    for (int seed = 0; seed < 20; seed++) {
      first.add(new TrackerTiers(List.of(urls), new Random(seed)).current().orElseThrow());
    }
    assertThat(first.stream().distinct().count()).isGreaterThan(1);
  }

  @Test
  void handlesATorrentWithoutTrackers() {
    TrackerTiers none = new TrackerTiers(List.of(), new Random(1));
    assertThat(none.current()).isEmpty();
    assertThat(none.failed()).isTrue();
  }

  @Test
  void waitsFifteenTimesTwoToTheNUpToEightTimes() {
    RetrySchedule retry = new RetrySchedule(Duration.ofSeconds(15));
    List<Long> waits = new ArrayList<>();
    do {
      waits.add(retry.nextTimeout().toSeconds());
    } while (retry.timedOut());
    assertThat(waits).containsExactly(15L, 30L, 60L, 120L, 240L, 480L, 960L, 1920L, 3840L);
    retry.answered();
    assertThat(retry.nextTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(retry.attempts()).isZero();
    assertThat(new RetrySchedule(Duration.ofMillis(10)).nextTimeout()).isEqualTo(Duration.ofMillis(10));
    assertThatThrownBy(() -> new RetrySchedule(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void usesAConnectionIdForAMinuteAtMost() {
    ConnectionIdCache<String> cache = new ConnectionIdCache<>();
    long t0 = 1_000_000_000L;
    assertThat(cache.get("t", t0)).isEmpty();
    cache.put("t", 42, t0);
    assertThat(cache.get("t", t0 + Duration.ofSeconds(59).toNanos())).hasValue(42);
    assertThat(cache.get("t", t0 + Duration.ofSeconds(60).toNanos())).isEmpty();
    assertThat(cache.size()).isZero();
    cache.put("t", 43, t0);
    cache.forget("t");
    assertThat(cache.get("t", t0)).isEmpty();
  }
}
