package io.swarmshare.peer.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.peer.session.TorrentQueue.Limits;
import io.swarmshare.peer.session.TorrentQueue.Slot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TorrentQueueTest {

  static TorrentQueue<String> queue(Limits limits, String... torrents) {
    TorrentQueue<String> q = new TorrentQueue<>(limits);
    for (String t : torrents) {
      q.add(t);
    }
    return q;
  }

  static Limits limits(boolean downloadsQueued, int downloads, boolean seedsQueued, int seeds) {
    return new Limits(downloadsQueued, downloads, seedsQueued, seeds, true, Duration.ofMinutes(30));
  }

  @Test
  void aStalledTorrentRunsOnButFreesItsPlaceForTheNext() {
    TorrentQueue<String> q = queue(limits(true, 1, true, 1), "a", "b", "c", "d");
    Map<String, Slot> slots = Map.of("a", Slot.STALLED, "b", Slot.WAITING_TO_DOWNLOAD, "c", Slot.STALLED,
        "d", Slot.WAITING_TO_SEED);
    assertThat(q.plan(slots::get).start()).containsExactly("b", "d");
  }

  @Test
  void aTorrentIsStalledOnceIdleForTheStalledTimeAndOnlyWhereThatIsOn() {
    Instant since = Instant.parse("2026-12-01T10:00:00Z");
    Limits on = limits(true, 1, true, 1);
    assertThat(on.stalled(since, since.plus(Duration.ofMinutes(29)))).isFalse();
    assertThat(on.stalled(since, since.plus(Duration.ofMinutes(30)))).isTrue();
    Limits off = new Limits(true, 1, true, 1, false, Duration.ofMinutes(30));
    assertThat(off.stalled(since, since.plus(Duration.ofDays(1)))).isFalse();
  }

  @Test
  void atMostNDownloadAndNSeedAndTheRestWaitInOrder() {
    TorrentQueue<String> q = queue(limits(true, 2, true, 1), "a", "b", "c", "d", "e", "f");
    Map<String, Slot> slots = new HashMap<>(Map.of("a", Slot.DOWNLOADING, "b", Slot.WAITING_TO_DOWNLOAD,
        "c", Slot.WAITING_TO_DOWNLOAD, "d", Slot.WAITING_TO_SEED, "e", Slot.WAITING_TO_SEED, "f", Slot.ASIDE));
    TorrentQueue.Plan<String> plan = q.plan(slots::get);
    assertThat(plan.start()).containsExactly("b", "d");
    assertThat(plan.lookAt()).isEmpty();

    // b finished downloading and seeds: now c may download, but e still waits for the seeding slot.
    slots.putAll(Map.of("b", Slot.SEEDING, "d", Slot.ASIDE));
    assertThat(q.plan(slots::get).start()).containsExactly("c");
  }

  @Test
  void aQueueThatIsOffLetsEveryoneRun() {
    TorrentQueue<String> q = queue(limits(false, 0, false, 0), "a", "b");
    assertThat(q.plan(t -> Slot.WAITING_TO_DOWNLOAD).start()).containsExactly("a", "b");
    assertThat(q.plan(t -> Slot.WAITING_UNKNOWN).start()).containsExactly("a", "b");
  }

  @Test
  void anUnknownTorrentStartsOnlyIfItFitsEitherWayElseItIsLookedAt() {
    TorrentQueue<String> q = queue(limits(true, 2, false, 0), "a", "b", "c");
    Map<String, Slot> slots = Map.of("a", Slot.RUNNING_UNKNOWN, "b", Slot.WAITING_UNKNOWN, "c", Slot.WAITING_UNKNOWN);
    TorrentQueue.Plan<String> plan = q.plan(slots::get);
    assertThat(plan.start()).as("a and b hold both download slots until they are known").containsExactly("b");
    assertThat(plan.lookAt()).containsExactly("c");
  }

  @Test
  void theOrderIsTheOneStartsFollow() {
    TorrentQueue<String> q = queue(limits(true, 1, true, 1), "a", "b", "c");
    q.moveTop(List.of("c"));
    assertThat(q.order()).containsExactly("c", "a", "b");
    assertThat(q.plan(t -> Slot.WAITING_TO_DOWNLOAD).start()).containsExactly("c");
  }

  @Test
  void movesKeepTheMovedTorrentsInTheirOrderAsTransmissionDoes() {
    TorrentQueue<String> q = queue(limits(true, 1, true, 1), "a", "b", "c", "d", "e");
    q.moveTop(List.of("e", "c"));
    assertThat(q.order()).containsExactly("c", "e", "a", "b", "d");
    q.moveBottom(List.of("e", "c"));
    assertThat(q.order()).containsExactly("a", "b", "d", "c", "e");
    q.moveUp(List.of("a", "d"));
    assertThat(q.order()).as("a is first already").containsExactly("a", "d", "b", "c", "e");
    q.moveDown(List.of("e", "b"));
    assertThat(q.order()).as("e is last already").containsExactly("a", "d", "c", "b", "e");
    q.moveTo("e", 1);
    assertThat(q.order()).containsExactly("a", "e", "d", "c", "b");
    q.moveTo("a", 99);
    assertThat(q.order()).containsExactly("e", "d", "c", "b", "a");
    q.remove("d");
    assertThat(q.position("c")).isEqualTo(1);
    assertThat(q.position("d")).isEqualTo(-1);
    q.moveTop(List.of("d"));
    assertThat(q.order()).as("a torrent the queue does not hold is not added by a move").hasSize(4);
  }

  @Property
  void movesNeverLoseNorDuplicateATorrent(@ForAll @Size(max = 30) List<@IntRange(min = 0, max = 4) Integer> moves,
      @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 9) Integer> targets) {
    TorrentQueue<Integer> q = new TorrentQueue<>(limits(true, 5, false, 10));
    for (int i = 0; i < 10; i++) {
      q.add(i);
    }
    for (int i = 0; i < Math.min(moves.size(), targets.size()); i++) {
      List<Integer> some = new ArrayList<>(List.of(targets.get(i), (targets.get(i) * 7) % 10));
      switch (moves.get(i)) {
        case 0 -> q.moveTop(some);
        case 1 -> q.moveUp(some);
        case 2 -> q.moveDown(some);
        case 3 -> q.moveBottom(some);
        default -> q.moveTo(targets.get(i), moves.get(i) * targets.get(i));
      }
    }
    assertThat(Set.copyOf(q.order())).hasSize(10);
    assertThat(q.order()).hasSize(10);
  }
}
