package io.swarmshare.daemon.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.SeedingGoals;
import io.swarmshare.peer.session.TorrentQueue;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The node-wide facts the RPC reports ({@code session-get}, {@code session-stats}) and the
 * node-wide limits it changes ({@code session-set}). Speeds are in Transmission's units: kB/s of
 * 1,000 bytes. The "current" statistics count from this daemon's start; the cumulative ones are
 * the lifetime totals of the torrents the daemon holds.
 */
public final class SessionInfo {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  static final int MAX_STALLED_MINUTES = 65_535;

  private final String version;
  private final Path dataDir;
  private final Path downloadDir;
  private final InetSocketAddress peerAddress;
  private final int peerLimitGlobal;
  private final int peerLimitPerTorrent;
  private final Instant started;
  private final AtomicReference<SpeedLimits> limits;
  /** Per torrent, its totals when this daemon first saw it: the base of the current statistics. */
  private final Map<InfoHash, long[]> baseline = new HashMap<>();

  /** The facts of a node whose peers connect to {@code peerAddress}, started with these {@code limits}. */
  public SessionInfo(String version, Path dataDir, Path downloadDir, InetSocketAddress peerAddress,
      int peerLimitGlobal, int peerLimitPerTorrent, SpeedLimits limits, Instant started) {
    this.version = version;
    this.dataDir = dataDir;
    this.downloadDir = downloadDir;
    this.peerAddress = peerAddress;
    this.peerLimitGlobal = peerLimitGlobal;
    this.peerLimitPerTorrent = peerLimitPerTorrent;
    this.limits = new AtomicReference<>(limits);
    this.started = started;
  }

  public int peerLimitPerTorrent() {
    return peerLimitPerTorrent;
  }

  ObjectNode sessionGet(String sessionId, Session.Policy policy) {
    ObjectNode o = JSON.objectNode();
    o.put("version", version);
    o.put("rpc-version", TransmissionRpc.RPC_VERSION);
    o.put("rpc-version-minimum", 14);
    o.put("rpc-version-semver", "5.3.0");
    o.put("session-id", sessionId);
    o.put("config-dir", dataDir.toString());
    o.put("download-dir", downloadDir.toString());
    o.put("peer-port", peerAddress.getPort());
    o.put("peer-port-random-on-start", false);
    o.put("port-forwarding-enabled", false);
    o.put("peer-limit-global", peerLimitGlobal);
    o.put("peer-limit-per-torrent", peerLimitPerTorrent);
    limits.get().write(o);
    o.put("alt-speed-time-enabled", false);
    o.put("alt-speed-time-begin", 540);
    o.put("alt-speed-time-end", 1020);
    o.put("alt-speed-time-day", 127);
    o.put("encryption", "tolerated");
    o.put("dht-enabled", false);
    o.put("pex-enabled", false);
    o.put("lpd-enabled", false);
    o.put("utp-enabled", false);
    TorrentQueue.Limits queue = policy.queue();
    o.put("download-queue-enabled", queue.downloadsQueued());
    o.put("download-queue-size", queue.downloads());
    o.put("seed-queue-enabled", queue.seedsQueued());
    o.put("seed-queue-size", queue.seeds());
    o.put("queue-stalled-enabled", queue.stalledFreed());
    o.put("queue-stalled-minutes", queue.stalledAfter().toMinutes());
    SeedingGoals.Node goals = policy.goals();
    o.put("seedRatioLimited", goals.ratioLimited());
    o.put("seedRatioLimit", goals.ratio());
    o.put("idle-seeding-limit-enabled", goals.idleLimited());
    // Transmission counts the idle limit in whole minutes; a setting of seconds shows as at least one.
    o.put("idle-seeding-limit", Math.max(1, goals.idle().toMinutes()));
    o.put("start-added-torrents", true);
    o.put("incomplete-dir-enabled", false);
    o.put("rename-partial-files", false);
    o.put("blocklist-enabled", false);
    o.put("cache-size-mb", 0);
    ObjectNode units = o.putObject("units");
    units.putArray("speed-units").add("kB/s").add("MB/s").add("GB/s").add("TB/s");
    units.put("speed-bytes", SpeedLimits.UNIT);
    units.putArray("size-units").add("kB").add("MB").add("GB").add("TB");
    units.put("size-bytes", 1000);
    units.putArray("memory-units").add("KiB").add("MiB").add("GiB").add("TiB");
    units.put("memory-bytes", 1024);
    return o;
  }

  /**
   * What {@code session-set} asks of the seeding goals and the queues, checked whole before
   * anything changes: applied to the session's policy as it is then, keys left out stay as they are.
   */
  static UnaryOperator<Session.Policy> policyChange(JsonNode args) {
    Optional<Boolean> ratioLimited = flag(args, "seedRatioLimited");
    Optional<Double> ratio = Optional.ofNullable(args.get("seedRatioLimit")).map(v -> {
      if (!v.isNumber() || !(v.asDouble() >= 0) || Double.isInfinite(v.asDouble())) {
        throw new TransmissionRpc.RpcError("seedRatioLimit must be a number of 0 or more, got " + v);
      }
      return v.asDouble();
    });
    Optional<Boolean> idleLimited = flag(args, "idle-seeding-limit-enabled");
    Optional<Duration> idle = count(args, "idle-seeding-limit", 1, TorrentSettings.MAX_IDLE_MINUTES)
        .map(Duration::ofMinutes);
    Optional<Boolean> downloadsQueued = flag(args, "download-queue-enabled");
    Optional<Integer> downloads = count(args, "download-queue-size", 0, Integer.MAX_VALUE);
    Optional<Boolean> seedsQueued = flag(args, "seed-queue-enabled");
    Optional<Integer> seeds = count(args, "seed-queue-size", 0, Integer.MAX_VALUE);
    Optional<Boolean> stalledFreed = flag(args, "queue-stalled-enabled");
    Optional<Duration> stalledAfter = count(args, "queue-stalled-minutes", 1, MAX_STALLED_MINUTES)
        .map(Duration::ofMinutes);
    return p -> {
      SeedingGoals.Node g = p.goals();
      TorrentQueue.Limits q = p.queue();
      return new Session.Policy(
          new SeedingGoals.Node(ratioLimited.orElse(g.ratioLimited()), ratio.orElse(g.ratio()),
              idleLimited.orElse(g.idleLimited()), idle.orElse(g.idle())),
          new TorrentQueue.Limits(downloadsQueued.orElse(q.downloadsQueued()), downloads.orElse(q.downloads()),
              seedsQueued.orElse(q.seedsQueued()), seeds.orElse(q.seeds()), stalledFreed.orElse(q.stalledFreed()),
              stalledAfter.orElse(q.stalledAfter())));
    };
  }

  private static Optional<Boolean> flag(JsonNode args, String key) {
    return Optional.ofNullable(args.get(key)).map(v -> {
      if (!v.isBoolean()) {
        throw new TransmissionRpc.RpcError(key + " must be true or false, got " + v);
      }
      return v.asBoolean();
    });
  }

  private static Optional<Integer> count(JsonNode args, String key, int min, int max) {
    return Optional.ofNullable(args.get(key)).map(v -> {
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
        throw new TransmissionRpc.RpcError(key + " must be a whole number from " + min + " to " + max + ", got " + v);
      }
      return v.asInt();
    });
  }

  /** The speed limits as they are now. */
  SpeedLimits limits() {
    return limits.get();
  }

  /** Makes {@code changed} the node's speed limits (the session is told them by the caller). */
  void limits(SpeedLimits changed) {
    limits.set(changed);
  }

  /**
   * Whether the node's peer port takes a TCP connection, as {@code port-test}'s
   * {@code port-is-open}: asked from this machine, so it says the port is listening, not that it
   * can be reached through a router or firewall (Transmission asks a server on the internet).
   */
  CompletionStage<Boolean> peerPortOpen(Duration timeout) {
    InetSocketAddress target = peerAddress.getAddress() == null || peerAddress.getAddress().isAnyLocalAddress()
        ? new InetSocketAddress(InetAddress.getLoopbackAddress(), peerAddress.getPort()) : peerAddress;
    CompletableFuture<Boolean> open = new CompletableFuture<>();
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      return CompletableFuture.completedFuture(false);
    }
    channel.connect(target, null, new CompletionHandler<Void, Void>() {
      @Override
      public void completed(Void result, Void attachment) {
        open.complete(true);
      }

      @Override
      public void failed(Throwable failure, Void attachment) {
        open.complete(false);
      }
    });
    return open.completeOnTimeout(false, timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((answer, failure) -> {
      try {
        channel.close();
      } catch (IOException e) {
        // closing a connection we only opened to see that we could
      }
    });
  }

  synchronized ObjectNode sessionStats(List<TorrentSnapshot> torrents) {
    ObjectNode o = JSON.objectNode();
    long active = torrents.stream().filter(TransmissionRpc::active).count();
    o.put("activeTorrentCount", active);
    o.put("pausedTorrentCount", torrents.stream().filter(t -> t.state() == TorrentState.STOPPED).count());
    o.put("torrentCount", torrents.size());
    o.put("downloadSpeed", torrents.stream().mapToLong(TorrentSnapshot::downloadRate).sum());
    o.put("uploadSpeed", torrents.stream().mapToLong(TorrentSnapshot::uploadRate).sum());
    long up = 0;
    long down = 0;
    long upNow = 0;
    long downNow = 0;
    for (TorrentSnapshot t : torrents) {
      long[] base = baseline.computeIfAbsent(t.infoHash(), h -> new long[] {t.downloaded(), t.uploaded()});
      down += t.downloaded();
      up += t.uploaded();
      downNow += t.downloaded() - base[0];
      upNow += t.uploaded() - base[1];
    }
    baseline.keySet().retainAll(torrents.stream().map(TorrentSnapshot::infoHash).collect(Collectors.toSet()));
    long uptime = Duration.between(started, Instant.now()).toSeconds();
    stats(o.putObject("cumulative-stats"), down, up, torrents.size(), uptime);
    stats(o.putObject("current-stats"), downNow, upNow, torrents.size(), uptime);
    return o;
  }

  private static void stats(ObjectNode o, long down, long up, int files, long seconds) {
    o.put("downloadedBytes", down);
    o.put("uploadedBytes", up);
    o.put("filesAdded", files);
    o.put("sessionCount", 1);
    o.put("secondsActive", seconds);
  }
}
