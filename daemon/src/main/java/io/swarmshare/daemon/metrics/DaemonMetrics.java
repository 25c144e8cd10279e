package io.swarmshare.daemon.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's Prometheus metrics ({@code GET /metrics}), through Micrometer: bytes down and up
 * per torrent and in total, peers, pieces, hash failures, torrents by state (the checking queue is
 * {@code state="check_wait"}), rates, and the JVM's own. Read from the Session's snapshots at each
 * scrape; a torrent's meters go when the torrent does.
 */
public final class DaemonMetrics {

  /** One torrent's figures at the last scrape, which its meters read. */
  private static final class TorrentFigures {
    final AtomicLong downloaded = new AtomicLong();
    final AtomicLong uploaded = new AtomicLong();
    final AtomicLong peers = new AtomicLong();
    final AtomicLong piecesHave = new AtomicLong();
    final AtomicLong hashFailures = new AtomicLong();
    final List<Meter> meters = new ArrayList<>();
  }

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<InfoHash, TorrentFigures> torrents = new HashMap<>();
  private final Map<TorrentState, AtomicLong> byState = new EnumMap<>(TorrentState.class);
  private final AtomicLong downloaded = new AtomicLong();
  private final AtomicLong uploaded = new AtomicLong();
  private final AtomicLong downloadRate = new AtomicLong();
  private final AtomicLong uploadRate = new AtomicLong();
  private final AtomicLong peers = new AtomicLong();
  private final AtomicLong hashFailures = new AtomicLong();

  public DaemonMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    for (TorrentState state : TorrentState.values()) {
      AtomicLong count = new AtomicLong();
      byState.put(state, count);
      Gauge.builder("swarmshare.torrents", count, AtomicLong::get).description("Torrents in each state")
          .tag("state", state.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
    }
    FunctionCounter.builder("swarmshare.downloaded", downloaded, AtomicLong::get).baseUnit("bytes")
        .description("Payload bytes downloaded by the torrents the daemon holds, over their lifetimes")
        .register(registry);
    FunctionCounter.builder("swarmshare.uploaded", uploaded, AtomicLong::get).baseUnit("bytes")
        .description("Payload bytes uploaded by the torrents the daemon holds, over their lifetimes")
        .register(registry);
    FunctionCounter.builder("swarmshare.hash.failures", hashFailures, AtomicLong::get)
        .description("Pieces that failed their hash check since the daemon started").register(registry);
    Gauge.builder("swarmshare.download.rate", downloadRate, AtomicLong::get).baseUnit("bytes per second")
        .register(registry);
    Gauge.builder("swarmshare.upload.rate", uploadRate, AtomicLong::get).baseUnit("bytes per second")
        .register(registry);
    Gauge.builder("swarmshare.peers", peers, AtomicLong::get).description("Connections to peers").register(registry);
  }

  /** The text exposition of every metric, with the torrents as {@code now}. */
  public synchronized String scrape(List<TorrentSnapshot> now) {
    byState.values().forEach(c -> c.set(0));
    long down = 0;
    long up = 0;
    long downRate = 0;
    long upRate = 0;
    long connected = 0;
    long failures = 0;
    Set<InfoHash> seen = new HashSet<>();
    for (TorrentSnapshot t : now) {
      seen.add(t.infoHash());
      byState.get(t.state()).incrementAndGet();
      TorrentFigures f = torrents.computeIfAbsent(t.infoHash(), h -> register(t));
      f.downloaded.set(t.downloaded());
      f.uploaded.set(t.uploaded());
      f.peers.set(t.peers());
      f.piecesHave.set(t.piecesHave());
      f.hashFailures.set(t.hashFailures());
      down += t.downloaded();
      up += t.uploaded();
      downRate += t.downloadRate();
      upRate += t.uploadRate();
      connected += t.peers();
      failures += t.hashFailures();
    }
    for (var it = torrents.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!seen.contains(e.getKey())) {
        e.getValue().meters.forEach(registry::remove);
        it.remove();
      }
    }
    downloaded.set(down);
    uploaded.set(up);
    downloadRate.set(downRate);
    uploadRate.set(upRate);
    peers.set(connected);
    hashFailures.set(failures);
    return registry.scrape();
  }

  private TorrentFigures register(TorrentSnapshot t) {
    TorrentFigures f = new TorrentFigures();
    Tags tags = Tags.of("info_hash", t.infoHash().hex(), "id", String.valueOf(t.id()));
    f.meters.add(FunctionCounter.builder("swarmshare.torrent.downloaded", f.downloaded, AtomicLong::get)
        .baseUnit("bytes").tags(tags).register(registry));
    f.meters.add(FunctionCounter.builder("swarmshare.torrent.uploaded", f.uploaded, AtomicLong::get)
        .baseUnit("bytes").tags(tags).register(registry));
    f.meters.add(Gauge.builder("swarmshare.torrent.peers", f.peers, AtomicLong::get).tags(tags).register(registry));
    f.meters.add(Gauge.builder("swarmshare.torrent.pieces.have", f.piecesHave, AtomicLong::get).tags(tags)
        .register(registry));
    f.meters.add(Gauge.builder("swarmshare.torrent.pieces", t, x -> x.pieceCount()).tags(tags).register(registry));
    f.meters.add(FunctionCounter.builder("swarmshare.torrent.hash.failures", f.hashFailures, AtomicLong::get)
        .tags(tags).register(registry));
    return f;
  }
}
