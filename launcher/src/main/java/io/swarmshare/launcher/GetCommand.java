package io.swarmshare.launcher;

import io.swarmshare.daemon.complete.OnComplete;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.tracker.TrackerUrl;
import io.swarmshare.peer.Download;
import io.swarmshare.peer.MetadataFetch;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"Fetch a file: by its name in a tracker's catalogue, its info hash, a magnet link or a .torrent.",
        "Every piece is checked against its hash; data already in the output directory is checked and kept. "
            + "When done it keeps seeding until Ctrl-C, unless --exit-when-done."})
final class GetCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(GetCommand.class);

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME|TORRENT",
      description = "A name in the catalogue, a 40-hex info hash, a magnet link, or a file ending in .torrent.")
  String target;

  @Mixin PeerOptions peer;

  @Option(names = "--peer", paramLabel = "HOST:PORT",
      description = "A peer to connect to besides those the trackers name; repeat for more.")
  List<String> peers = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Where to put the file (default: here).")
  Path output = Path.of(".");

  @Option(names = "--download-limit", paramLabel = "B", converter = ByteSize.class,
      description = "Download at most B bytes a second (default: no limit).")
  Long downloadLimit;

  @Option(names = "--exit-when-done", description = "Exit once every piece is verified instead of seeding.")
  boolean exitWhenDone;

  @Option(names = "--on-complete", paramLabel = "CMD",
      description = "Run CMD (with sh -c) when every piece is verified, with SWARMSHARE_NAME, "
          + "SWARMSHARE_INFO_HASH and SWARMSHARE_PATH in its environment.")
  String onComplete;

  @Override
  public Integer call() throws Exception {
    List<TrackerUrl> urls = peer.trackerUrls();
    Map<String, Object> overrides = peer.overrides();
    if (downloadLimit != null) {
      overrides.put("swarmshare.peer.download-limit", downloadLimit);
    }
    PeerNode node = PeerNode.create(NodeConfig.load(overrides));
    PrintWriter out = spec.commandLine().getOut();
    CatalogueClient catalogue = new CatalogueClient(node.system());
    TorrentSnapshot done;
    Path destination;
    try {
      List<InetSocketAddress> direct = new ArrayList<>();
      for (String p : peers) {
        direct.add(Addresses.hostAndPort(p, "--peer"));
      }
      Metainfo metainfo;
      if (target.regionMatches(true, 0, "magnet:", 0, 7)) {
        MagnetLink magnet = MagnetLink.parse(target);
        for (String p : magnet.peers()) {
          direct.add(Addresses.hostAndPort(p, "the magnet link's x.pe"));
        }
        metainfo = byMagnet(magnet, node, catalogue, out, urls, direct);
      } else {
        metainfo = new TorrentFinder(catalogue, out).find(target, urls);
      }
      List<List<String>> tiers = peer.tiers(metainfo);
      if (tiers.isEmpty() && direct.isEmpty()) {
        throw new Main.CommandFailure("no tracker to find peers with: give --tracker URL or --peer HOST:PORT");
      }
      Files.createDirectories(output);
      destination = output.toAbsolutePath().normalize();
      if (node.address() == null) {
        node.listen();
      }
      ProgressView progress = ProgressView.forOutput(out, System.console() != null);
      CompletableFuture<TorrentSnapshot> finished = new CompletableFuture<>();
      Session.Added added = node.add(new Download.Job(metainfo, destination, tiers, direct), s -> {
        switch (s.state()) {
          case DOWNLOADING -> progress.update(s);
          case SEEDING, FAILED -> finished.complete(s);
          case QUEUED, CHECK_WAIT, CHECKING, STOPPED -> { }
        }
      });
      if (added.refusal() != null) {
        throw new Main.CommandFailure(added.refusal());
      }
      out.printf("fetching %s (%s, %d pieces) into %s%n", Printable.escape(metainfo.info().name()),
          ByteSize.format(metainfo.info().totalLength()), metainfo.info().pieceCount(), destination);
      out.flush();
      done = finished.get();
      if (done.state() == TorrentState.FAILED) {
        throw new Main.CommandFailure(done.problem());
      }
      progress.finish(done);
    } catch (Exception e) {
      catalogue.close();
      node.stop();
      throw e;
    }
    catalogue.close();
    Path path = destination.resolve(done.name());
    out.printf("done: %s verified (%s) at %s%n", ProgressView.name(done),
        ByteSize.format(done.totalLength()), Printable.escape(path.toString()));
    out.flush();
    if (onComplete != null) {
      OnComplete.run(onComplete, done).join();
    }
    if (exitWhenDone) {
      node.stop();
      return 0;
    }
    out.println("seeding; Ctrl-C stops");
    out.flush();
    node.awaitTermination();
    return 0;
  }

  /**
   * A magnet link's torrent: from the catalogue of one of its trackers if one has it, else from its
   * peers (BEP 9): {@code peers} (the link's {@code x.pe} and {@code --peer}), and those its trackers
   * and {@code --tracker} give.
   */
  private static Metainfo byMagnet(MagnetLink magnet, PeerNode node, CatalogueClient catalogue, PrintWriter out,
      List<TrackerUrl> urls, List<InetSocketAddress> peers) throws Exception {
    List<String> trackers = new ArrayList<>(magnet.trackers());
    urls.forEach(u -> trackers.add(u.toString()));
    if (!trackers.isEmpty()) {
      try {
        return new TorrentFinder(catalogue, out).find(magnet.format(), urls);
      } catch (Main.CommandFailure notInACatalogue) {
        log.debug("{}", notInACatalogue.getMessage());
      }
    }
    if (trackers.isEmpty() && peers.isEmpty()) {
      throw new Main.CommandFailure("the magnet link names no tracker and no peer: give --tracker URL or --peer HOST:PORT");
    }
    node.listen();
    out.printf("fetching the torrent %s from its peers%n", magnet.infoHash().hex());
    out.flush();
    return node.fetchMetadata(new MetadataFetch.Subject(magnet.infoHash(), trackers, peers));
  }
}
