package io.swarmshare.launcher;

import com.typesafe.config.Config;
import io.swarmshare.daemon.DaemonSettings;
import io.swarmshare.daemon.TorrentAdder;
import io.swarmshare.daemon.complete.OnComplete;
import io.swarmshare.daemon.fetch.HttpFetcher;
import io.swarmshare.daemon.metrics.DaemonMetrics;
import io.swarmshare.daemon.metrics.MetricsRoute;
import io.swarmshare.daemon.rpc.BrowserLogins;
import io.swarmshare.daemon.rpc.RpcAccess;
import io.swarmshare.daemon.rpc.SessionInfo;
import io.swarmshare.daemon.rpc.SpeedLimits;
import io.swarmshare.daemon.rpc.TorrentFields;
import io.swarmshare.daemon.rpc.TransmissionRpc;
import io.swarmshare.daemon.watch.WatchDir;
import io.swarmshare.daemon.watch.WatchSettings;
import io.swarmshare.daemon.web.WebSettings;
import io.swarmshare.daemon.web.WebUi;
import io.swarmshare.peer.PeerSettings;
import io.swarmshare.peer.session.TorrentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node run as a daemon, started in this one way by {@code daemon} and by {@code node} (a file
 * with a {@code swarmshare.daemon} section): its session keeps its torrents under the data
 * directory and takes up those it held, and once it listens it serves Transmission's RPC, the web
 * UI and {@code /metrics} on the RPC's port, runs the on-complete command and adds what lands in
 * the watch directory.
 */
final class DaemonNode {

  private static final Logger log = LoggerFactory.getLogger(DaemonNode.class);

  private final DaemonSettings settings;
  private final PeerSettings peer;
  private final WatchSettings watch;
  private final WebSettings web;
  private final int maxTrackerLabels;
  private final Optional<String> onComplete;
  private final PeerNode node;
  private final int restored;

  private DaemonNode(DaemonSettings settings, PeerSettings peer, WatchSettings watch, WebSettings web,
      int maxTrackerLabels, Optional<String> onComplete, PeerNode node, int restored) {
    this.settings = settings;
    this.peer = peer;
    this.watch = watch;
    this.web = web;
    this.maxTrackerLabels = maxTrackerLabels;
    this.onComplete = onComplete;
    this.node = node;
    this.restored = restored;
  }

  /**
   * The daemon's node, its actor system named {@code name}, not yet listening: a node file's
   * tracker starts in it first. Its settings are read and checked before anything is made; a bad
   * one is an {@link IllegalArgumentException} or a {@code ConfigException}, for the caller to name
   * its file. Then the directories are made and the torrents held before are read back.
   */
  static DaemonNode create(Config config, String name) throws IOException {
    DaemonSettings settings = DaemonSettings.from(config);
    PeerSettings peer = PeerSettings.from(config);
    WatchSettings watch = WatchSettings.from(config);
    WebSettings web = WebSettings.from(config);
    int maxTrackerLabels = DaemonMetrics.maxTrackerLabels(config);
    Optional<String> onComplete = OnComplete.command(config);
    Files.createDirectories(settings.downloadDir());
    if (watch.dir().isPresent()) {
      Files.createDirectories(watch.dir().get());
    }
    TorrentStore store = new TorrentStore(Files.createDirectories(settings.dataDir()));
    List<TorrentStore.Stored> restored = store.load(settings.downloadDir());
    PeerNode node = PeerNode.create(config, name, Optional.of(store), restored);
    return new DaemonNode(settings, peer, watch, web, maxTrackerLabels, onComplete, node, restored.size());
  }

  PeerNode node() {
    return node;
  }

  /**
   * Binds the peer port, then the RPC's, starts the on-complete command and the watch directory,
   * and logs that the daemon is up. If it fails, the caller stops the node.
   */
  void start() throws Exception {
    node.listen();
    SessionInfo info = new SessionInfo("4.0.0 (swarmshare " + Main.Version.number() + ")", settings.dataDir(),
        settings.downloadDir(), node.address(), peer.maxConnections(), peer.maxPeersPerTorrent(),
        SpeedLimits.initial(peer.downloadLimit(), peer.uploadLimit(), settings.altSpeedDown(), settings.altSpeedUp()),
        Instant.now());
    RpcAccess access = new RpcAccess(settings, new BrowserLogins(web.loginLifetime(), web.maxLogins(),
        Clock.systemUTC()));
    TransmissionRpc rpc = new TransmissionRpc(node.session(), node.system().scheduler(), settings, info, access);
    MetricsRoute metrics = new MetricsRoute(node.session(), node.system().scheduler(), access, maxTrackerLabels);
    WebUi ui = new WebUi(node.session(), node.system().scheduler(), access,
        new TorrentFields(info.peerLimitPerTorrent()), web,
        new HttpFetcher(settings.torrentUrlTimeout(), settings.torrentUrlMaxRedirects()));
    metrics.gauge("swarmshare.web.event.streams", "Web UI pages following the session's events now",
        ui::openStreams);
    ServerBinding binding = bind(rpc.concat(rpc.routes(), metrics.route(), ui.routes()));
    if (onComplete.isPresent()) {
      node.system().systemActorOf(OnComplete.create(node.session(), onComplete.get()), "on-complete",
          Props.empty());
    }
    if (watch.dir().isPresent()) {
      node.system().systemActorOf(WatchDir.create(watch.dir().get(), watch.interval(), settings.downloadDir(),
          new TorrentAdder(node.session(), node.system().scheduler(), settings.maxTorrentBytes())), "watch-dir",
          Props.empty());
    }
    log.info("daemon up: RPC at http://{}:{}/transmission/rpc, peers on port {}, {} torrents, data in {}",
        settings.rpcHost(), binding.localAddress().getPort(), node.address().getPort(), restored,
        settings.dataDir());
    log.info("web UI at http://{}:{}/", settings.rpcHost(), binding.localAddress().getPort());
  }

  private ServerBinding bind(Route routes) throws Exception {
    try {
      return Http.get(node.system()).newServerAt(settings.rpcHost(), settings.rpcPort()).bind(routes)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new Main.CommandFailure("cannot listen for the RPC on " + settings.rpcHost() + ":" + settings.rpcPort()
          + ": " + cause.getMessage());
    }
  }
}
