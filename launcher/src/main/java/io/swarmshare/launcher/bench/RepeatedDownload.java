package io.swarmshare.launcher.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.MetainfoParser;
import io.swarmshare.peer.ChunkServer;
import io.swarmshare.peer.Download;
import io.swarmshare.peer.PeerSettings;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Downloads one torrent from one peer several times in a row in one JVM, each time into an empty
 * directory with a fresh actor system, and prints each timed download's time. After the warm-up
 * downloads the peer's code is compiled, as in a node that has been up for a while (see
 * bench/transfer.sh).
 *
 * <pre>
 * java -cp launcher/target/swarmshare.jar io.swarmshare.launcher.bench.RepeatedDownload \
 *     --torrent T --peer-port P --dir D --warmup 2 --runs 3
 * </pre>
 */
@Command(name = "RepeatedDownload", mixinStandardHelpOptions = true,
    description = "Prints 'run N: SECONDS' per download, timed from adding the torrent to its last verified piece.")
public final class RepeatedDownload implements Callable<Integer> {

  @Option(names = "--torrent", required = true, description = "The .torrent to fetch.")
  Path torrent;

  @Option(names = "--peer-port", required = true, description = "The seeder's port on 127.0.0.1.")
  int peerPort;

  @Option(names = "--dir", required = true, description = "An empty directory to download into, emptied before each run.")
  Path dir;

  @Option(names = "--runs", defaultValue = "3", description = "How many timed downloads (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--warmup", defaultValue = "0",
      description = "Untimed downloads first, while the JIT compiles (default: ${DEFAULT-VALUE}).")
  int warmup;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RepeatedDownload()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Metainfo metainfo = MetainfoParser.read(torrent);
    Config config = ConfigFactory.parseString("swarmshare.peer { host = \"127.0.0.1\", port = 0 }")
        .withFallback(ConfigFactory.parseResources("swarmshare-node.conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
    for (int run = 1 - warmup; run <= runs; run++) {
      empty(dir);
      CompletableFuture<TorrentSnapshot> done = new CompletableFuture<>();
      ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
        ActorRef<ChunkServer.Status> started = ctx.spawn(Behaviors.receiveMessage(s -> Behaviors.same()), "started");
        ActorRef<Session.Command> session = ctx.spawn(
            Session.create(PeerSettings.from(config), PeerId.generate(), started), "session");
        ActorRef<Session.Event> events = ctx.spawn(Behaviors.receiveMessage(e -> {
          if (e instanceof Session.TorrentChanged c
              && (c.torrent().state() == TorrentState.SEEDING || c.torrent().state() == TorrentState.FAILED)) {
            done.complete(c.torrent());
          }
          return Behaviors.same();
        }), "events");
        session.tell(new Session.Subscribe(Session.Selection.everything(), events));
        session.tell(new Session.Add(new Download.Job(metainfo, dir, List.of(),
            List.of(new InetSocketAddress("127.0.0.1", peerPort))), false, ctx.getSystem().ignoreRef()));
        return Behaviors.empty();
      }), "repeated-download", config);
      long start = System.nanoTime();
      TorrentSnapshot status = done.get(600, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      if (status.state() == TorrentState.FAILED) {
        System.err.println("RepeatedDownload: " + status.problem());
        return 1;
      }
      if (run > 0) {
        System.out.printf("run %d: %.3f%n", run, seconds);
      } else {
        System.err.printf("warm-up: %.3f%n", seconds);
      }
    }
    return 0;
  }

  private static void empty(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).toList()) {
        Files.delete(p);
      }
    }
  }
}
