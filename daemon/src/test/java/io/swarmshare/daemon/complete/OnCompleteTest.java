package io.swarmshare.daemon.complete;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.peer.ChunkServer;
import io.swarmshare.peer.Download;
import io.swarmshare.peer.PeerSettings;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's on-complete command, run for a torrent a real Session fetches from another on loopback. */
class OnCompleteTest {

  static final Duration GUARD = Duration.ofSeconds(60);
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  record Node(ActorRef<Session.Command> session, InetSocketAddress address) {}

  static Node node() {
    Config config = ConfigFactory.parseString("swarmshare.peer { host = \"127.0.0.1\", port = 0 }")
        .withFallback(ConfigFactory.load());
    TestProbe<ChunkServer.Status> started = kit.createTestProbe();
    ActorRef<Session.Command> session = kit.spawn(Session.create(PeerSettings.from(config), PeerId.generate(),
        started.getRef()));
    return new Node(session, started.expectMessageClass(ChunkServer.Listening.class, GUARD).address());
  }

  static void add(Node node, Download.Job job) {
    TestProbe<Session.Added> added = kit.createTestProbe();
    node.session().tell(new Session.Add(job, false, added.getRef()));
    assertThat(added.receiveMessage(GUARD).refusal()).isNull();
  }

  @Test
  void theCommandRunsForATorrentThatCompletesWithItsNameHashAndPath(@TempDir Path seeds, @TempDir Path fetched)
      throws Exception {
    byte[] data = new byte[300_000];
    new Random(7).nextBytes(data);
    Metainfo m = TorrentCreator.of(Files.write(seeds.resolve("film.bin"), data)).create();
    Node seeder = node();
    add(seeder, new Download.Job(m, seeds, List.of()));
    Node leecher = node();
    Path out = fetched.resolve("hook.txt");
    Path seen = fetched.resolve("seen.txt");
    // A seeder's torrent is complete when taken up: only the leecher's completion runs a command.
    kit.spawn(OnComplete.create(seeder.session(), "echo seeder > '" + seen + "'"));
    kit.spawn(OnComplete.create(leecher.session(),
        "echo \"$SWARMSHARE_NAME $SWARMSHARE_INFO_HASH $SWARMSHARE_PATH\" > '" + out + "'"));
    TestProbe<List<TorrentSnapshot>> list = kit.createTestProbe();
    Awaitility.await().atMost(GUARD).until(() -> {
      seeder.session().tell(new Session.ListTorrents(list.getRef()));
      return list.receiveMessage(GUARD).get(0).state() == TorrentState.SEEDING;
    });

    add(leecher, new Download.Job(m, fetched, List.of(), List.of(seeder.address())));
    Awaitility.await().atMost(GUARD).until(() -> Files.exists(out) && Files.readString(out).endsWith("\n"));
    assertThat(Files.readString(out)).isEqualTo("film.bin " + m.infoHash().hex() + " "
        + fetched.resolve("film.bin") + "\n");
    assertThat(Files.readAllBytes(fetched.resolve("film.bin"))).isEqualTo(data);
    assertThat(seen).as("nothing completed on the seeder").doesNotExist();
  }

  @Test
  void runAnswersTheCommandsExitCode(@TempDir Path dir) throws Exception {
    Metainfo m = TorrentCreator.of(Files.write(dir.resolve("a.bin"), new byte[20_000])).create();
    Node node = node();
    add(node, new Download.Job(m, dir, List.of()));
    TestProbe<List<TorrentSnapshot>> list = kit.createTestProbe();
    node.session().tell(new Session.ListTorrents(list.getRef()));
    assertThat(OnComplete.run("exit 3", list.receiveMessage(GUARD).get(0)).get()).isEqualTo(3);
  }

  @Test
  void theCommandSeesTheTorrentsLabelsSoOneCommandCanDoSomethingOfItsOwnPerTorrent(@TempDir Path dir)
      throws Exception {
    Metainfo m = TorrentCreator.of(Files.write(dir.resolve("show.bin"), new byte[20_000])).create();
    Node node = node();
    add(node, new Download.Job(m, dir, List.of()));
    TestProbe<Session.Done> changed = kit.createTestProbe();
    Session.TorrentChanges none = Session.TorrentChanges.none();
    node.session().tell(new Session.SetTorrent(Session.Selection.of(m.infoHash()), new Session.TorrentChanges(
        none.ratioMode(), none.ratio(), none.idleMode(), none.idle(), none.limits(), Optional.of(List.of("tv", "hd")),
        none.queuePosition()), changed.getRef()));
    changed.receiveMessage(GUARD);
    TestProbe<List<TorrentSnapshot>> list = kit.createTestProbe();
    node.session().tell(new Session.ListTorrents(list.getRef()));
    Path out = dir.resolve("labels.txt");
    assertThat(OnComplete.run("echo \"$SWARMSHARE_LABELS\" > '" + out + "'", list.receiveMessage(GUARD).get(0))
        .get()).isZero();
    assertThat(Files.readString(out)).isEqualTo("tv,hd\n");
  }

  @Test
  void anEmptySettingMeansNoCommand() {
    assertThat(OnComplete.command(ConfigFactory.load())).isEmpty();
    assertThat(OnComplete.command(ConfigFactory.parseString("swarmshare.daemon.on-complete = \" ./done.sh \"")
        .withFallback(ConfigFactory.load()))).contains("./done.sh");
  }
}
