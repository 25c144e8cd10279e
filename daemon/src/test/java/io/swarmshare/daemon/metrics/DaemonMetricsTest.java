package io.swarmshare.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.bandwidth.TorrentLimits;
import io.swarmshare.peer.session.SeedingGoals;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.peer.tracker.AnnounceCounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonMetricsTest {

  static final Session.NodeStatus IDLE = new Session.NodeStatus(0, 0, 0, 0);

  @TempDir Path dir;

  TorrentSnapshot torrent(String name, int id, TorrentState state, long down, long up, int failures,
      AnnounceCounts.Count... trackers) throws Exception {
    Path file = dir.resolve(name);
    if (!Files.exists(file)) {
      Files.writeString(file, name);
    }
    Metainfo m = TorrentCreator.of(file).creationDate(Optional.empty()).create();
    return new TorrentSnapshot(id, m.infoHash(), m.info().name(), Optional.of(m), m.trackerTiers(), dir, state, 1, Bitfield.full(1), new Bitfield(1),
        name.length(), down, up, 100, 50, 3, 1, 1, 0,
        failures, Instant.EPOCH, Optional.empty(), Optional.empty(), 0, 0, null, List.of(trackers),
        new SeedingGoals.Goals(SeedingGoals.Mode.NODE, 2.0,
            SeedingGoals.Mode.NODE, Duration.ofMinutes(30)), TorrentLimits.NONE, List.of(), 0);
  }

  static AnnounceCounts.Count count(String url, long announces, long failures) {
    return new AnnounceCounts.Count(url, announces, failures);
  }

  @Test
  void totalsPerTorrentAndByStateAndATorrentsMetersGoWithIt() throws Exception {
    DaemonMetrics metrics = new DaemonMetrics(100);
    TorrentSnapshot a = torrent("a", 1, TorrentState.SEEDING, 1000, 2000, 0);
    TorrentSnapshot b = torrent("b", 2, TorrentState.CHECK_WAIT, 500, 0, 2);
    PrometheusText text = new PrometheusText(metrics.scrape(List.of(a, b), IDLE));
    assertThat(text.value("swarmshare_downloaded_bytes_total")).isEqualTo(1500.0);
    assertThat(text.value("swarmshare_uploaded_bytes_total")).isEqualTo(2000.0);
    assertThat(text.value("swarmshare_hash_failures_total")).isEqualTo(2.0);
    assertThat(text.value("swarmshare_torrents", "state", "seeding")).isEqualTo(1.0);
    assertThat(text.value("swarmshare_torrents", "state", "check_wait")).isEqualTo(1.0);
    assertThat(text.value("swarmshare_peers")).isEqualTo(6.0);
    assertThat(text.value("swarmshare_torrent_downloaded_bytes_total", "id", "1", "info_hash", a.infoHash().hex()))
        .isEqualTo(1000.0);
    assertThat(text.samples().keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"));

    String later = metrics.scrape(List.of(a), IDLE);
    assertThat(later).doesNotContain(b.infoHash().hex());
    PrometheusText l = new PrometheusText(later);
    assertThat(l.value("swarmshare_torrents", "state", "check_wait")).isEqualTo(0.0);
    assertThat(l.value("swarmshare_downloaded_bytes_total")).isEqualTo(1000.0);
  }

  @Test
  void theDiskPoolAndTheCheckingQueueAreTheNodes() throws Exception {
    DaemonMetrics metrics = new DaemonMetrics(100);
    PrometheusText text = new PrometheusText(metrics.scrape(List.of(), new Session.NodeStatus(7, 4, 3, 1)));
    assertThat(text.value("swarmshare_disk_queue")).isEqualTo(7.0);
    assertThat(text.value("swarmshare_disk_running")).isEqualTo(4.0);
    assertThat(text.value("swarmshare_checking_queue", "stage", "waiting")).isEqualTo(3.0);
    assertThat(text.value("swarmshare_checking_queue", "stage", "checking")).isEqualTo(1.0);
  }

  @Test
  void announcesAddUpPerTrackerAcrossTorrentsAndOnlyGrow() throws Exception {
    DaemonMetrics metrics = new DaemonMetrics(100);
    String udp = "udp://Tracker.example:6969/announce";
    String http = "http://tracker.example:80/3f2a9c0d1e/announce?passkey=s3cret";
    TorrentSnapshot a = torrent("a", 1, TorrentState.SEEDING, 0, 0, 0, count(udp, 3, 1), count(http, 0, 2));
    TorrentSnapshot b = torrent("b", 2, TorrentState.DOWNLOADING, 0, 0, 0, count(udp, 2, 0));
    String first = metrics.scrape(List.of(a, b), IDLE);
    // A private tracker's passkey, in its path or its query, never reaches a label.
    assertThat(first).doesNotContain("s3cret").doesNotContain("3f2a9c0d1e");
    PrometheusText text = new PrometheusText(first);
    assertThat(text.value("swarmshare_announces_total", "tracker", "udp://tracker.example:6969")).isEqualTo(5.0);
    assertThat(text.value("swarmshare_announce_failures_total", "tracker", "udp://tracker.example:6969"))
        .isEqualTo(1.0);
    assertThat(text.value("swarmshare_announces_total", "tracker", "http://tracker.example:80")).isEqualTo(0.0);
    assertThat(text.value("swarmshare_announce_failures_total", "tracker", "http://tracker.example:80"))
        .isEqualTo(2.0);
    assertThat(text.value("swarmshare_announces_total", "tracker", "other")).isEqualTo(0.0);

    // a announced once more; b restarted, its counts from zero again: the totals still only grow.
    TorrentSnapshot a2 = torrent("a", 1, TorrentState.SEEDING, 0, 0, 0, count(udp, 4, 1), count(http, 0, 2));
    TorrentSnapshot b2 = torrent("b", 2, TorrentState.DOWNLOADING, 0, 0, 0, count(udp, 1, 0));
    PrometheusText later = new PrometheusText(metrics.scrape(List.of(a2, b2), IDLE));
    assertThat(later.value("swarmshare_announces_total", "tracker", "udp://tracker.example:6969")).isEqualTo(7.0);

    // No torrent names the HTTP tracker any more: its label goes.
    TorrentSnapshot a3 = torrent("a", 1, TorrentState.SEEDING, 0, 0, 0, count(udp, 4, 1));
    PrometheusText gone = new PrometheusText(metrics.scrape(List.of(a3, b2), IDLE));
    assertThat(gone.value("swarmshare_announces_total", "tracker", "http://tracker.example:80")).isNull();
    assertThat(gone.value("swarmshare_announces_total", "tracker", "udp://tracker.example:6969")).isEqualTo(7.0);
  }

  @Test
  void trackersPastTheCapAreSummedAsOther() throws Exception {
    DaemonMetrics metrics = new DaemonMetrics(2);
    TorrentSnapshot t = torrent("a", 1, TorrentState.SEEDING, 0, 0, 0, count("udp://one.example:1/announce", 1, 0),
        count("udp://two.example:2/announce", 1, 0), count("udp://three.example:3/announce", 1, 1),
        count("udp://four.example:4/announce", 2, 0), count("not a url", 0, 5));
    PrometheusText text = new PrometheusText(metrics.scrape(List.of(t), IDLE));
    assertThat(text.value("swarmshare_announces_total", "tracker", "udp://one.example:1")).isEqualTo(1.0);
    assertThat(text.value("swarmshare_announces_total", "tracker", "udp://two.example:2")).isEqualTo(1.0);
    assertThat(text.value("swarmshare_announces_total", "tracker", "udp://three.example:3")).isNull();
    assertThat(text.value("swarmshare_announces_total", "tracker", "other")).isEqualTo(3.0);
    assertThat(text.value("swarmshare_announce_failures_total", "tracker", "other")).isEqualTo(6.0);
    assertThat(text.samples().keySet().stream().filter(k -> k.startsWith("swarmshare_announces_total"))).hasSize(3);
  }
}
