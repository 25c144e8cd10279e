package io.swarmshare.tracker.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmshare.tracker.Tracker;
import io.swarmshare.tracker.TrackerStats;
import io.swarmshare.tracker.TrackerStats.ErrorKind;
import io.swarmshare.tracker.TrackerStats.Protocol;
import io.swarmshare.tracker.limits.Limit;
import io.swarmshare.tracker.registry.Registry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tracker's Prometheus metrics ({@code GET /metrics}), through Micrometer. The counters are
 * {@link TrackerStats}' own, read at each scrape (the same figures {@code /stats} shows, never
 * counted twice): announces and scrapes answered by protocol, errors by protocol and kind, and
 * hits of each limit. The gauges are the registry's totals and the catalogue's size at the scrape,
 * and the JVM's own. Every label is from a fixed set (protocols, error kinds, limits): no metric
 * names a peer, an address or a swarm.
 */
public final class TrackerMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong swarms = new AtomicLong();
  private final AtomicLong peers = new AtomicLong();
  private final AtomicLong seeders = new AtomicLong();
  private final AtomicLong leechers = new AtomicLong();
  private final AtomicLong catalogueEntries = new AtomicLong();
  private final AtomicLong catalogueBytes = new AtomicLong();

  public TrackerMetrics(TrackerStats stats) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    for (Protocol protocol : Protocol.values()) {
      FunctionCounter.builder("swarmshare.tracker.announces", stats, s -> s.announces(protocol))
          .description("Announces answered with peers").tag("protocol", protocol.label()).register(registry);
      FunctionCounter.builder("swarmshare.tracker.scrapes", stats, s -> s.scrapes(protocol))
          .description("Scrapes answered").tag("protocol", protocol.label()).register(registry);
      for (ErrorKind kind : ErrorKind.values()) {
        FunctionCounter.builder("swarmshare.tracker.errors", stats, s -> s.errors(protocol, kind))
            .description("Requests answered with an error (or, for a malformed datagram, dropped)")
            .tags("protocol", protocol.label(), "kind", kind.label()).register(registry);
      }
    }
    for (Limit limit : Limit.values()) {
      FunctionCounter.builder("swarmshare.tracker.limit.hits", stats, s -> s.hits(limit))
          .description("Requests refused, dropped or cut off by each limit (names as in /stats)")
          .tag("limit", limit.statsName()).register(registry);
    }
    Gauge.builder("swarmshare.tracker.swarms", swarms, AtomicLong::get).description("Swarms with a peer")
        .register(registry);
    Gauge.builder("swarmshare.tracker.peers", peers, AtomicLong::get).description("Peers in every swarm")
        .register(registry);
    Gauge.builder("swarmshare.tracker.seeders", seeders, AtomicLong::get).register(registry);
    Gauge.builder("swarmshare.tracker.leechers", leechers, AtomicLong::get).register(registry);
    Gauge.builder("swarmshare.tracker.catalogue.entries", catalogueEntries, AtomicLong::get)
        .description("Torrents in the catalogue").register(registry);
    Gauge.builder("swarmshare.tracker.catalogue", catalogueBytes, AtomicLong::get).baseUnit("bytes")
        .description("Bytes of the catalogue's .torrent files").register(registry);
  }

  /** The text exposition of every metric, with the registry and the catalogue as given. */
  public synchronized String scrape(Registry.Totals totals, Tracker.CatalogueSize catalogue) {
    swarms.set(totals.swarms());
    peers.set(totals.peers());
    seeders.set(totals.seeders());
    leechers.set(totals.leechers());
    catalogueEntries.set(catalogue.entries());
    catalogueBytes.set(catalogue.bytes());
    return registry.scrape();
  }
}
