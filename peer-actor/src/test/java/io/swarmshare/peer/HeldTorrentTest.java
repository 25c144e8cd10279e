package io.swarmshare.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.peer.bandwidth.Rates;
import io.swarmshare.peer.session.SeedingGoals;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the session keeps of a torrent: its Downloads' statuses taken in, and a torrent known by its link. */
class HeldTorrentTest {

  static final long SECOND = 1_000_000_000L;
  static final Instant T0 = Instant.parse("2026-12-03T06:00:00Z");
  static final SeedingGoals.Goals GOALS = SeedingGoals.Goals.following(
      new SeedingGoals.Node(false, 2, false, Duration.ofMinutes(30)));

  @TempDir Path dir;

  HeldTorrent held(Metainfo m) {
    HeldTorrent t = new HeldTorrent(1, new Download.Job(m, dir, List.of()), T0, false, GOALS, Rates.of(0, 0).within());
    t.latest = t.first(TorrentState.QUEUED, 0, 0, 0);
    return t;
  }

  static Download.Status status(Metainfo m, Download.Status.State state, int pieces, long downloaded, long uploaded) {
    return status(m, state, pieces, downloaded, uploaded, new Bitfield(m.info().pieceCount()));
  }

  /** A status with the first {@code pieces} verified and {@code inProgress} being fetched. */
  static Download.Status status(Metainfo m, Download.Status.State state, int pieces, long downloaded, long uploaded,
      Bitfield inProgress) {
    Bitfield have = new Bitfield(m.info().pieceCount());
    for (int i = 0; i < pieces; i++) {
      have.set(i);
    }
    return new Download.Status(m, Path.of("/d"), state, pieces, 0, downloaded, uploaded, 1, 1, 0, 0, 0, have,
        inProgress, null, List.of());
  }

  @Test
  void piecesInProgressAreARunningDownloadsOnly() throws Exception {
    Metainfo m = DownloadTest.seeded(dir, "p.bin", 40_000, 1, 16384).metainfo(); // 3 pieces
    HeldTorrent t = held(m);
    assertThat(t.latest.inProgress()).isEqualTo(new Bitfield(3));

    Bitfield fetching = new Bitfield(3);
    fetching.set(1);
    fetching.set(2);
    Download.Status running = status(m, Download.Status.State.DOWNLOADING, 1, 16_384, 0, fetching);
    t.latest = t.report(running, t.shown(running), SECOND, T0, 0);
    assertThat(t.latest.inProgress()).isEqualTo(fetching);
    assertThat(t.restamped(1).inProgress()).as("still running").isEqualTo(fetching);

    assertThat(t.withState(TorrentState.STOPPED, 0).inProgress()).isEqualTo(new Bitfield(3));
    assertThat(t.failed("disk full", 0).inProgress()).isEqualTo(new Bitfield(3));
    assertThat(t.withState(TorrentState.STOPPED, 0).have()).as("what it verified stays").isEqualTo(t.latest.have());
  }

  @Test
  void statusesGiveRatesTimeSpentActivityAndTheCompletionDate() throws Exception {
    Metainfo m = DownloadTest.seeded(dir, "t.bin", 40_000, 1, 16384).metainfo(); // 3 pieces
    HeldTorrent t = held(m);

    Download.Status first = status(m, Download.Status.State.DOWNLOADING, 0, 0, 0);
    t.latest = t.report(first, t.shown(first), 10 * SECOND, T0, 0);
    assertThat(t.latest.downloadRate()).as("no rate from one status").isZero();
    assertThat(t.complete).isFalse();

    Download.Status second = status(m, Download.Status.State.DOWNLOADING, 1, 32_768, 1_000);
    t.latest = t.report(second, t.shown(second), 12 * SECOND, T0.plusSeconds(2), 0);
    assertThat(t.latest.downloadRate()).isEqualTo(16_384);
    assertThat(t.latest.uploadRate()).isEqualTo(500);
    assertThat(t.secondsDownloading()).isEqualTo(2);
    assertThat(t.lastActivity).isEqualTo(T0.plusSeconds(2));

    Download.Status done = status(m, Download.Status.State.SEEDING, 3, 40_000, 1_000);
    t.latest = t.report(done, t.shown(done), 13 * SECOND, T0.plusSeconds(3), 0);
    assertThat(t.complete).isTrue();
    assertThat(t.completed).isEqualTo(T0.plusSeconds(3));
    assertThat(t.latest.downloaded()).isEqualTo(40_000);

    // The Download failed and was restarted: it counts from zero, and the totals go on from what was moved.
    t.latest = t.report(status(m, Download.Status.State.SEEDING, 3, 0, 0), TorrentState.SEEDING, 14 * SECOND,
        T0.plusSeconds(4), 0);
    Download.Status later = status(m, Download.Status.State.SEEDING, 3, 0, 2_000);
    t.latest = t.report(later, t.shown(later), 16 * SECOND, T0.plusSeconds(6), 0);
    assertThat(t.latest.uploaded()).isEqualTo(3_000);
    assertThat(t.latest.uploadRate()).isEqualTo(1_000);
    assertThat(t.secondsDownloading()).isEqualTo(3);
    assertThat(t.secondsSeeding()).as("the second the restart hid is not counted").isEqualTo(2);
  }

  @Test
  void aTorrentLookedAtWhileItWaitsWaitsOnAndOneCheckedWhileStoppedStaysStopped() throws Exception {
    Metainfo m = DownloadTest.seeded(dir, "w.bin", 20_000, 2, 16384).metainfo();
    HeldTorrent t = held(m);
    t.lookingAt = true;
    assertThat(t.shown(status(m, Download.Status.State.SEEDING, 2, 0, 0))).isEqualTo(TorrentState.QUEUED);
    assertThat(t.complete).as("what it learnt of its pieces is kept").isTrue();
    assertThat(t.shown(status(m, Download.Status.State.CHECKING, 0, 0, 0))).isEqualTo(TorrentState.CHECKING);
    t.lookingAt = false;
    t.paused = true;
    assertThat(t.shown(status(m, Download.Status.State.DOWNLOADING, 1, 0, 0))).isEqualTo(TorrentState.STOPPED);
    assertThat(t.complete).isFalse();
    assertThat(t.shown(status(m, Download.Status.State.FAILED, 1, 0, 0))).isEqualTo(TorrentState.FAILED);
  }

  @Test
  void aTorrentKnownByItsLinkAloneHasNothingAndAsksItsPeersAndTrackers() {
    MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + "ab".repeat(20)
        + "&dn=a%20film&tr=udp%3A%2F%2Ft%3A1%2Fannounce&x.pe=127.0.0.1:6881&x.pe=%5B::1%5D:6882");
    HeldTorrent t = HeldTorrent.ofLink(4, link, dir, Optional.empty(), T0, false, GOALS, Rates.of(0, 0).within());
    TorrentSnapshot s = t.first(TorrentState.QUEUED, 0, 0, 0);
    assertThat(s.name()).isEqualTo("a film");
    assertThat(s.metainfo()).isEmpty();
    assertThat(s.pieceCount()).isZero();
    assertThat(s.inProgress().pieceCount()).isZero();
    t.latest = s;
    assertThat(t.fetching(2, 0).inProgress().pieceCount()).as("no pieces before its metadata").isZero();
    assertThat(s.complete()).isFalse();
    assertThat(t.complete).as("it waits to download, not to seed").isFalse();
    assertThat(t.subject().peers()).containsExactly(new InetSocketAddress("127.0.0.1", 6881),
        new InetSocketAddress("::1", 6882));
    assertThat(t.subject().trackers()).containsExactly("udp://t:1/announce");
    assertThat(HeldTorrent.ofLink(5, MagnetLink.parse("magnet:?xt=urn:btih:" + "cd".repeat(20)), dir,
        Optional.empty(), T0, false, GOALS, Rates.of(0, 0).within()).name()).isEqualTo("cd".repeat(20));
  }
}
