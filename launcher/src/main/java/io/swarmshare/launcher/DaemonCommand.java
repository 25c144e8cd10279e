package io.swarmshare.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
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
    DaemonNode daemon;
    try {
      daemon = DaemonNode.create(config, "swarmshare");
    } catch (IllegalArgumentException | ConfigException e) {
      throw new Main.CommandFailure((configFile == null ? "" : configFile + ": ") + e.getMessage());
    }
    try {
      daemon.start();
    } catch (Exception e) {
      daemon.node().stop();
      throw e;
    }
    daemon.node().awaitTermination();
    return 0;
  }
}
