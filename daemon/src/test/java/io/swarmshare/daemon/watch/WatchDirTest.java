package io.swarmshare.daemon.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.daemon.LoopbackSession;
import io.swarmshare.daemon.TorrentAdder;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The watch directory against a real Session: what is dropped is added and renamed, what is broken set aside. */
class WatchDirTest {

  static final Duration GUARD = Duration.ofSeconds(30);
  static final Duration INTERVAL = Duration.ofMillis(200);
  @RegisterExtension static final LoopbackSession node = new LoopbackSession();
  @TempDir Path dir;
  final List<ActorRef<WatchDir.Command>> watchers = new ArrayList<>();

  /** A torrent of a small file of {@code text}, which stays where it was made, under dir/data. */
  Metainfo torrentOf(String name, String text) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data")).resolve(name);
    Files.writeString(data, text);
    return TorrentCreator.of(data).create();
  }

  Path watching(String name, int maxTorrentBytes) throws Exception {
    Path watched = Files.createDirectories(dir.resolve(name));
    watchers.add(node.kit().spawn(WatchDir.create(watched, INTERVAL, dir.resolve("data"),
        new TorrentAdder(node.session(), node.kit().system().scheduler(), maxTorrentBytes))));
    return watched;
  }

  /** Before the temporary directory goes, so that no look finds it gone. */
  @AfterEach
  void stopWatching() {
    watchers.forEach(node.kit()::stop);
  }

  List<TorrentSnapshot> held(Metainfo m) {
    TestProbe<List<TorrentSnapshot>> probe = node.kit().createTestProbe();
    node.session().tell(new Session.GetTorrent(Session.Selection.of(m.infoHash()), probe.getRef()));
    return probe.receiveMessage(GUARD);
  }

  @Test
  void aDroppedTorrentIsAddedAndRenamedAndABrokenOneSetAside() throws Exception {
    Path watched = watching("watch", 1 << 20);
    Metainfo good = torrentOf("good.txt", "a torrent dropped in the watch directory");
    Files.write(watched.resolve("good.torrent"), good.encode());
    Files.writeString(watched.resolve("x.torrent"), "this is not bencode");
    Files.writeString(watched.resolve("notes.txt"), "not a .torrent: left alone");

    Awaitility.await().atMost(GUARD).until(() -> Files.exists(watched.resolve("good.torrent.added"))
        && Files.exists(watched.resolve("x.torrent.invalid")));
    assertThat(held(good)).singleElement().satisfies(t -> assertThat(t.name()).isEqualTo("good.txt"));
    assertThat(watched.resolve("good.torrent")).doesNotExist();
    assertThat(watched.resolve("x.torrent")).doesNotExist();
    assertThat(watched.resolve("x.torrent.invalid")).hasContent("this is not bencode");
    assertThat(watched.resolve("notes.txt")).exists();

    // The same torrent again, under another name: held already, so renamed .added and nothing more.
    Files.write(watched.resolve("again.torrent"), good.encode());
    Awaitility.await().atMost(GUARD).until(() -> Files.exists(watched.resolve("again.torrent.added")));
    assertThat(held(good)).hasSize(1);
    assertThat(watched.resolve("notes.txt")).exists();
  }

  @Test
  void aTorrentOverMaxTorrentSizeIsInvalid() throws Exception {
    Metainfo big = torrentOf("big.txt", "a torrent whose file is larger than this watch directory takes");
    byte[] bytes = big.encode();
    Path watched = watching("small", bytes.length - 1);
    Files.write(watched.resolve("big.torrent"), bytes);
    Awaitility.await().atMost(GUARD).until(() -> Files.exists(watched.resolve("big.torrent.invalid")));
    assertThat(held(big)).isEmpty();
  }
}
