package io.swarmshare.daemon;

import com.typesafe.config.Config;
import io.swarmshare.daemon.rpc.TransmissionRpc;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The daemon's settings, read once from {@code swarmshare.daemon}; reference.conf says what each is. */
public record DaemonSettings(
    Path dataDir,
    Path downloadDir,
    Path downloadRoot,
    String rpcHost,
    int rpcPort,
    String rpcUsername,
    String rpcPassword,
    List<String> rpcHostWhitelist,
    long maxRequestBytes,
    int maxTorrentBytes,
    Duration torrentUrlTimeout,
    int torrentUrlMaxRedirects,
    long altSpeedDown,
    long altSpeedUp) {

  public static DaemonSettings from(Config root) {
    Config c = root.getConfig("swarmshare.daemon");
    Path downloadDir = Path.of(c.getString("download-dir")).toAbsolutePath().normalize();
    String rootSetting = c.getString("download-root");
    DaemonSettings s = new DaemonSettings(
        Path.of(c.getString("data-dir")).toAbsolutePath().normalize(),
        downloadDir,
        rootSetting.isEmpty() ? downloadDir : Path.of(rootSetting).toAbsolutePath().normalize(),
        c.getString("rpc-host"),
        c.getInt("rpc-port"),
        c.getString("rpc-username"),
        c.getString("rpc-password"),
        List.copyOf(c.getStringList("rpc-host-whitelist")),
        c.getBytes("max-request-size"),
        (int) Math.min(Integer.MAX_VALUE - 1, c.getBytes("max-torrent-size")),
        c.getDuration("torrent-url.timeout"),
        c.getInt("torrent-url.max-redirects"),
        c.getBytes("alt-speed-down"),
        c.getBytes("alt-speed-up"));
    if (s.altSpeedDown < 0 || s.altSpeedUp < 0) {
      throw new IllegalArgumentException("swarmshare.daemon.alt-speed-down and alt-speed-up must not be negative");
    }
    if (s.torrentUrlTimeout.isNegative() || s.torrentUrlTimeout.isZero() || s.torrentUrlMaxRedirects < 0) {
      throw new IllegalArgumentException("swarmshare.daemon.torrent-url.timeout must be positive and max-redirects"
          + " not negative");
    }
    if (s.rpcPort < 0 || s.rpcPort > 65535) {
      throw new IllegalArgumentException("swarmshare.daemon.rpc-port must be 0..65535, got " + s.rpcPort);
    }
    if (!s.downloadDir.startsWith(s.downloadRoot)) {
      throw new IllegalArgumentException("swarmshare.daemon.download-dir " + s.downloadDir
          + " is outside download-root " + s.downloadRoot);
    }
    if (!s.rpcOnLoopback() && (s.rpcUsername.isEmpty() || s.rpcPassword.isEmpty())) {
      throw new IllegalArgumentException("the RPC on " + s.rpcHost + " is reachable from other machines: set "
          + "swarmshare.daemon.rpc-username and rpc-password (there is no default password)");
    }
    return s;
  }

  /** Whether the RPC listens on loopback only, where no login is needed. */
  public boolean rpcOnLoopback() {
    try {
      return InetAddress.getByName(rpcHost).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("swarmshare.daemon.rpc-host: cannot resolve " + rpcHost);
    }
  }

  /**
   * Where a torrent asked for with {@code requested} (empty for the default) is saved; a
   * directory outside the download root is refused, so that no RPC call writes elsewhere.
   */
  public Path allowedDownloadDir(String requested) {
    return allowedDownloadDir("download-dir", requested);
  }

  /** As {@link #allowedDownloadDir(String)}, for the argument {@code key}. */
  public Path allowedDownloadDir(String key, String requested) {
    if (requested.isEmpty()) {
      return downloadDir;
    }
    Path dir;
    try {
      dir = Path.of(requested).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new TransmissionRpc.RpcError(key + " " + requested + " is not a path: " + e.getReason());
    }
    if (!dir.startsWith(downloadRoot)) {
      throw new TransmissionRpc.RpcError(key + " " + requested + " is outside the download root " + downloadRoot);
    }
    return dir;
  }
}
