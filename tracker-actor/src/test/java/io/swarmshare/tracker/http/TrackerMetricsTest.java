package io.swarmshare.tracker.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.tracker.Tracker;
import io.swarmshare.tracker.TrackerStats;
import io.swarmshare.tracker.TrackerStats.ErrorKind;
import io.swarmshare.tracker.TrackerStats.Protocol;
import io.swarmshare.tracker.limits.Limit;
import io.swarmshare.tracker.registry.Registry;
import org.junit.jupiter.api.Test;

/** The mapping from the tracker's counters and totals to Prometheus samples. */
class TrackerMetricsTest {

  @Test
  void countersAreTheStatsOwnByProtocolAndKindAndGaugesTheTotals() {
    TrackerStats stats = new TrackerStats();
    TrackerMetrics metrics = new TrackerMetrics(stats);
    stats.announced(Protocol.UDP);
    stats.announced(Protocol.UDP);
    stats.announced(Protocol.HTTP);
    stats.scraped(Protocol.HTTP);
    stats.failed(Protocol.UDP, ErrorKind.CONNECTION_ID);
    stats.failed(Protocol.HTTP, ErrorKind.MALFORMED);
    stats.failed(Protocol.HTTP, ErrorKind.REFUSED);
    stats.limited(Limit.PEERS_PER_ADDRESS);

    PrometheusText text = new PrometheusText(
        metrics.scrape(new Registry.Totals(3, 10, 4), new Tracker.CatalogueSize(2, 1234)));

    assertThat(text.value("swarmshare_tracker_announces_total", "protocol", "udp")).isEqualTo(2.0);
    assertThat(text.value("swarmshare_tracker_announces_total", "protocol", "http")).isEqualTo(1.0);
    assertThat(text.value("swarmshare_tracker_scrapes_total", "protocol", "udp")).isEqualTo(0.0);
    assertThat(text.value("swarmshare_tracker_scrapes_total", "protocol", "http")).isEqualTo(1.0);
    assertThat(text.value("swarmshare_tracker_errors_total", "protocol", "udp", "kind", "connection_id"))
        .isEqualTo(1.0);
    assertThat(text.value("swarmshare_tracker_errors_total", "protocol", "http", "kind", "malformed")).isEqualTo(1.0);
    assertThat(text.value("swarmshare_tracker_errors_total", "protocol", "http", "kind", "refused")).isEqualTo(1.0);
    assertThat(text.value("swarmshare_tracker_errors_total", "protocol", "udp", "kind", "refused")).isEqualTo(0.0);
    assertThat(text.value("swarmshare_tracker_limit_hits_total", "limit", "peersPerAddress")).isEqualTo(1.0);
    assertThat(text.value("swarmshare_tracker_limit_hits_total", "limit", "peers")).isEqualTo(0.0);
    assertThat(text.value("swarmshare_tracker_swarms")).isEqualTo(3.0);
    assertThat(text.value("swarmshare_tracker_peers")).isEqualTo(10.0);
    assertThat(text.value("swarmshare_tracker_seeders")).isEqualTo(4.0);
    assertThat(text.value("swarmshare_tracker_leechers")).isEqualTo(6.0);
    assertThat(text.value("swarmshare_tracker_catalogue_entries")).isEqualTo(2.0);
    assertThat(text.value("swarmshare_tracker_catalogue_bytes")).isEqualTo(1234.0);
    assertThat(text.samples().keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"));
    // The same counters as /stats reads: nothing counted twice.
    assertThat(stats.announces()).isEqualTo(3);
    assertThat(stats.errors()).isEqualTo(3);

    stats.announced(Protocol.HTTP);
    PrometheusText later = new PrometheusText(
        metrics.scrape(new Registry.Totals(0, 0, 0), new Tracker.CatalogueSize(2, 1234)));
    assertThat(later.value("swarmshare_tracker_announces_total", "protocol", "http")).isEqualTo(2.0);
    assertThat(later.value("swarmshare_tracker_peers")).isEqualTo(0.0);
  }
}
