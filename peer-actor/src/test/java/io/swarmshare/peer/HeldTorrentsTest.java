package io.swarmshare.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.peer.bandwidth.Rates;
import io.swarmshare.peer.crypto.TorrentKeys;
import io.swarmshare.peer.session.SeedingGoals;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a command's Selection names among the session's torrents, without an actor. */
class HeldTorrentsTest {

  @TempDir Path dir;

  HeldTorrent torrent(int id) throws IOException {
    Download.Job job = new Download.Job(DownloadTest.seeded(dir, "t" + id, 1000, id, 16384).metainfo(), dir,
        List.of());
    return new HeldTorrent(id, job, Instant.EPOCH, false,
        SeedingGoals.Goals.following(new SeedingGoals.Node(false, 2, false, Duration.ofMinutes(30))),
        Rates.of(0, 0).within());
  }

  @Test
  void aSelectionNamesTorrentsByIdOrInfoHashInTheOrderOfTheirIdsAndSkipsWhatIsNotHeld() throws IOException {
    HeldTorrents held = new HeldTorrents(new TorrentKeys());
    HeldTorrent one = torrent(1);
    HeldTorrent two = torrent(2);
    HeldTorrent three = torrent(3);
    List.of(one, two, three).forEach(held::hold);

    assertThat(held.select(Session.Selection.everything())).containsExactly(one, two, three);
    assertThat(held.select(new Session.Selection(false, Set.of(3, 99), Set.of(one.hash()))))
        .containsExactly(one, three);
    assertThat(held.select(new Session.Selection(false, Set.of(2), Set.of(two.hash())))).containsExactly(two);
    assertThat(held.select(Session.Selection.ofIds(Set.of(42)))).isEmpty();
    assertThat(held.all()).containsExactly(one, two, three);
    assertThat(held.size()).isEqualTo(3);
  }

  @Test
  void aTorrentForgottenOrAddedAnewIsNoLongerTheOneHeld() throws IOException {
    HeldTorrents held = new HeldTorrents(new TorrentKeys());
    HeldTorrent first = torrent(1);
    held.hold(first);
    assertThat(held.holds(first)).isTrue();
    assertThat(held.get(first.hash())).isSameAs(first);

    held.forget(first);
    assertThat(held.holds(first)).isFalse();
    assertThat(held.contains(first.hash())).isFalse();
    assertThat(held.select(Session.Selection.ofIds(Set.of(1)))).isEmpty();

    // The same torrent added again is a new HeldTorrent under the same info hash, with a new id.
    HeldTorrent again = new HeldTorrent(2, first.job(), Instant.EPOCH, false,
        SeedingGoals.Goals.following(new SeedingGoals.Node(false, 2, false, Duration.ofMinutes(30))),
        Rates.of(0, 0).within());
    held.hold(again);
    assertThat(held.holds(first)).isFalse();
    assertThat(held.holds(again)).isTrue();
    assertThat(held.select(Session.Selection.of(first.hash()))).containsExactly(again);
  }
}
