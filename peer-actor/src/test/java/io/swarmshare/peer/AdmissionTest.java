package io.swarmshare.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.peer.bandwidth.Rates;
import io.swarmshare.peer.session.SeedingGoals;
import io.swarmshare.peer.session.TorrentQueue;
import io.swarmshare.peer.session.TorrentState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue's view of the session's torrents, without an actor. */
class AdmissionTest {

  @TempDir Path dir;
  int nextSeed = 1;

  HeldTorrent waiting(Boolean complete) throws IOException {
    int seed = nextSeed++;
    Download.Job job = new Download.Job(DownloadTest.seeded(dir, "t" + seed, 1000, seed, 16384).metainfo(), dir,
        List.of());
    HeldTorrent t = new HeldTorrent(seed, job, Instant.EPOCH, false,
        SeedingGoals.Goals.following(new SeedingGoals.Node(false, 2, false, Duration.ofMinutes(30))),
        Rates.of(0, 0).within());
    t.latest = t.first(TorrentState.QUEUED, 0, 0, 0);
    t.queued = true;
    t.complete = complete;
    return t;
  }

  @Test
  void aWaitingTorrentWaitsInTheQueueItsPiecesSayAndAMovingOrStoppingOneStandsAside() throws IOException {
    assertThat(Admission.slot(waiting(null))).isEqualTo(TorrentQueue.Slot.WAITING_UNKNOWN);
    assertThat(Admission.slot(waiting(true))).isEqualTo(TorrentQueue.Slot.WAITING_TO_SEED);
    assertThat(Admission.slot(waiting(false))).isEqualTo(TorrentQueue.Slot.WAITING_TO_DOWNLOAD);
    HeldTorrent moving = waiting(false);
    moving.moving = true;
    HeldTorrent stopping = waiting(false);
    stopping.stopping = true;
    HeldTorrent paused = waiting(false);
    paused.queued = false;
    assertThat(List.of(moving, stopping, paused)).extracting(Admission::slot)
        .containsOnly(TorrentQueue.Slot.ASIDE);
  }

  @Test
  void onlyAWaitingTorrentThatNothingHoldsBackStartsAheadOfTheQueue() throws IOException {
    HeldTorrent now = waiting(false);
    now.bypassQueue = true;
    HeldTorrent movingNow = waiting(false);
    movingNow.bypassQueue = true;
    movingNow.moving = true;
    HeldTorrent inTurn = waiting(false);
    assertThat(Admission.aheadOfQueue(List.of(now, movingNow, inTurn))).containsExactly(now);
  }

  @Test
  void theQueueLetsInAsManyDownloadsAsItsLimitInItsOrder() throws IOException {
    TorrentQueue<InfoHash> queue = new TorrentQueue<>(
        new TorrentQueue.Limits(true, 1, false, 0, false, Duration.ofMinutes(30)));
    Map<InfoHash, HeldTorrent> torrents = new LinkedHashMap<>();
    for (HeldTorrent t : List.of(waiting(false), waiting(false), waiting(true))) {
      torrents.put(t.hash(), t);
      queue.add(t.hash());
    }
    List<HeldTorrent> all = List.copyOf(torrents.values());
    assertThat(Admission.plan(queue, torrents::get).start()).containsExactly(all.get(0).hash(), all.get(2).hash());
    Admission.move(queue, Session.QueueMove.BOTTOM, List.of(all.get(0).hash()));
    assertThat(Admission.plan(queue, torrents::get).start()).containsExactly(all.get(1).hash(), all.get(2).hash());
  }
}
