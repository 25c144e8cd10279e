package io.swarmshare.launcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueFactory;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.messages.tracker.TrackerUrl;
import io.swarmshare.peer.Download;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.tracker.TrackerSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"Run one node, an actor system built from a configuration file: a tracker, a peer, or both; "
        + "the files it shares and fetches. Runs until Ctrl-C.",
        "With a swarmshare.daemon section the peer runs as a daemon, as 'daemon' does (its torrents kept across "
            + "restarts, the RPC and web UI); what the file shares and fetches is added to what it holds.",
        "The file is checked first: a syntax error, an unknown key or a wrong type is one line with the file, the "
            + "line and the key. application.conf is a commented example; every setting is in reference.conf."})
final class NodeCommand implements Callable<Integer> {

  private static final Duration TOTALS_EVERY = Duration.ofSeconds(2);
  /** The settings that name directories; an empty one (no download root, no watch directory) stays empty. */
  private static final List<String> DIRECTORIES = List.of("swarmshare.tracker.data-dir", "swarmshare.daemon.data-dir",
      "swarmshare.daemon.download-dir", "swarmshare.daemon.download-root", "swarmshare.daemon.watch-dir");

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", required = true, description = "The node's HOCON file.")
  Path file;

  @Option(names = "--status-file", paramLabel = "FILE", description = {"Append the node's status to FILE as JSON "
      + "lines every 2 s and when it stops: up, fetches done, percent, bytes down and up (what 'swarm' reads)."})
  Path statusFile;

  /** The info hashes of the torrents this node fetches, for its status. */
  private final Set<InfoHash> fetching = ConcurrentHashMap.newKeySet();
  /** The last status line, written again when the node stops. */
  private volatile String lastStatus;

  /**
   * The node's status as one JSON line, from its session's snapshots: whether it is up, how many
   * of its fetches are complete, how far they are together, and bytes down and up over every torrent.
   */
  private String status(String name, PeerNode running) {
    try {
      List<TorrentSnapshot> torrents = running.torrents();
      long verified = 0;
      long total = 0;
      int done = 0;
      for (TorrentSnapshot t : torrents) {
        if (fetching.contains(t.infoHash())) {
          verified += t.verifiedBytes();
          total += t.totalLength();
          done += t.complete() ? 1 : 0;
        }
      }
      ObjectNode line = Json.MAPPER.createObjectNode().put("node", name).put("up", true).put("fetching", fetching.size())
          .put("done", done).put("percent", total == 0 ? 100.0 : 100.0 * verified / total)
          .put("downloaded", torrents.stream().mapToLong(TorrentSnapshot::downloaded).sum())
          .put("uploaded", torrents.stream().mapToLong(TorrentSnapshot::uploaded).sum());
      lastStatus = Json.MAPPER.writeValueAsString(line);
    } catch (Exception stopping) {
      // the node is stopping: the last status stands
    }
    return lastStatus;
  }

  private synchronized void writeStatus(String line) {
    if (statusFile == null || line == null) {
      return;
    }
    try {
      Files.writeString(statusFile, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the run that reads it is gone or its disk is full: the node goes on
    }
  }

  @Override
  public Integer call() throws Exception {
    Path base = file.toAbsolutePath().getParent();
    Config config = relativeToFile(NodeFile.load(file), base);
    boolean daemon = NodeFile.declares(file, "swarmshare.daemon");
    NodeSettings node = settings(() -> NodeSettings.from(config, base, daemon));
    List<TrackerUrl> trackers = new ArrayList<>();
    for (String t : node.trackers()) {
      trackers.add(TrackerUrl.parse(t));
    }
    for (Path p : node.share()) {
      if (!Files.exists(p)) {
        throw new NoSuchFileException(p.toString());
      }
    }
    TrackerSettings trackerSettings = node.tracker() ? settings(() -> TrackerSettings.from(config)) : null;
    DaemonNode daemonNode = node.daemon() ? settings(() -> DaemonNode.create(config, node.name())) : null;
    PeerNode running = daemonNode != null ? daemonNode.node() : settings(() -> PeerNode.create(config, node.name()));
    PrintWriter out = spec.commandLine().getOut();
    CatalogueClient catalogue = new CatalogueClient(running.system());
    try {
      if (trackerSettings != null) {
        running.startTracker(trackerSettings);
      }
      if (daemonNode != null) {
        // Its session has taken up what it held before; what the file lists that it holds is not added again.
        daemonNode.start();
      } else if (node.peer()) {
        running.listen();
      }
      if (node.peer()) {
        for (Path p : node.share()) {
          Metainfo metainfo = TorrentCreator.of(p).trackers(node.trackers()).create();
          ShareCommand.seed(running, catalogue, metainfo, p, tiers(node, metainfo), trackers, out, "its torrent",
              s -> { });
        }
        Files.createDirectories(node.dataDir());
        for (String target : node.fetch()) {
          fetch(running, catalogue, node, trackers, target, out);
        }
      }
      out.printf("%s: up; Ctrl-C stops%n", node.name());
      out.flush();
      // What a multi-node run reads: a status line now, every 2 s, and one at the end.
      writeStatus(status(node.name(), running));
      running.system().scheduler().scheduleAtFixedRate(TOTALS_EVERY, TOTALS_EVERY,
          () -> writeStatus(status(node.name(), running)), running.system().executionContext());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> writeStatus(lastStatus)));
    } catch (Exception e) {
      catalogue.close();
      running.stop();
      throw e;
    }
    running.awaitTermination();
    return 0;
  }

  private void fetch(PeerNode running, CatalogueClient catalogue, NodeSettings node, List<TrackerUrl> trackers,
      String target, PrintWriter out) throws Exception {
    Metainfo metainfo = new TorrentFinder(catalogue, out).find(target, trackers);
    fetching.add(metainfo.infoHash());
    ProgressView progress = ProgressView.forOutput(out, false);
    AtomicBoolean done = new AtomicBoolean();
    Session.Added added = running.add(new Download.Job(metainfo, node.dataDir(), tiers(node, metainfo)), s -> {
      switch (s.state()) {
        case DOWNLOADING -> progress.update(s);
        case SEEDING -> {
          if (done.compareAndSet(false, true)) {
            progress.finish(s);
            out.printf("%s: done: %s verified%n", node.name(), ProgressView.name(s));
            out.flush();
          }
        }
        case FAILED -> {
          out.printf("%s: failed: %s%n", node.name(), Printable.escape(s.problem()));
          out.flush();
        }
        case QUEUED, CHECK_WAIT, CHECKING, STOPPED -> { }
      }
    });
    if (added.refusal() != null) {
      throw new Main.CommandFailure(added.refusal());
    }
    // A daemon's torrent held already is where it was first fetched to.
    out.printf("%s: fetching %s (%s) into %s%n", node.name(), Printable.escape(metainfo.info().name()),
        ByteSize.format(metainfo.info().totalLength()), Printable.escape(added.torrent().get().directory().toString()));
  }

  /** What reads settings, and may make the directories they name. */
  private interface Reading<T> {
    T read() throws IOException;
  }

  /** The directories a node file names, like every path in it, are relative to the file. */
  private static Config relativeToFile(Config loaded, Path base) {
    Config config = loaded;
    for (String key : DIRECTORIES) {
      String dir = loaded.getString(key);
      if (!dir.isEmpty()) {
        config = config.withValue(key, ConfigValueFactory.fromAnyRef(base.resolve(dir).normalize().toString()));
      }
    }
    return config;
  }

  private static List<List<String>> tiers(NodeSettings node, Metainfo metainfo) {
    PeerOptions options = new PeerOptions();
    options.trackers = node.trackers();
    return options.tiers(metainfo);
  }

  /** Settings whose values are checked when read: a bad one is one line naming the file. */
  private <T> T settings(Reading<T> read) throws IOException {
    try {
      return read.read();
    } catch (IllegalArgumentException e) {
      throw new Main.CommandFailure(file + ": " + e.getMessage());
    } catch (ConfigException e) {
      throw new Main.CommandFailure(e.getMessage());
    }
  }
}
