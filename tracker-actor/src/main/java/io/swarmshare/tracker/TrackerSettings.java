package io.swarmshare.tracker;

import com.typesafe.config.Config;
import io.swarmshare.messages.tracker.IpLiteral;
import io.swarmshare.tracker.catalogue.Publishers;
import io.swarmshare.tracker.registry.Registry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The tracker's settings, read once from {@code swarmshare.tracker}; reference.conf says what each is. */
public record TrackerSettings(
    String host,
    int port,
    Path dataDir,
    Duration announceInterval,
    Duration minAnnounceInterval,
    Duration peerTimeout,
    Duration sweepInterval,
    int defaultNumWant,
    int maxNumWant,
    boolean trustIpField,
    Set<InetAddress> trustedProxies,
    long maxPeers,
    long maxTorrentSize,
    int maxCatalogueEntries,
    long maxCatalogueBytes,
    int cataloguePageSize,
    int catalogueMaxPageSize,
    List<Publishers.Key> publishKeys,
    int publishBurst,
    long udpReceiveBuffer,
    PerAddress perAddress,
    int rateTableSize,
    Http http,
    Web web,
    Duration restartMinBackoff,
    Duration restartMaxBackoff) {

  /** What one source address may hold and send; 0 turns a limit off. */
  public record PerAddress(int maxPeers, int maxSwarms, double udpRate, int udpBurst, double httpRate,
      int httpBurst, int httpConnections) {}

  /** What holds an HTTP connection open, and how many may be. */
  public record Http(int maxConnections, Duration headerTimeout, Duration requestTimeout, Duration idleTimeout) {}

  /**
   * The page at {@code /}: who may see peers' full addresses ({@code adminKey}; empty: nobody), how
   * often the traffic graph is sampled and how far back it reaches, and what one listing may cost.
   */
  public record Web(String adminKey, Duration sampleInterval, Duration history, int maxListedSwarms,
      Duration swarmsRefresh, int maxPeersListed) {

    /** The shortest admin key accepted: too long to guess within the HTTP rate limit. */
    public static final int MIN_ADMIN_KEY_LENGTH = 16;

    /** Samples the graph's ring holds: one more than the rates it draws. */
    public int historySamples() {
      return (int) (history.toMillis() / sampleInterval.toMillis()) + 1;
    }

    @Override
    public String toString() {
      return "Web[admin key " + (adminKey.isEmpty() ? "none" : "set") + ", " + sampleInterval + ", " + history
          + ", " + maxListedSwarms + ", " + swarmsRefresh + ", " + maxPeersListed + "]";
    }
  }

  public static TrackerSettings from(Config root) {
    Config c = root.getConfig("swarmshare.tracker");
    TrackerSettings s = new TrackerSettings(
        c.getString("host"),
        c.getInt("port"),
        Path.of(c.getString("data-dir")),
        c.getDuration("announce-interval"),
        c.getDuration("min-announce-interval"),
        c.getDuration("peer-timeout"),
        c.getDuration("sweep-interval"),
        c.getInt("default-num-want"),
        c.getInt("max-num-want"),
        c.getBoolean("trust-ip-field"),
        addresses(c, "trusted-proxies"),
        c.getLong("max-peers"),
        c.getBytes("max-torrent-size"),
        c.getInt("max-catalogue-entries"),
        c.getBytes("max-catalogue-bytes"),
        c.getInt("catalogue-page-size"),
        c.getInt("catalogue-max-page-size"),
        publishKeys(c),
        c.getInt("publish-burst"),
        c.getBytes("udp-receive-buffer"),
        new PerAddress(
            c.getInt("per-address.max-peers"),
            c.getInt("per-address.max-swarms"),
            c.getDouble("per-address.udp-rate"),
            c.getInt("per-address.udp-burst"),
            c.getDouble("per-address.http-rate"),
            c.getInt("per-address.http-burst"),
            c.getInt("per-address.http-connections")),
        c.getInt("rate-table-size"),
        new Http(
            c.getInt("http.max-connections"),
            c.getDuration("http.header-timeout"),
            c.getDuration("http.request-timeout"),
            c.getDuration("http.idle-timeout")),
        new Web(
            c.getString("web.admin-key"),
            c.getDuration("web.sample-interval"),
            c.getDuration("web.history"),
            c.getInt("web.max-listed-swarms"),
            c.getDuration("web.swarms-refresh"),
            c.getInt("web.max-peers-listed")),
        c.getDuration("restart-min-backoff"),
        c.getDuration("restart-max-backoff"));
    s.validate();
    return s;
  }

  private static List<Publishers.Key> publishKeys(Config c) {
    List<Publishers.Key> keys = new ArrayList<>();
    for (Config k : c.getConfigList("publish-keys")) {
      keys.add(new Publishers.Key(k.getString("name"), k.getString("key"), k.getBytes("quota"), k.getDouble("per-hour")));
    }
    return List.copyOf(keys);
  }

  private static Set<InetAddress> addresses(Config c, String path) {
    Set<InetAddress> out = new LinkedHashSet<>();
    for (String text : c.getStringList(path)) {
      out.add(IpLiteral.parse(text).orElseThrow(() -> new IllegalArgumentException(
          "swarmshare.tracker." + path + ": '" + text + "' is not an IP address")));
    }
    return Set.copyOf(out);
  }

  private void validate() {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("swarmshare.tracker.port must be 0..65535, got " + port);
    }
    if (peerTimeout.compareTo(announceInterval) <= 0) {
      throw new IllegalArgumentException(
          "swarmshare.tracker.peer-timeout (" + peerTimeout + ") must be longer than announce-interval ("
              + announceInterval + ")");
    }
    if (timeoutTicks() >= Registry.MAX_TIMEOUT_TICKS) {
      throw new IllegalArgumentException("swarmshare.tracker.peer-timeout must be under "
          + Registry.MAX_TIMEOUT_TICKS + " sweep-intervals");
    }
    PerAddress a = perAddress;
    if (a.maxPeers() < 0 || a.maxSwarms() < 0 || a.udpRate() < 0 || a.httpRate() < 0 || a.httpConnections() < 0) {
      throw new IllegalArgumentException("swarmshare.tracker.per-address: limits must not be negative (0 is off)");
    }
    if (a.udpBurst() < 1 || a.httpBurst() < 1 || rateTableSize < 1 || http.maxConnections() < 1) {
      throw new IllegalArgumentException(
          "swarmshare.tracker: per-address.udp-burst, per-address.http-burst, rate-table-size and"
              + " http.max-connections must be at least 1");
    }
    if (cataloguePageSize < 1 || catalogueMaxPageSize < cataloguePageSize || publishBurst < 1) {
      throw new IllegalArgumentException(
          "swarmshare.tracker: need 1 <= catalogue-page-size <= catalogue-max-page-size and publish-burst >= 1");
    }
    if (!web.adminKey().isEmpty() && web.adminKey().length() < Web.MIN_ADMIN_KEY_LENGTH) {
      throw new IllegalArgumentException("swarmshare.tracker.web.admin-key is shorter than "
          + Web.MIN_ADMIN_KEY_LENGTH + " characters: too easy to guess");
    }
    if (web.sampleInterval().toMillis() < 100 || web.history().compareTo(web.sampleInterval()) < 0
        || web.historySamples() > 100_000) {
      throw new IllegalArgumentException("swarmshare.tracker.web: need sample-interval >= 100 ms, history >="
          + " sample-interval, and at most 100000 samples in history");
    }
    if (web.maxListedSwarms() < 1 || web.maxPeersListed() < 1 || web.swarmsRefresh().isNegative()) {
      throw new IllegalArgumentException("swarmshare.tracker.web: max-listed-swarms and max-peers-listed must be"
          + " at least 1, swarms-refresh not negative");
    }
    if (defaultNumWant < 0 || maxNumWant < defaultNumWant) {
      throw new IllegalArgumentException(
          "swarmshare.tracker: need 0 <= default-num-want <= max-num-want");
    }
  }

  /** How many sweeps cover the peer timeout: a silent peer is kept at least that long. */
  public int timeoutTicks() {
    long sweep = sweepInterval.toMillis();
    return (int) Math.max(1, (peerTimeout.toMillis() + sweep - 1) / sweep);
  }

  /** The interval in whole seconds, as announces carry it. */
  public int intervalSeconds() {
    return (int) announceInterval.toSeconds();
  }

  /** The same settings on another port: UDP binds to the port number HTTP got. */
  public TrackerSettings onPort(int newPort) {
    return new TrackerSettings(host, newPort, dataDir, announceInterval, minAnnounceInterval, peerTimeout,
        sweepInterval, defaultNumWant, maxNumWant, trustIpField, trustedProxies, maxPeers, maxTorrentSize, maxCatalogueEntries,
        maxCatalogueBytes, cataloguePageSize, catalogueMaxPageSize, publishKeys, publishBurst,
        udpReceiveBuffer, perAddress, rateTableSize, http, web, restartMinBackoff, restartMaxBackoff);
  }
}
