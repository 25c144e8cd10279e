package io.swarmshare.tracker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.tracker.TrackerStats;
import io.swarmshare.tracker.TrackerStats.ErrorKind;
import io.swarmshare.tracker.TrackerStats.Protocol;
import io.swarmshare.tracker.web.TrafficHistory.Rate;
import io.swarmshare.tracker.web.TrafficHistory.Sample;
import org.junit.jupiter.api.Test;

class TrafficHistoryTest {

  static Sample at(long millis, long udpAnnounces, long httpAnnounces, long udpScrapes, long httpScrapes, long errors) {
    return new Sample(millis, udpAnnounces, httpAnnounces, udpScrapes, httpScrapes, errors);
  }

  @Test
  void ratesAreTheDifferencesOverTheTimeBetweenReadings() {
    TrafficHistory history = new TrafficHistory(10);
    assertThat(history.rates()).isEmpty();
    history.add(at(1_000, 0, 0, 0, 0, 0));
    assertThat(history.rates()).as("one reading is no rate yet").isEmpty();
    history.add(at(6_000, 50, 10, 5, 0, 1));
    history.add(at(8_000, 50, 30, 5, 4, 1));
    assertThat(history.rates()).containsExactly(
        new Rate(6_000, 10, 2, 1, 0, 0.2),
        new Rate(8_000, 0, 10, 0, 2, 0));
  }

  @Test
  void theRingKeepsOnlyTheLastReadings() {
    TrafficHistory history = new TrafficHistory(3);
    for (int i = 0; i < 10; i++) {
      history.add(at(i * 1_000L, i * i, 0, 0, 0, 0));
    }
    assertThat(history.size()).isEqualTo(3);
    // Readings 7, 8 and 9: announces 49, 64, 81.
    assertThat(history.rates()).extracting(Rate::atMillis).containsExactly(8_000L, 9_000L);
    assertThat(history.rates()).extracting(Rate::udpAnnounces).containsExactly(15.0, 17.0);
  }

  @Test
  void aReadingNotLaterThanTheLastIsIgnoredAndCountsNeverGoNegative() {
    TrafficHistory history = new TrafficHistory(4);
    history.add(at(5_000, 10, 0, 0, 0, 0));
    history.add(at(5_000, 99, 0, 0, 0, 0));
    history.add(at(4_000, 99, 0, 0, 0, 0));
    assertThat(history.size()).isEqualTo(1);
    history.add(at(6_000, 3, 0, 0, 0, 0));
    assertThat(history.rates()).extracting(Rate::udpAnnounces).containsExactly(0.0);
  }

  @Test
  void aSampleReadsTheTrackersCounters() {
    TrackerStats stats = new TrackerStats();
    stats.announced(Protocol.UDP);
    stats.announced(Protocol.UDP);
    stats.announced(Protocol.HTTP);
    stats.scraped(Protocol.HTTP);
    stats.failed(Protocol.UDP, ErrorKind.CONNECTION_ID);
    assertThat(Sample.of(stats, 42)).isEqualTo(at(42, 2, 1, 0, 1, 1));
  }

  @Test
  void needsRoomForTwoReadings() {
    assertThatThrownBy(() -> new TrafficHistory(1)).isInstanceOf(IllegalArgumentException.class);
  }
}
