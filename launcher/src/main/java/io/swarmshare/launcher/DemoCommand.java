package io.swarmshare.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.peer.Download;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.tracker.TrackerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"Run a small swarm on loopback and check it: a tracker, a seeder with a generated sample "
        + "file and three leechers, each node in its own actor system in this process.",
        "The seeder's upload is capped, so the leechers must trade pieces. Every copy is compared byte for "
            + "byte with the original; exit 0 only if all match."})
final class DemoCommand implements Callable<Integer> {

  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

  @Spec CommandSpec spec;

  @Option(names = "--size", paramLabel = "BYTES", converter = ByteSize.class,
      description = "Size of the sample file (default: 64M).")
  long size = 64L << 20;

  @Option(names = "--leechers", paramLabel = "N", description = "How many leechers (default: 3).")
  int leechers = 3;

  @Option(names = "--seeder-upload-limit", paramLabel = "BYTES_PER_S", converter = ByteSize.class,
      description = "The seeder's upload cap (default: 16M; 0 for none).")
  long seederLimit = 16L << 20;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Keep the files here (default: a temporary directory, removed at the end).")
  Path keep;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this long (default: 300).")
  int timeoutSeconds = 300;

  private final List<PeerNode> nodes = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (leechers < 1 || leechers > 50) {
      throw new Main.CommandFailure("--leechers " + leechers + " is outside 1..50");
    }
    if (size < 1 || size > (64L << 30)) {
      throw new Main.CommandFailure("--size must be from 1 byte to 64 GiB");
    }
    // The demo's own output is the show; the nodes' logs come with --verbose.
    if (!Main.verbose()) {
      ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    }
    PrintWriter out = spec.commandLine().getOut();
    Path root = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("swarmshare-demo");
    try {
      return run(root, out);
    } finally {
      // Peers first, so that their 'stopped' reaches a tracker that is still up.
      for (int i = nodes.size() - 1; i >= 0; i--) {
        nodes.get(i).stop();
      }
      if (keep == null) {
        deleteTree(root);
      }
    }
  }

  private int run(Path root, PrintWriter out) throws Exception {
    String tracker = startTracker(root.resolve("tracker"));
    out.printf("tracker   %s%n", tracker);

    Path seedDir = Files.createDirectories(root.resolve("seeder"));
    Path sample = seedDir.resolve("sample.bin");
    writeSample(sample, size);
    Metainfo metainfo = TorrentCreator.of(sample).trackers(List.of(tracker)).create();
    out.printf("seeder    %s, %s in %d pieces, upload capped at %s/s%n", sample.getFileName(),
        ByteSize.format(size), metainfo.info().pieceCount(), seederLimit == 0 ? "no" : ByteSize.format(seederLimit));
    out.flush();

    CompletableFuture<Void> seeding = new CompletableFuture<>();
    PeerNode seeder = startPeer("seeder", "upload-limit = " + seederLimit, metainfo, seedDir, s -> {
      if (s.state() == TorrentState.SEEDING) {
        seeding.complete(null);
      }
    });
    seeding.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    Instant start = Instant.now();
    Map<String, PeerNode> leecherNodes = new LinkedHashMap<>();
    for (int i = 1; i <= leechers; i++) {
      String name = "leecher-" + i;
      leecherNodes.put(name, startPeer(name, "", metainfo, Files.createDirectories(root.resolve(name)), s -> { }));
    }
    // Each node's session is the one source of its torrent's status.
    Map<String, TorrentSnapshot> latest = new LinkedHashMap<>();
    Instant deadline = start.plusSeconds(timeoutSeconds);
    while (latest.values().stream().filter(TorrentSnapshot::complete).count() < leechers
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(PROGRESS_EVERY.toMillis());
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5.1f s ",
          Duration.between(start, Instant.now()).toMillis() / 1e3));
      for (Map.Entry<String, PeerNode> leecher : leecherNodes.entrySet()) {
        TorrentSnapshot s = leecher.getValue().torrents().get(0);
        latest.put(leecher.getKey(), s);
        line.append(String.format(Locale.ROOT, "  %s %5.1f%%", leecher.getKey(), ProgressView.percent(s)));
      }
      out.println(line);
      out.flush();
    }

    byte[] original = sha256(sample);
    out.printf("%n%-10s %12s %12s %9s  %s%n", "NODE", "DOWNLOADED", "UPLOADED", "TIME", "RESULT");
    boolean allGood = true;
    long fromLeechers = 0;
    for (Map.Entry<String, PeerNode> leecher : leecherNodes.entrySet()) {
      String name = leecher.getKey();
      TorrentSnapshot s = leecher.getValue().torrents().get(0);
      fromLeechers += s.uploaded();
      Optional<Instant> at = s.completed();
      Path copy = root.resolve(name).resolve("sample.bin");
      boolean same = at.isPresent() && Files.exists(copy) && MessageDigest.isEqual(original, sha256(copy));
      allGood &= same;
      out.printf(Locale.ROOT, "%-10s %12s %12s %9s  %s%n", name, ByteSize.format(s.downloaded()),
          ByteSize.format(s.uploaded()),
          at.map(t -> String.format(Locale.ROOT, "%.1f s", Duration.between(start, t).toMillis() / 1e3)).orElse("-"),
          same ? "verified, byte-identical" : at.isEmpty() ? "NOT FINISHED" : "DIFFERS");
    }
    TorrentSnapshot seeded = seeder.torrents().get(0);
    out.printf(Locale.ROOT, "%-10s %12s %12s %9s  %s%n", "seeder", "-", ByteSize.format(seeded.uploaded()), "-",
        "seeding");
    out.printf(Locale.ROOT, "%nleechers uploaded %s to each other; the seeder %s%n", ByteSize.format(fromLeechers),
        ByteSize.format(seeded.uploaded()));
    out.println(allGood ? "demo: every copy is verified and byte-identical" : "demo: FAILED");
    out.flush();
    if (!allGood) {
      throw new Main.CommandFailure("not every leecher has a byte-identical copy within " + timeoutSeconds + " s");
    }
    return 0;
  }

  /** A node of the demo: one actor system on loopback, like every node swarmshare runs. */
  private PeerNode node(String name, String settings) {
    PeerNode node = PeerNode.create(ConfigFactory.parseString(
        "swarmshare.peer { host = \"127.0.0.1\", port = 0 }\n" + settings).withFallback(NodeConfig.load(Map.of())), name);
    nodes.add(node);
    return node;
  }

  private String startTracker(Path dataDir) throws Exception {
    PeerNode node = node("tracker", "swarmshare.tracker { host = \"127.0.0.1\", port = 0, data-dir = "
        + ConfigUtil.quoteString(dataDir.toString()) + " }");
    return "udp://127.0.0.1:" + node.startTracker(TrackerSettings.from(node.system().settings().config())).udp().getPort()
        + "/announce";
  }

  private PeerNode startPeer(String name, String settings, Metainfo metainfo, Path dir,
      Consumer<TorrentSnapshot> onStatus) throws Exception {
    PeerNode node = node(name, "swarmshare.peer { " + settings + " }");
    node.listen();
    Session.Added added = node.add(
        new Download.Job(metainfo, dir, List.of(List.of(metainfo.announce().orElseThrow()))), onStatus);
    if (added.refusal() != null) {
      throw new Main.CommandFailure(name + ": " + added.refusal());
    }
    return node;
  }

  /** Random bytes from a fixed seed, written in 1 MiB chunks. */
  private static void writeSample(Path file, long size) throws IOException {
    Random random = new Random(2026);
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= chunk.length) {
        random.nextBytes(chunk);
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    }
  }

  private static byte[] sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return digest.digest();
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
