package io.swarmshare.launcher;

import io.swarmshare.messages.Printable;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.messages.tracker.TrackerUrl;
import io.swarmshare.peer.Download;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.peer.storage.AtomicFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "share",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"Seed a file or directory until Ctrl-C.",
        "Without --torrent, a torrent is made for PATH and saved in the data directory. It is published to "
            + "each tracker's catalogue, where 'get NAME' finds it."})
final class ShareCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(ShareCommand.class);

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "PATH", description = "The file or directory to share.")
  Path path;

  @Option(names = "--torrent", paramLabel = "T",
      description = "Seed this torrent from PATH (checked first) instead of making one.")
  Path torrent;

  @Mixin PeerOptions peer;

  @Option(names = "--data-dir", paramLabel = "D",
      description = "Where a torrent made for PATH is saved as NAME.torrent (default: the current directory).")
  Path dataDir = Path.of(".");

  @Option(names = "--publish-key", paramLabel = "KEY",
      description = "The key a tracker gave you for publishing to its catalogue (default: the environment "
          + "variable SWARMSHARE_PUBLISH_KEY, which keeps it out of the process list).")
  String publishKey;

  @Override
  public Integer call() throws Exception {
    List<TrackerUrl> urls = peer.trackerUrls();
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString());
    }
    Path content = path.toAbsolutePath().normalize();
    Metainfo metainfo = torrent != null ? TorrentFinder.read(torrent) : create(content);
    if (!metainfo.info().name().equals(content.getFileName().toString())) {
      throw new Main.CommandFailure(torrent + " describes '" + metainfo.info().name() + "', but " + path
          + " is named '" + content.getFileName() + "'");
    }
    Map<String, Object> overrides = peer.overrides();
    if (publishKey != null) {
      overrides.put(CatalogueClient.PUBLISH_KEY, publishKey);
    }
    PeerNode node = PeerNode.create(NodeConfig.load(overrides));
    PrintWriter out = spec.commandLine().getOut();
    CatalogueClient catalogue = new CatalogueClient(node.system());
    try {
      node.listen();
      seed(node, catalogue, metainfo, content, peer.tiers(metainfo), urls, out,
          torrent == null ? "its torrent" : torrent.toString(), status -> { });
      if (urls.isEmpty() && metainfo.trackerTiers().isEmpty()) {
        log.warn("no tracker: peers must be told to connect to port {} themselves", node.address().getPort());
      }
      out.println("Ctrl-C stops");
      out.flush();
    } catch (Exception e) {
      catalogue.close();
      node.stop();
      throw e;
    }
    node.awaitTermination();
    return 0;
  }

  /**
   * Adds {@code metainfo} to the node to seed from {@code content}, waits for the check of the
   * data, says where it is seeded, and publishes it to each tracker's catalogue (a tracker without
   * one gets a warning). Fails in one line if the data does not match.
   */
  static void seed(PeerNode node, CatalogueClient catalogue, Metainfo metainfo, Path content,
      List<List<String>> tiers, List<TrackerUrl> urls, PrintWriter out, String torrentName,
      Consumer<TorrentSnapshot> onStatus) throws Exception {
    CompletableFuture<TorrentSnapshot> checked = new CompletableFuture<>();
    Session.Added added = node.add(new Download.Job(metainfo, content.getParent(), tiers), s -> {
      onStatus.accept(s);
      // Queued is before the check too: the session has not looked at the data yet.
      if (!s.state().checking() && s.state() != TorrentState.QUEUED) {
        checked.complete(s);
      }
    });
    if (added.refusal() != null) {
      throw new Main.CommandFailure(added.refusal());
    }
    TorrentSnapshot status = checked.get();
    if (status.state() == TorrentState.FAILED) {
      throw new Main.CommandFailure(status.problem());
    }
    if (status.state() == TorrentState.STOPPED) {
      // Only a daemon's torrent, taken up as stopped as its RPC left it, is stopped here: it stays so.
      out.printf("holding %s stopped, as it was left; the RPC starts it%n", Printable.escape(metainfo.info().name()));
    } else if (status.state() != TorrentState.SEEDING) {
      throw new Main.CommandFailure(content + " does not match " + torrentName + ": "
          + status.piecesHave() + " of " + status.pieceCount() + " pieces verified");
    } else {
      out.printf("seeding %s (%s, %d pieces) on port %d%n", Printable.escape(metainfo.info().name()),
          ByteSize.format(metainfo.info().totalLength()), metainfo.info().pieceCount(), node.address().getPort());
    }
    out.printf("info hash %s%n", metainfo.infoHash().hex());
    out.printf("%s%n", new MagnetLink(metainfo.infoHash(), Optional.of(metainfo.info().name()),
        tiers.stream().flatMap(List::stream).distinct().toList(), List.of()).format());
    for (TrackerUrl url : urls) {
      Optional<String> problem = catalogue.publish(url, metainfo.encode());
      if (problem.isEmpty()) {
        out.printf("published to the catalogue of %s%n", url);
      } else {
        log.warn("not in a catalogue: {}; peers that have the torrent can still fetch it", problem.get());
      }
    }
    out.flush();
  }

  private Metainfo create(Path content) throws IOException {
    Metainfo metainfo = TorrentCreator.of(content).trackers(peer.trackers).create();
    Path saved = dataDir.resolve(metainfo.info().name() + ".torrent");
    Files.createDirectories(dataDir);
    AtomicFile.write(saved, metainfo.encode());
    spec.commandLine().getOut().printf("created %s%n", saved);
    return metainfo;
  }
}
