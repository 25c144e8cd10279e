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
import com.typesafe.config.Config;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.tracker.TrackerUrl;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.tracker.AnnounceCounts;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The daemon's Prometheus metrics ({@code GET /metrics}), through Micrometer: bytes down and up
 * per torrent and in total, peers, pieces, hash failures, torrents by state, announces and their
 * failures per tracker, the disk pool's queue, the checking queue, rates, and the JVM's own. Read
 * from the Session's snapshots and node status at each scrape; a torrent's meters go when the
 * torrent does.
 *
 * <p>Announces are counted per tracker across the torrents, labelled by the tracker's scheme, host
 * and port only (a private tracker's path or query often holds the user's passkey). At most
 * {@code max-tracker-labels} trackers get a label of their own, the first seen first; the rest are
 * summed under {@code tracker="other"}. A tracker that no torrent names any more gives its label
 * up. The counters only grow: each scrape adds what each torrent's counts grew by since the last
 * (a torrent's counts start again from zero when it restarts).
 */
public final class DaemonMetrics {

  /** The label of the trackers past the cap, and of URLs that do not parse. */
  static final String OTHER = "other";

  /** A tracker's counters and, if it has a label of its own, its meters. */
  private static final class TrackerFigures {
    final AtomicLong announces = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final List<Meter> meters = new ArrayList<>();
  }

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
  private final AtomicLong diskWaiting = new AtomicLong();
  private final AtomicLong diskRunning = new AtomicLong();
  private final AtomicLong checkWaiting = new AtomicLong();
  private final AtomicLong checking = new AtomicLong();
  private final int maxTrackerLabels;
  private final Map<String, TrackerFigures> trackers = new LinkedHashMap<>();
  private final TrackerFigures otherTrackers;
  /** Each torrent's announce counts per tracker URL at the last scrape, to add only what they grew by. */
  private final Map<InfoHash, Map<String, AnnounceCounts.Count>> lastCounts = new HashMap<>();

  /** {@code swarmshare.daemon.metrics.max-tracker-labels}, checked. */
  public static int maxTrackerLabels(Config root) {
    int max = root.getInt("swarmshare.daemon.metrics.max-tracker-labels");
    if (max < 0) {
      throw new IllegalArgumentException("swarmshare.daemon.metrics.max-tracker-labels must be 0 or more");
    }
    return max;
  }

  public DaemonMetrics(int maxTrackerLabels) {
    this.maxTrackerLabels = maxTrackerLabels;
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    for (TorrentState state : TorrentState.values()) {
      AtomicLong count = new AtomicLong();
      byState.put(state, count);
      Gauge.builder("swarmshare.torrents", count, AtomicLong::get).description("Torrents in each state")
          .tag("state", state.name().toLowerCase(Locale.ROOT)).register(registry);
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
    Gauge.builder("swarmshare.disk.queue", diskWaiting, AtomicLong::get)
        .description("Disk reads, writes and hashes waiting for a thread of the disk pool").register(registry);
    Gauge.builder("swarmshare.disk.running", diskRunning, AtomicLong::get)
        .description("Disk reads, writes and hashes running on the disk pool").register(registry);
    Gauge.builder("swarmshare.checking.queue", checkWaiting, AtomicLong::get).tag("stage", "waiting")
        .description("Torrents in the checking queue: waiting their turn, or checking").register(registry);
    Gauge.builder("swarmshare.checking.queue", checking, AtomicLong::get).tag("stage", "checking")
        .description("Torrents in the checking queue: waiting their turn, or checking").register(registry);
    otherTrackers = registerTracker(OTHER);
  }

  /** The text exposition of every metric, with the torrents as {@code now} and the node as {@code node}. */
  /** A gauge read from {@code value} at each scrape, for a count kept elsewhere (the web UI's streams). */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  public synchronized String scrape(List<TorrentSnapshot> now, Session.NodeStatus node) {
    diskWaiting.set(node.diskWaiting());
    diskRunning.set(node.diskRunning());
    checkWaiting.set(node.checkWaiting());
    checking.set(node.checking());
    countAnnounces(now);
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

  private void countAnnounces(List<TorrentSnapshot> now) {
    Set<String> named = new HashSet<>();
    for (TorrentSnapshot t : now) {
      t.trackers().forEach(c -> named.add(label(c.tracker())));
    }
    for (var it = trackers.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getKey().equals(OTHER) && !named.contains(e.getKey())) {
        e.getValue().meters.forEach(registry::remove);
        it.remove();
      }
    }
    Map<InfoHash, Map<String, AnnounceCounts.Count>> seen = new HashMap<>();
    for (TorrentSnapshot t : now) {
      Map<String, AnnounceCounts.Count> before = lastCounts.getOrDefault(t.infoHash(), Map.of());
      Map<String, AnnounceCounts.Count> counts = new HashMap<>();
      for (AnnounceCounts.Count c : t.trackers()) {
        counts.put(c.tracker(), c);
        AnnounceCounts.Count last = before.get(c.tracker());
        TrackerFigures f = figuresOf(label(c.tracker()));
        f.announces.addAndGet(grown(last == null ? 0 : last.announces(), c.announces()));
        f.failures.addAndGet(grown(last == null ? 0 : last.failures(), c.failures()));
      }
      seen.put(t.infoHash(), counts);
    }
    lastCounts.clear();
    lastCounts.putAll(seen);
  }

  /** What a count grew by; a smaller count has started again from zero (the torrent restarted). */
  static long grown(long before, long now) {
    return now >= before ? now - before : now;
  }

  /** scheme://host:port, never the path or query (a private tracker's passkey lives there). */
  static String label(String url) {
    try {
      TrackerUrl u = TrackerUrl.parse(url);
      String host = u.host().contains(":") && !u.host().startsWith("[") ? "[" + u.host() + "]" : u.host();
      return u.scheme() + "://" + host.toLowerCase(Locale.ROOT) + ":" + u.port();
    } catch (MalformedMessageException e) {
      return OTHER;
    }
  }

  private TrackerFigures figuresOf(String label) {
    TrackerFigures f = trackers.get(label);
    if (f != null) {
      return f;
    }
    // "other" is always there, so a label of its own is one of at most maxTrackerLabels more.
    return trackers.size() - 1 < maxTrackerLabels ? registerTracker(label) : otherTrackers;
  }

  private TrackerFigures registerTracker(String label) {
    TrackerFigures f = new TrackerFigures();
    f.meters.add(FunctionCounter.builder("swarmshare.announces", f.announces, AtomicLong::get).tag("tracker", label)
        .description("Announces a tracker answered, for every torrent").register(registry));
    f.meters.add(FunctionCounter.builder("swarmshare.announce.failures", f.failures, AtomicLong::get)
        .tag("tracker", label).description("Announces that failed: refused, unreadable or unanswered after retries")
        .register(registry));
    trackers.put(label, f);
    return f;
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
