package io.swarmshare.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "swarm",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"Run a multi-node swarm described in one file: each node its own JVM, with its own data "
        + "directory and log under a run directory.",
        "Shows one combined progress view, waits until every fetching node has a verified copy (or the timeout), "
            + "stops the nodes, prints per node the bytes down and up, the time and the result; exit 0 only if every "
            + "node succeeded. See examples/."})
final class SwarmCommand implements Callable<Integer> {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", required = true, description = "The swarm's HOCON file.")
  Path file;

  @Option(names = "--run-dir", paramLabel = "DIR",
      description = "Where each node's configuration, data and log go (default: swarm-run-<time> beside FILE).")
  Path runDir;

  /** One node of the run: its name, how many files it fetches, its process and its status. */
  private record Node(String name, int fetches, NodeStatus log, Process process) {}

  /**
   * What a node has reported so far in its status file (JSON lines, written by {@code node
   * --status-file}). Each {@link #update} reads only the lines appended since the last, so that
   * watching a long run does not read every file whole every second.
   */
  private static final class NodeStatus {
    final Path file;
    final Path log;
    private long offset;
    boolean up;
    int done;
    double percent;
    int lines;
    long downloaded;
    long uploaded;

    NodeStatus(Path file, Path log) {
      this.file = file;
      this.log = log;
    }

    NodeStatus update() throws IOException {
      if (!Files.exists(file)) {
        return this;
      }
      byte[] appended;
      try (InputStream in = Files.newInputStream(file)) {
        in.skipNBytes(offset);
        appended = in.readAllBytes();
      }
      // Only whole lines: a line still being written is read the next time.
      int end = appended.length;
      while (end > 0 && appended[end - 1] != '\n') {
        end--;
      }
      offset += end;
      for (String line : new String(appended, 0, end, StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          JsonNode status = Json.MAPPER.readTree(line);
          lines++;
          up |= status.path("up").asBoolean();
          done = status.path("done").asInt();
          percent = status.path("percent").asDouble();
          downloaded = status.path("downloaded").asLong();
          uploaded = status.path("uploaded").asLong();
        }
      }
      return this;
    }

    /** The node's last line of log, to say why it did not start. */
    String lastLogLine() throws IOException {
      if (!Files.exists(log)) {
        return "(no output)";
      }
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return all.isEmpty() ? "(no output)" : all.get(all.size() - 1);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    Path base = file.toAbsolutePath().getParent();
    Config swarm = parse().getConfig("swarm");
    Duration timeout = swarm.hasPath("timeout") ? swarm.getDuration("timeout") : Duration.ofMinutes(5);
    Config shared = swarm.hasPath("defaults") ? swarm.getConfig("defaults") : ConfigFactory.empty();
    List<? extends Config> nodes = swarm.getConfigList("nodes");
    if (nodes.isEmpty()) {
      throw new Main.CommandFailure(file + ": swarm.nodes is empty");
    }
    Path run = (runDir != null ? runDir : base.resolve("swarm-run-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))).toAbsolutePath().normalize();
    Files.createDirectories(run);
    int trackerPort = freeUdpAndTcpPort();
    String tracker = "udp://127.0.0.1:" + trackerPort + "/announce";
    PrintWriter out = spec.commandLine().getOut();
    out.printf("swarm: %d nodes, tracker %s, run directory %s%n", nodes.size(), tracker, run);
    out.flush();

    // Node files are written and checked first, so that a mistake stops the run before any node starts.
    Map<String, Path> files = new LinkedHashMap<>();
    for (Config node : nodes) {
      String name = node.getString("name");
      if (files.containsKey(name)) {
        throw new Main.CommandFailure(file + ": two nodes are named " + name);
      }
      Path dir = Files.createDirectories(run.resolve(name));
      Config conf = nodeConfig(node, shared, base, dir, tracker, trackerPort);
      Path nodeFile = Files.writeString(dir.resolve("node.conf"), conf.root().render(
          ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)));
      NodeFile.load(nodeFile);
      files.put(name, nodeFile);
    }

    List<Node> running = new ArrayList<>();
    try {
      // Trackers first, then seeders, then the rest, each up before the next group starts.
      for (int phase = 0; phase < 3; phase++) {
        for (Config node : nodes) {
          if (phaseOf(node) == phase) {
            running.add(start(node, files.get(node.getString("name"))));
          }
        }
        for (Node n : running) {
          awaitUp(n, START_TIMEOUT);
        }
      }
      long start = System.nanoTime();
      long deadline = start + timeout.toNanos();
      Map<String, Long> doneAt = new LinkedHashMap<>();
      while (System.nanoTime() < deadline) {
        StringBuilder view = new StringBuilder(String.format(Locale.ROOT, "%6.1f s", (System.nanoTime() - start) / 1e9));
        boolean all = true;
        for (Node n : running) {
          if (n.fetches() == 0) {
            continue;
          }
          NodeStatus log = n.log().update();
          boolean done = log.done >= n.fetches();
          if (done) {
            doneAt.putIfAbsent(n.name(), System.nanoTime());
          } else {
            all = false;
          }
          view.append(String.format(Locale.ROOT, "  %s %5.1f%%", n.name(), done ? 100.0 : log.percent));
          if (!n.process().isAlive() && !done) {
            throw new Main.CommandFailure("node " + n.name() + " stopped; see " + log.log);
          }
        }
        out.println(view);
        out.flush();
        if (all) {
          break;
        }
        Thread.sleep(1000);
      }
      settle(running);
      stopAll(running);
      return summary(running, doneAt, start, out);
    } finally {
      running.forEach(n -> n.process().toHandle().destroyForcibly());
    }
  }

  private Config parse() {
    try {
      return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
    } catch (ConfigException e) {
      throw new Main.CommandFailure(e.getMessage());
    }
  }

  /**
   * A node's file: the swarm's defaults, then the node's own settings, with paths made absolute. A
   * daemon section's relative directories end up beside the file, in the node's own directory.
   */
  private static Config nodeConfig(Config node, Config shared, Path base, Path dir, String tracker, int trackerPort) {
    Config own = node.withoutPath("name").withoutPath("roles").withoutPath("share").withoutPath("fetch");
    List<String> roles = node.hasPath("roles") ? node.getStringList("roles") : List.of("peer");
    List<String> share = node.hasPath("share")
        ? node.getStringList("share").stream().map(p -> base.resolve(p).normalize().toString()).toList() : List.of();
    List<String> fetch = node.hasPath("fetch") ? node.getStringList("fetch") : List.of();
    Config merged = own.withFallback(shared);
    // A daemon's RPC, like its peer port, is on a free port unless the file says otherwise, so that daemons do not clash.
    Config loopback = ConfigFactory.parseString("swarmshare.peer { host = \"127.0.0.1\", port = 0 }");
    if (merged.hasPath("swarmshare.daemon")) {
      loopback = loopback.withValue("swarmshare.daemon.rpc-port", ConfigValueFactory.fromAnyRef(0));
    }
    return merged
        .withValue("swarmshare.node.name", ConfigValueFactory.fromAnyRef(node.getString("name")))
        .withValue("swarmshare.node.roles", ConfigValueFactory.fromIterable(roles))
        .withValue("swarmshare.node.data-dir", ConfigValueFactory.fromAnyRef(dir.resolve("data").toString()))
        .withValue("swarmshare.node.trackers", ConfigValueFactory.fromIterable(List.of(tracker)))
        .withValue("swarmshare.node.share", ConfigValueFactory.fromIterable(share))
        .withValue("swarmshare.node.fetch", ConfigValueFactory.fromIterable(fetch))
        .withValue("swarmshare.tracker.host", ConfigValueFactory.fromAnyRef("127.0.0.1"))
        .withValue("swarmshare.tracker.port", ConfigValueFactory.fromAnyRef(trackerPort))
        .withValue("swarmshare.tracker.data-dir", ConfigValueFactory.fromAnyRef(dir.resolve("tracker").toString()))
        .withFallback(loopback);
  }

  private static int phaseOf(Config node) {
    List<String> roles = node.hasPath("roles") ? node.getStringList("roles") : List.of("peer");
    if (roles.contains("tracker")) {
      return 0;
    }
    return node.hasPath("share") && !node.getStringList("share").isEmpty() ? 1 : 2;
  }

  private static Node start(Config node, Path nodeFile) throws IOException {
    Path log = nodeFile.resolveSibling("node.log");
    Path status = nodeFile.resolveSibling("status.jsonl");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar = Path.of(SwarmCommand.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    List<String> command = new ArrayList<>(List.of(java));
    // The nodes run with the JVM options swarm itself was given (./swarmshare's, launcher/jvm.options).
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-XX:"))
        .forEach(command::add);
    command.addAll(List.of("-jar", jar, "node", "--config", nodeFile.toString(), "--status-file", status.toString()));
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    int fetches = node.hasPath("fetch") ? node.getStringList("fetch").size() : 0;
    return new Node(node.getString("name"), fetches, new NodeStatus(status, log), process);
  }

  private static void awaitUp(Node node, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!node.log().update().up) {
      if (!node.process().isAlive()) {
        throw new Main.CommandFailure("node " + node.name() + " did not start: " + node.log().lastLogLine());
      }
      if (System.nanoTime() > deadline) {
        throw new Main.CommandFailure("node " + node.name() + " did not start within " + timeout.toSeconds() + " s");
      }
      Thread.sleep(100);
    }
  }

  /**
   * Waits until every node has written two more status lines (they come every 2 s), so that the
   * summary counts the last blocks each node served.
   */
  private static void settle(List<Node> nodes) throws IOException, InterruptedException {
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (Node n : nodes) {
      seen.put(n.name(), n.log().update().lines);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Node n : nodes) {
      while (n.log().update().lines < seen.get(n.name()) + 2
          && n.process().isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
    }
  }

  private static void stopAll(List<Node> nodes) throws InterruptedException {
    nodes.forEach(n -> n.process().toHandle().destroy());
    for (Node n : nodes) {
      n.process().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static int summary(List<Node> nodes, Map<String, Long> doneAt, long start, PrintWriter out)
      throws IOException {
    out.printf("%n%-14s %12s %12s %9s  %s%n", "NODE", "DOWNLOADED", "UPLOADED", "TIME", "RESULT");
    boolean ok = true;
    for (Node n : nodes) {
      NodeStatus log = n.log().update();
      Long at = doneAt.get(n.name());
      String result = n.fetches() == 0 ? "served" : at != null ? "verified" : "NOT FINISHED";
      ok &= n.fetches() == 0 || at != null;
      out.printf(Locale.ROOT, "%-14s %12s %12s %9s  %s%n", n.name(), ByteSize.format(log.downloaded), ByteSize.format(log.uploaded),
          at == null ? "-" : String.format(Locale.ROOT, "%.1f s", (at - start) / 1e9), result);
    }
    out.println(ok ? "swarm: every fetching node has a verified copy" : "swarm: FAILED");
    out.flush();
    if (!ok) {
      throw new Main.CommandFailure("not every fetching node finished; logs are in " + nodes.get(0).log().log
          .getParent().getParent());
    }
    return 0;
  }

  /** A port free for both TCP and UDP, since the tracker takes both. */
  static int freeUdpAndTcpPort() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port;
      try (ServerSocket tcp = new ServerSocket(0)) {
        port = tcp.getLocalPort();
      }
      try (DatagramSocket udp = new DatagramSocket(port)) {
        return port;
      } catch (SocketException taken) {
        // try another
      }
    }
    throw new IOException("no port free for both TCP and UDP");
  }
}
