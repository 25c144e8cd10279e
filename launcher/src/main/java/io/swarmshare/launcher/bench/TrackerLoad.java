package io.swarmshare.launcher.bench;

import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A BEP 15 load generator for benchmarking UDP trackers on loopback (see bench/tracker.sh):
 *
 * <pre>
 * java -cp launcher/target/swarmshare.jar io.swarmshare.launcher.bench.TrackerLoad \
 *     --port 6969 --window 64 --seconds 10
 * </pre>
 *
 * <p>Prints one report line of {@code key=value} pairs on stdout and nothing else there; notes go
 * to stderr. Exit codes: 0 the run completed (a fill: every peer acknowledged), 1 it could not
 * run or a fill fell short, 2 bad command line.
 */
@Command(
    name = "TrackerLoad",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Keeps W BEP 15 announces in flight against a UDP tracker on loopback and reports"
          + " responses/s, errors, timeouts and latency percentiles (mode load), or registers"
          + " many distinct peers once each so that the tracker's memory can be measured"
          + " (mode fill).",
      "Peer p announces into torrent p %% T from 127.0.0.(1 + p / 65535) with port"
          + " 1 + p %% 65535; info hashes are SHA-1(\"swarmshare-bench-<seed>-<i>\")."
    })
public final class TrackerLoad implements Callable<Integer> {

  private static final int MAX_TORRENTS = 1_000_000;

  @Spec CommandSpec spec;

  @Option(names = "--mode", defaultValue = "load",
      description = "load: a fixed window of announces for a fixed time; fill: every peer"
          + " announces started once. Default: ${DEFAULT-VALUE}.")
  AnnounceLoop.Mode mode;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "The tracker's address; must be IPv4 loopback. Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(names = "--port", description = "The tracker's UDP port.")
  Integer port;

  @Option(names = "--window", defaultValue = "64",
      description = "Requests kept in flight (1.." + AnnounceLoop.MAX_WINDOW
          + "). Default: ${DEFAULT-VALUE}.")
  int window;

  @Option(names = "--seconds",
      description = "load: the measured time (default 10); fill: a cap on the whole fill"
          + " (default 300).")
  Double seconds;

  @Option(names = "--warmup", defaultValue = "2",
      description = "load: seconds before measuring, extended until every peer has been answered"
          + " once (by at most 10 s). Default: ${DEFAULT-VALUE}.")
  double warmup;

  @Option(names = "--torrents", defaultValue = "1000",
      description = "Torrents in the pool. Default: ${DEFAULT-VALUE}.")
  int torrents;

  @Option(names = "--peers", defaultValue = "10000",
      description = "Distinct peers in the pool. Default: ${DEFAULT-VALUE}.")
  int peers;

  @Option(names = "--timeout-ms", defaultValue = "1000",
      description = "A request unanswered this long is counted and sent again."
          + " Default: ${DEFAULT-VALUE}.")
  int timeoutMs;

  @Option(names = "--num-want", defaultValue = "50",
      description = "The num_want of every announce; -1 leaves it to the tracker."
          + " Default: ${DEFAULT-VALUE}.")
  int numWant;

  @Option(names = "--seed", defaultValue = "0",
      description = "Derives the info hashes and peer ids. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--sockets", defaultValue = "1",
      description = "Sockets per source address (1..64). Default: ${DEFAULT-VALUE}.")
  int sockets;

  @Option(names = "--seeders-percent", defaultValue = "10",
      description = "Share of the peers that seed (left = 0). Default: ${DEFAULT-VALUE}.")
  int seedersPercent;

  @Option(names = "--retries", defaultValue = "3",
      description = "fill: how often a peer's announce is retried after an error response."
          + " Default: ${DEFAULT-VALUE}.")
  int retries;

  @Option(names = "--ports-per-address", defaultValue = "65535", hidden = true,
      description = "Peers per source address before the next one is used (tests).")
  int portsPerAddress;

  @Option(names = "--print-info-hashes",
      description = "Print the pool's --torrents info hashes in hex, one a line (a whitelist"
          + " for opentracker), and exit.")
  boolean printInfoHashes;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine line = new CommandLine(new TrackerLoad());
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("TrackerLoad: " + e.getMessage());
      return 1;
    });
    line.setParameterExceptionHandler((e, argv) -> {
      e.getCommandLine().getErr().println(
          "TrackerLoad: " + e.getMessage() + " (see 'TrackerLoad --help')");
      return 2;
    });
    return line.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    check(torrents >= 1 && torrents <= MAX_TORRENTS, "--torrents is 1.." + MAX_TORRENTS);
    PrintWriter out = spec.commandLine().getOut();
    if (printInfoHashes) {
      HexFormat hex = HexFormat.of();
      for (int t = 0; t < torrents; t++) {
        out.println(hex.formatHex(BenchSwarm.infoHash(seed, t)));
      }
      out.flush();
      return 0;
    }
    check(port != null && port >= 1 && port <= 65535, "--port 1..65535 is required");
    check(window >= 1 && window <= AnnounceLoop.MAX_WINDOW,
        "--window is 1.." + AnnounceLoop.MAX_WINDOW);
    double duration = seconds != null ? seconds : mode == AnnounceLoop.Mode.LOAD ? 10 : 300;
    check(duration > 0 && duration <= 3600, "--seconds is more than 0 and at most 3600");
    check(warmup >= 0 && warmup <= 600, "--warmup is 0..600");
    check(timeoutMs >= 1 && timeoutMs <= 60_000, "--timeout-ms is 1..60000");
    check(numWant >= -1, "--num-want is -1 or more");
    check(sockets >= 1 && sockets <= 64, "--sockets is 1..64");
    check(retries >= 0 && retries <= 100, "--retries is 0..100");
    check(peers >= 1, "--peers is 1 or more");
    BenchSwarm swarm;
    try {
      swarm = new BenchSwarm(seed, torrents, peers, portsPerAddress, seedersPercent);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    AnnounceLoop.Settings settings = new AnnounceLoop.Settings(
        mode, new InetSocketAddress(loopback(host), port), swarm, window,
        (long) (warmup * 1e9), (long) (duration * 1e9), timeoutMs * 1_000_000L, numWant,
        sockets, retries);

    LoadReport report;
    try (AnnounceLoop loop = new AnnounceLoop(settings)) {
      report = loop.run();
      loop.describeProblems(System.err);
    }
    out.println(report.line());
    out.flush();
    if (mode == AnnounceLoop.Mode.FILL && report.acknowledged() < peers) {
      spec.commandLine().getErr().println("TrackerLoad: only " + report.acknowledged() + " of "
          + peers + " peers were acknowledged");
      return 1;
    }
    return 0;
  }

  /** The benchmark floods whatever it targets, so it only targets this machine. */
  private Inet4Address loopback(String name) {
    InetAddress address;
    try {
      address = InetAddress.getByName(name);
    } catch (UnknownHostException e) {
      throw new ParameterException(spec.commandLine(), "--host " + name + ": unknown host");
    }
    if (!(address instanceof Inet4Address v4) || !address.isLoopbackAddress()) {
      throw new ParameterException(spec.commandLine(),
          "--host must be an IPv4 loopback address (127.x.y.z), got " + name);
    }
    return v4;
  }

  private void check(boolean condition, String message) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}
