package io.swarmshare.daemon.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettlingTest {

  static final Duration SETTLE = Duration.ofSeconds(2);
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final Settling settling = new Settling(SETTLE);

  static Settling.Seen seen(String name, long size, long modifiedMillis) {
    return new Settling.Seen(name, size, FileTime.fromMillis(modifiedMillis));
  }

  static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  @Test
  void aFileIsDueOnlyOnceTwoLooksASettleApartFoundItUnchanged() {
    Settling.Seen file = seen("a.torrent", 100, 5);
    assertThat(settling.look(at(0), List.of(file))).isEmpty();
    assertThat(settling.look(at(1999), List.of(file))).as("too soon after the first look").isEmpty();
    assertThat(settling.look(at(2000), List.of(file))).containsExactly("a.torrent");
  }

  @Test
  void twoLooksInABurstDoNotSettleAFileBeingWritten() {
    // A notice for each write of a slow copy: both looks see the first half, microseconds apart.
    Settling.Seen half = seen("slow.torrent", 500, 10);
    assertThat(settling.look(at(0), List.of(half))).isEmpty();
    assertThat(settling.look(at(0), List.of(half))).isEmpty();
    Settling.Seen whole = seen("slow.torrent", 1000, 11);
    assertThat(settling.look(at(1000), List.of(whole))).as("it grew: it settles afresh").isEmpty();
    assertThat(settling.look(at(2500), List.of(whole))).isEmpty();
    assertThat(settling.look(at(3000), List.of(whole))).containsExactly("slow.torrent");
  }

  @Test
  void aChangeOfTimeAloneMeansTheFileIsStillChanging() {
    assertThat(settling.look(at(0), List.of(seen("a.torrent", 100, 5)))).isEmpty();
    assertThat(settling.look(at(2000), List.of(seen("a.torrent", 100, 6)))).isEmpty();
    assertThat(settling.look(at(4000), List.of(seen("a.torrent", 100, 6)))).containsExactly("a.torrent");
  }

  @Test
  void aDueFileIsHandedOutOnceUntilItIsTaken() {
    Settling.Seen file = seen("a.torrent", 100, 5);
    settling.look(at(0), List.of(file));
    assertThat(settling.look(at(2000), List.of(file))).containsExactly("a.torrent");
    assertThat(settling.look(at(4000), List.of(file))).as("still being taken").isEmpty();
    settling.taken("a.torrent", Optional.empty());
    assertThat(settling.look(at(5000), List.of(file))).as("not renamed, to be tried again: it settles afresh")
        .isEmpty();
    assertThat(settling.look(at(7000), List.of(file))).containsExactly("a.torrent");
  }

  @Test
  void aFileThatCouldNotBeRenamedIsLeftAloneUntilItChanges() {
    Settling.Seen file = seen("stuck.torrent", 100, 5);
    settling.look(at(0), List.of(file));
    settling.look(at(2000), List.of(file));
    settling.taken("stuck.torrent", Optional.of(file));
    assertThat(settling.look(at(4000), List.of(file))).isEmpty();
    assertThat(settling.look(at(60_000), List.of(file))).isEmpty();
    assertThat(settling.nextDue()).isEmpty();
    Settling.Seen changed = seen("stuck.torrent", 120, 70);
    assertThat(settling.look(at(61_000), List.of(changed))).isEmpty();
    assertThat(settling.look(at(63_000), List.of(changed))).containsExactly("stuck.torrent");
  }

  @Test
  void aFileThatGoesAwayIsForgotten() {
    Settling.Seen file = seen("a.torrent", 100, 5);
    settling.look(at(0), List.of(file));
    settling.look(at(1000), List.of());
    assertThat(settling.settlingSizes()).isEmpty();
    assertThat(settling.look(at(2000), List.of(file))).as("back again: it settles afresh").isEmpty();
    assertThat(settling.look(at(4000), List.of(file))).containsExactly("a.torrent");
  }

  @Test
  void nextDueIsWhenTheEarliestSettlingFileCouldBeTaken() {
    assertThat(settling.nextDue()).isEmpty();
    settling.look(at(0), List.of(seen("a.torrent", 1, 1)));
    settling.look(at(500), List.of(seen("a.torrent", 1, 1), seen("b.torrent", 1, 1)));
    assertThat(settling.nextDue()).contains(at(2000));
    assertThat(settling.settlingSizes()).containsOnlyKeys("a.torrent", "b.torrent");
    assertThat(settling.look(at(2000), List.of(seen("a.torrent", 1, 1), seen("b.torrent", 1, 1))))
        .containsExactly("a.torrent");
    assertThat(settling.nextDue()).contains(at(2500));
  }

  @Test
  void dueFilesComeInNameOrder() {
    List<Settling.Seen> files = List.of(seen("c.torrent", 1, 1), seen("a.torrent", 1, 1), seen("b.torrent", 1, 1));
    settling.look(at(0), files);
    assertThat(settling.look(at(2000), files)).containsExactly("a.torrent", "b.torrent", "c.torrent");
  }

  @Test
  void onlyTorrentFilesAreWanted() {
    assertThat(Settling.wanted("x.torrent")).isTrue();
    assertThat(Settling.wanted("x.torrent.added")).isFalse();
    assertThat(Settling.wanted("x.torrent.invalid")).isFalse();
    assertThat(Settling.wanted("x.torrent.part")).isFalse();
    assertThat(Settling.wanted("notes.txt")).isFalse();
  }
}
