package io.swarmshare.peer.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.peer.bandwidth.TorrentLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecentChangesTest {

  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  @Test
  void removedIdsAreToldForAMinuteInOrderThenForgotten() {
    RecentChanges recent = new RecentChanges();
    recent.removed(7, T0);
    recent.removed(3, T0.plusSeconds(30));
    assertThat(recent.removedSince(T0.plusSeconds(59))).containsExactly(3, 7);
    assertThat(recent.removedSince(T0.plusSeconds(61))).containsExactly(3);
    assertThat(recent.removedSince(T0.plusSeconds(91))).isEmpty();
  }

  @Test
  void atMostAThousandRemovalsAreKeptTheOldestDroppedFirst() {
    RecentChanges recent = new RecentChanges();
    for (int id = 1; id <= RecentChanges.MAX_REMOVED + 5; id++) {
      recent.removed(id, T0);
    }
    List<Integer> removed = recent.removedSince(T0);
    assertThat(removed).hasSize(RecentChanges.MAX_REMOVED);
    assertThat(removed.get(0)).isEqualTo(6);
  }

  @Test
  void aTorrentIsRecentlyActiveForAMinuteAfterItsLastChange() {
    assertThat(RecentChanges.recent(T0, T0.plusSeconds(59))).isTrue();
    assertThat(RecentChanges.recent(T0, T0.plusSeconds(60))).isFalse();
    assertThat(RecentChanges.recent(null, T0)).as("not changed since it was taken up").isFalse();
  }

  @Test
  void theClocksOfARunningTorrentAreNoChangeButItsStateRatesAndSettingsAre(@TempDir Path dir) throws Exception {
    Metainfo m = TorrentCreator.of(Files.write(dir.resolve("a.bin"), new byte[40_000])).create();
    TorrentSnapshot before = snapshot(m, TorrentState.SEEDING, 0, 10, List.of());
    assertThat(RecentChanges.shows(before, snapshot(m, TorrentState.SEEDING, 0, 11, List.of()))).isFalse();
    assertThat(RecentChanges.shows(before, snapshot(m, TorrentState.STOPPED, 0, 10, List.of()))).isTrue();
    assertThat(RecentChanges.shows(before, snapshot(m, TorrentState.SEEDING, 500, 10, List.of()))).isTrue();
    assertThat(RecentChanges.shows(before, snapshot(m, TorrentState.SEEDING, 0, 10, List.of("tv")))).isTrue();
  }

  static TorrentSnapshot snapshot(Metainfo m, TorrentState state, long uploadRate, long secondsSeeding,
      List<String> labels) {
    int pieces = m.info().pieceCount();
    SeedingGoals.Goals goals = SeedingGoals.Goals.following(
        new SeedingGoals.Node(false, 2.0, false, Duration.ofMinutes(30)));
    return new TorrentSnapshot(1, m.infoHash(), m.info().name(), Optional.of(m), m.trackerTiers(), Path.of("/d"), state, pieces, new Bitfield(pieces), new Bitfield(pieces),
        m.info().totalLength(), 0,
        0, 0, uploadRate, 0, 0, 0, 0, 0, T0, Optional.empty(), Optional.empty(), 0, secondsSeeding, null, List.of(),
        goals, TorrentLimits.NONE, labels, 0);
  }
}
