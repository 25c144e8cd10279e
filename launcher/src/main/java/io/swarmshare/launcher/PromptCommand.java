package io.swarmshare.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.messages.tracker.TrackerUrl;
import io.swarmshare.peer.Download;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "prompt",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"An interactive prompt against one tracker: list, get, share, status, wait, help, quit.",
        "Running swarmshare with no arguments on a terminal opens it. Downloads run in the background and keep "
            + "seeding until quit. On a terminal the prompt has line editing, history and completion; "
            + "otherwise it reads commands from standard input, one a line."})
final class PromptCommand implements Callable<Integer> {

  private static final String HELP = String.join(System.lineSeparator(),
      "  list [TEXT]      the tracker's catalogue, or the entries whose name contains TEXT",
      "  get NAME         fetch a file by name, info hash, magnet link or .torrent file (in the background)",
      "  share PATH       seed a file or directory and publish it to the tracker's catalogue",
      "  status           what this node holds: progress, peers, bytes down and up",
      "  wait             wait until every download is complete",
      "  help             this list",
      "  quit             stop (trackers are told) and leave");
  private static final String TRACKER_HELP = String.join(System.lineSeparator(),
      "  the announce URL of a swarmshare tracker, such as udp://tracker.example:6969/announce or",
      "  http://tracker.example:6969/announce; its catalogue is what list, get and share use",
      "  help             this text",
      "  quit             leave");
  private static final List<String> COMMANDS = List.of("list", "get", "share", "status", "wait", "help", "quit");

  @Spec CommandSpec spec;

  @Mixin PeerOptions peer;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "Where fetched files go (default: the node file's data-dir, or here).")
  Path output;

  @Option(names = "--config", paramLabel = "FILE",
      description = "A node file (as for 'node --config'): its trackers, data-dir and peer settings are the defaults.")
  Path configFile;

  /** Counts the events of the node's session, and is notified at each, for 'wait'. */
  private final Object changes = new Object();
  private long eventsSeen;
  private PrintWriter out;
  /** Where lines come from: JLine on a terminal, else plain standard input. */
  private LineReader reader;
  private BufferedReader plain;

  @Override
  public Integer call() throws Exception {
    Config config = NodeConfig.load(peer.overrides());
    if (configFile != null) {
      Config fromFile = NodeFile.load(configFile);
      // The prompt takes a node file's trackers and data directory; it is no daemon, whatever the file says.
      NodeSettings node = NodeSettings.from(fromFile, configFile.toAbsolutePath().getParent(), false);
      if (peer.trackers.isEmpty()) {
        peer.trackers = node.trackers();
      }
      if (output == null) {
        output = node.dataDir();
      }
      config = ConfigFactory.parseMap(peer.overrides()).withFallback(fromFile);
    }
    if (output == null) {
      output = Path.of(".");
    }
    List<TrackerUrl> trackers = peer.trackerUrls();
    boolean terminal = System.console() != null;
    Terminal term = terminal ? TerminalBuilder.builder().system(true).build() : null;
    reader = terminal ? LineReaderBuilder.builder().terminal(term)
        .completer(new StringsCompleter(COMMANDS)).build() : null;
    plain = terminal ? null : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    out = terminal ? term.writer() : spec.commandLine().getOut();
    PeerNode node = PeerNode.create(config);
    CatalogueClient catalogue = new CatalogueClient(node.system());
    try {
      if (trackers.isEmpty()) {
        Optional<TrackerUrl> asked = askTracker(catalogue);
        if (asked.isEmpty()) {
          return 0;
        }
        trackers = List.of(asked.get());
        peer.trackers = List.of(asked.get().text());
      }
      Files.createDirectories(output);
      node.listen();
      node.watch(this::news);
      out.printf("swarmshare prompt: tracker %s, peer port %d, files to %s; 'help' lists the commands%n",
          trackers.get(0), node.address().getPort(), output.toAbsolutePath().normalize());
      out.flush();
      while (true) {
        PromptInput input = PromptInput.of(read("swarmshare> "));
        if (input == PromptInput.Word.QUIT) {
          break;
        }
        if (input == PromptInput.Word.HELP) {
          out.println(HELP);
        } else if (input instanceof PromptInput.Text command) {
          run(command.text(), node, catalogue, trackers);
        }
        out.flush();
      }
    } finally {
      catalogue.close();
      node.stop();
    }
    return 0;
  }

  /**
   * Asks for the tracker until one is well-formed and answers with a catalogue; empty if the person
   * leaves instead. Each wrong answer is one line, and the question is asked again.
   */
  private Optional<TrackerUrl> askTracker(CatalogueClient catalogue) throws IOException {
    while (true) {
      PromptInput input = PromptInput.tracker(read("tracker URL (udp://host:port/announce, or help): "));
      if (input == PromptInput.Word.QUIT) {
        return Optional.empty();
      }
      if (input == PromptInput.Word.HELP) {
        out.println(TRACKER_HELP);
      } else if (input instanceof PromptInput.Wrong wrong) {
        out.println("error: " + wrong.why());
      } else if (input instanceof PromptInput.Tracker tracker) {
        try {
          catalogue.check(tracker.url());
          return Optional.of(tracker.url());
        } catch (Main.CommandFailure e) {
          out.println("error: " + Main.describe(e));
        }
      }
      out.flush();
    }
  }

  /** The next line typed, or null at the end of input; on a terminal Ctrl-C leaves as Ctrl-D does. */
  private String read(String question) throws IOException {
    if (reader == null) {
      return plain.readLine();
    }
    try {
      return reader.readLine(question);
    } catch (EndOfFileException | UserInterruptException end) {
      return null;
    }
  }

  /** Runs one command line; a failing command prints one line and the prompt goes on. */
  private void run(String line, PeerNode node, CatalogueClient catalogue, List<TrackerUrl> trackers) {
    String[] words = line.split("\\s+", 2);
    String argument = words.length > 1 ? words[1].trim() : "";
    try {
      switch (words[0].toLowerCase(Locale.ROOT)) {
        case "list" -> list(catalogue, trackers.get(0), argument);
        case "get" -> get(node, catalogue, trackers, require(argument, "get NAME"));
        case "share" -> share(node, catalogue, trackers, require(argument, "share PATH"));
        case "status" -> status(node);
        case "wait" -> awaitDownloads(node);
        default -> out.printf("unknown command '%s'; 'help' lists the commands%n", words[0]);
      }
    } catch (Exception e) {
      out.println("error: " + Main.describe(e));
    }
  }

  private static String require(String argument, String usage) {
    if (argument.isEmpty()) {
      throw new Main.CommandFailure("usage: " + usage);
    }
    return argument;
  }

  private void list(CatalogueClient catalogue, TrackerUrl tracker, String name) {
    ListCommand.print(catalogue.list(tracker, name.isEmpty() ? Optional.empty() : Optional.of(name)),
        name.isEmpty() ? null : name, out);
  }

  private void get(PeerNode node, CatalogueClient catalogue, List<TrackerUrl> trackers, String target)
      throws Exception {
    Metainfo metainfo = new TorrentFinder(catalogue, out).find(target, trackers);
    Path destination = output.toAbsolutePath().normalize();
    Session.Added added = node.add(new Download.Job(metainfo, destination, peer.tiers(metainfo)), s -> { });
    if (added.refusal() != null) {
      throw new Main.CommandFailure(added.refusal());
    }
    out.printf("fetching %s (%s) into %s; 'status' shows how it goes%n", Printable.escape(metainfo.info().name()),
        ByteSize.format(metainfo.info().totalLength()), destination);
  }

  private void share(PeerNode node, CatalogueClient catalogue, List<TrackerUrl> trackers, String path)
      throws Exception {
    Path content = Path.of(path).toAbsolutePath().normalize();
    if (!Files.exists(content)) {
      throw new NoSuchFileException(path);
    }
    Metainfo metainfo = TorrentCreator.of(content).trackers(peer.trackers).create();
    ShareCommand.seed(node, catalogue, metainfo, content, peer.tiers(metainfo), trackers, out, "its torrent",
        s -> { });
  }

  /** Called on an actor's thread for every event of the session: says when a download completes or fails. */
  private void news(Session.Event event) {
    if (event instanceof Session.TorrentCompleted done) {
      say(String.format("done: %s verified (%s)", ProgressView.name(done.torrent()),
          ByteSize.format(done.torrent().totalLength())));
    } else if (event instanceof Session.TorrentChanged changed && changed.torrent().state() == TorrentState.FAILED) {
      say("failed: " + ProgressView.name(changed.torrent()) + ": " + Printable.escape(changed.torrent().problem()));
    }
    synchronized (changes) {
      eventsSeen++;
      changes.notifyAll();
    }
  }

  private synchronized void say(String news) {
    out.println(news);
    out.flush();
  }

  private void status(PeerNode node) throws Exception {
    List<TorrentSnapshot> all = node.torrents();
    if (all.isEmpty()) {
      out.println("nothing yet: 'get NAME' or 'share PATH'");
      return;
    }
    out.printf("%-32s %-11s %7s %5s %10s %10s%n", "NAME", "STATE", "DONE", "PEERS", "DOWN", "UP");
    for (TorrentSnapshot s : all) {
      out.printf(Locale.ROOT, "%-32s %-11s %6.1f%% %5d %10s %10s%n", ProgressView.name(s),
          s.state().name().toLowerCase(Locale.ROOT), ProgressView.percent(s), s.peers(),
          ByteSize.format(s.downloaded()), ByteSize.format(s.uploaded()));
    }
  }

  /** Blocks until no torrent of the session is being checked or fetched. */
  private void awaitDownloads(PeerNode node) throws Exception {
    while (true) {
      long seen;
      synchronized (changes) {
        seen = eventsSeen;
      }
      if (node.torrents().stream().noneMatch(s -> s.state() == TorrentState.DOWNLOADING || s.state().checking()
          || s.state() == TorrentState.QUEUED && !s.complete())) {
        break;
      }
      synchronized (changes) {
        while (eventsSeen == seen) {
          changes.wait();
        }
      }
    }
    out.println("every download is complete");
  }
}
