package io.swarmshare.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.daemon.DaemonSettings;
import io.swarmshare.daemon.TorrentAdder;
import io.swarmshare.daemon.complete.OnComplete;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "daemon",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"Run one long-running node holding many torrents, driven through Transmission's RPC "
        + "(transmission-remote, Sonarr, Radarr, 'swarmshare remote') until Ctrl-C or SIGTERM.",
        "Everything it holds lives under its data directory: after a crash or a reboot it comes back as it was, "
            + "without hashing data that did not change."})
final class DaemonCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(DaemonCommand.class);

  @Option(names = "--config", paramLabel = "FILE",
      description = "A HOCON file with swarmshare.daemon and swarmshare.peer settings (checked first).")
  Path configFile;

  @Option(names = "--data-dir", paramLabel = "D", description = "Where the daemon keeps its torrents and state.")
  Path dataDir;

  @Option(names = "--download-dir", paramLabel = "DIR", description = "Where torrents are saved by default.")
  Path downloadDir;

  @Option(names = "--port", paramLabel = "P", description = "The peer port, TCP (default 6881; 0 picks a free one).")
  Integer port;

  @Option(names = "--rpc-host", paramLabel = "H", description = "Where the RPC listens (default 127.0.0.1).")
  String rpcHost;

  @Option(names = "--rpc-port", paramLabel = "R", description = "The RPC's port (default 9091; 0 picks a free one).")
  Integer rpcPort;

  @Option(names = "--watch-dir", paramLabel = "DIR",
      description = "Add the .torrent files dropped in DIR, then rename them NAME.torrent.added (or .invalid).")
  Path watchDir;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> overrides = new HashMap<>();
    if (dataDir != null) {
      overrides.put("swarmshare.daemon.data-dir", dataDir.toAbsolutePath().toString());
    }
    if (downloadDir != null) {
      overrides.put("swarmshare.daemon.download-dir", downloadDir.toAbsolutePath().toString());
    }
    if (port != null) {
      overrides.put("swarmshare.peer.port", port);
    }
    if (rpcHost != null) {
      overrides.put("swarmshare.daemon.rpc-host", rpcHost);
    }
    if (rpcPort != null) {
      overrides.put("swarmshare.daemon.rpc-port", rpcPort);
    }
    if (watchDir != null) {
      overrides.put("swarmshare.daemon.watch-dir", watchDir.toAbsolutePath().toString());
    }
    Config config = configFile == null ? NodeConfig.load(overrides)
        : ConfigFactory.parseMap(overrides).withFallback(NodeFile.load(configFile)).resolve();
    DaemonSettings settings;
    PeerSettings peer;
    WatchSettings watch;
    WebSettings web;
    int maxTrackerLabels;
    Optional<String> onComplete;
    try {
      settings = DaemonSettings.from(config);
      peer = PeerSettings.from(config);
      watch = WatchSettings.from(config);
      web = WebSettings.from(config);
      maxTrackerLabels = DaemonMetrics.maxTrackerLabels(config);
      onComplete = OnComplete.command(config);
    } catch (IllegalArgumentException | ConfigException e) {
      throw new Main.CommandFailure((configFile == null ? "" : configFile + ": ") + e.getMessage());
    }
    Files.createDirectories(settings.downloadDir());
    if (watch.dir().isPresent()) {
      Files.createDirectories(watch.dir().get());
    }
    TorrentStore store = new TorrentStore(Files.createDirectories(settings.dataDir()));
    List<TorrentStore.Stored> restored = store.load(settings.downloadDir());
    PeerNode node = PeerNode.create(config, "swarmshare", Optional.of(store), restored);
    try {
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
          new TorrentFields(info.peerLimitPerTorrent()), web);
      metrics.gauge("swarmshare.web.event.streams", "Web UI pages following the session's events now",
          ui::openStreams);
      ServerBinding binding = bind(node, settings, rpc.concat(rpc.routes(), metrics.route(), ui.routes()));
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
          settings.rpcHost(), binding.localAddress().getPort(), node.address().getPort(), restored.size(),
          settings.dataDir());
      log.info("web UI at http://{}:{}/", settings.rpcHost(), binding.localAddress().getPort());
    } catch (Exception e) {
      node.stop();
      throw e;
    }
    node.awaitTermination();
    return 0;
  }

  private static ServerBinding bind(PeerNode node, DaemonSettings settings, Route routes) throws Exception {
    try {
      return Http.get(node.system()).newServerAt(settings.rpcHost(), settings.rpcPort()).bind(routes)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new Main.CommandFailure("cannot listen for the RPC on " + settings.rpcHost() + ":" + settings.rpcPort()
          + ": " + cause.getMessage());
    }
  }
}
