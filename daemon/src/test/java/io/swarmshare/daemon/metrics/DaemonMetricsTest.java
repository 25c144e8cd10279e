package io.swarmshare.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.peer.session.SeedingGoals;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonMetricsTest {

  @TempDir Path dir;

  TorrentSnapshot torrent(String name, int id, TorrentState state, long down, long up, int failures)
      throws Exception {
    Metainfo m = TorrentCreator.of(Files.writeString(dir.resolve(name), name)).create();
    return new TorrentSnapshot(id, m, dir, state, 1, Bitfield.full(1), name.length(), down, up, 100, 50, 3, 1, 1, 0,
        failures, Instant.EPOCH, Optional.empty(), Optional.empty(), 0, 0, null,
        new SeedingGoals.Goals(SeedingGoals.Mode.NODE, 2.0,
            SeedingGoals.Mode.NODE, Duration.ofMinutes(30)), List.of(), 0);
  }

  @Test
  void totalsPerTorrentAndByStateAndATorrentsMetersGoWithIt() throws Exception {
    DaemonMetrics metrics = new DaemonMetrics();
    TorrentSnapshot a = torrent("a", 1, TorrentState.SEEDING, 1000, 2000, 0);
    TorrentSnapshot b = torrent("b", 2, TorrentState.CHECK_WAIT, 500, 0, 2);
    String text = metrics.scrape(List.of(a, b));
    assertThat(text)
        .contains("swarmshare_downloaded_bytes_total 1500.0")
        .contains("swarmshare_uploaded_bytes_total 2000.0")
        .contains("swarmshare_hash_failures_total 2.0")
        .contains("swarmshare_torrents{state=\"seeding\"} 1.0")
        .contains("swarmshare_torrents{state=\"check_wait\"} 1.0")
        .contains("swarmshare_peers 6.0")
        .contains("swarmshare_torrent_downloaded_bytes_total{id=\"1\",info_hash=\"" + a.infoHash().hex() + "\"} 1000.0")
        .contains("jvm_memory_used_bytes");

    String later = metrics.scrape(List.of(a));
    assertThat(later).doesNotContain(b.infoHash().hex()).contains("swarmshare_torrents{state=\"check_wait\"} 0.0")
        .contains("swarmshare_downloaded_bytes_total 1000.0");
  }
}
