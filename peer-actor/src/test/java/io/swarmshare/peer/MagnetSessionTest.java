package io.swarmshare.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.peer.session.TorrentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session holding a torrent known by its magnet link alone: its metadata fetched from a peer it
 * dials or that dials it, kept in the store, then downloaded as any torrent; across a restart.
 */
class MagnetSessionTest {

  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** The session's events for one torrent, and ways to wait on them. */
  record Watch(TestProbe<Session.Event> events) {

    static Watch of(TestNode node, Metainfo torrent) {
      TestProbe<Session.Event> events = kit.createTestProbe();
      node.session.tell(new Session.Subscribe(Session.Selection.of(torrent.infoHash()), events.getRef()));
      return new Watch(events);
    }

    TorrentSnapshot await(Predicate<TorrentSnapshot> test) {
      return ((Session.TorrentChanged) events.fishForMessage(TestNode.HANG_GUARD, e -> e instanceof Session.TorrentChanged c
          && test.test(c.torrent()) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0))
          .torrent();
    }
  }

  static Session.Added addMagnet(TestNode node, MagnetLink link, Path dir, boolean paused) {
    TestProbe<Session.Added> added = kit.createTestProbe();
    node.session.tell(new Session.AddMagnet(link, dir, paused, added.getRef()));
    return added.receiveMessage(TestNode.HANG_GUARD);
  }

  static MagnetLink link(Metainfo m, String... peers) {
    return new MagnetLink(m.infoHash(), Optional.of("by its link"), List.of(), List.of(peers));
  }

  @Test
  void aTorrentAddedByItsLinkFetchesItsMetadataFromTheLinksPeerThenDownloads(@TempDir Path seeds,
      @TempDir Path fetched, @TempDir Path data) throws Exception {
    DownloadTest.Seeded a = DownloadTest.seeded(seeds, "a.bin", 300_000, 7, 16384);
    TestNode seeder = new TestNode(kit);
    seeder.add(a.metainfo(), seeds).await(TorrentState.SEEDING);
    TestNode leecher = new TestNode(kit, "", new TorrentStore(data), List.of());
    Watch watch = Watch.of(leecher, a.metainfo());

    Session.Added added = addMagnet(leecher, link(a.metainfo(), "127.0.0.1:" + seeder.address.getPort()), fetched,
        false);
    assertThat(added.refusal()).isNull();
    TorrentSnapshot before = added.torrent().orElseThrow();
    assertThat(before.metainfo()).isEmpty();
    assertThat(before.name()).isEqualTo("by its link");
    assertThat(before.pieceCount()).isZero();
    assertThat(before.totalLength()).isZero();
    assertThat(before.complete()).isFalse();

    TorrentSnapshot done = watch.await(s -> s.state() == TorrentState.SEEDING);
    assertThat(done.name()).as("the torrent's own name once its metadata is here").isEqualTo("a.bin");
    assertThat(done.metainfo().orElseThrow().infoHash()).isEqualTo(a.metainfo().infoHash());
    assertThat(done.complete()).isTrue();
    assertThat(Files.readAllBytes(fetched.resolve("a.bin"))).isEqualTo(a.data());
    String hex = a.metainfo().infoHash().hex();
    org.awaitility.Awaitility.await().atMost(TestNode.HANG_GUARD)
        .until(() -> Files.exists(data.resolve("torrents/" + hex + ".torrent")));
    assertThat(data.resolve("torrents/" + hex + ".magnet")).as("the link gives way to the .torrent").doesNotExist();
  }

  @Test
  void aTorrentWaitingForItsMetadataComesBackAfterARestartAndGetsItFromAPeerThatDialsIt(@TempDir Path seeds,
      @TempDir Path fetched, @TempDir Path data) throws Exception {
    DownloadTest.Seeded a = DownloadTest.seeded(seeds, "b.bin", 200_000, 8, 16384);
    TestNode first = new TestNode(kit, "", new TorrentStore(data), List.of());
    int id = addMagnet(first, link(a.metainfo()), fetched, false).torrent().orElseThrow().id();
    assertThat(addMagnet(first, link(a.metainfo()), fetched, false).refusal())
        .isEqualTo("the node already holds by its link");
    TestProbe<Session.Stopped> down = kit.createTestProbe();
    first.session.tell(new Session.Shutdown(down.getRef()));
    down.expectMessage(TestNode.HANG_GUARD, Session.Stopped.INSTANCE);

    List<TorrentStore.Stored> kept = new TorrentStore(data).load(fetched);
    assertThat(kept).singleElement().satisfies(k -> {
      assertThat(k.metainfo()).isEmpty();
      assertThat(k.link().infoHash()).isEqualTo(a.metainfo().infoHash());
      assertThat(k.link().displayName()).contains("by its link");
    });
    TestNode second = new TestNode(kit, "", new TorrentStore(data), kept);
    Watch watch = Watch.of(second, a.metainfo());
    TorrentSnapshot back = watch.await(s -> s.state() == TorrentState.DOWNLOADING);
    assertThat(back.id()).isEqualTo(id);
    assertThat(back.metainfo()).isEmpty();

    TestNode seeder = new TestNode(kit);
    TestNode.Torrent seeding = seeder.add(a.metainfo(), seeds);
    seeding.await(TorrentState.SEEDING);
    seeding.connectTo(second.address);
    assertThat(watch.await(s -> s.state() == TorrentState.SEEDING).id()).isEqualTo(id);
    assertThat(Files.readAllBytes(fetched.resolve("b.bin"))).isEqualTo(a.data());
    second.session.tell(new Session.Shutdown(down.getRef()));
    down.expectMessage(TestNode.HANG_GUARD, Session.Stopped.INSTANCE); // its writes are done: the files can go
    assertThat(new TorrentStore(data).load(fetched)).singleElement()
        .satisfies(k -> assertThat(k.metainfo()).isPresent());
  }

  @Test
  void aTorrentAddedStoppedHasNothingToCheckRunsWhenStartedAndRemovedWithItsDataLeavesNothingBehind(
      @TempDir Path seeds, @TempDir Path fetched, @TempDir Path data) throws Exception {
    DownloadTest.Seeded a = DownloadTest.seeded(seeds, "c.bin", 100_000, 9, 16384);
    TestNode seeder = new TestNode(kit);
    seeder.add(a.metainfo(), seeds).await(TorrentState.SEEDING);
    TestNode leecher = new TestNode(kit, "", new TorrentStore(data), List.of());
    Watch watch = Watch.of(leecher, a.metainfo());
    TorrentSnapshot stopped = addMagnet(leecher, link(a.metainfo(), "127.0.0.1:" + seeder.address.getPort()),
        fetched, true).torrent().orElseThrow();
    assertThat(stopped.state()).isEqualTo(TorrentState.STOPPED);

    TestProbe<Session.Done> done = kit.createTestProbe();
    leecher.session.tell(new Session.Verify(Session.Selection.of(a.metainfo().infoHash()), done.getRef()));
    assertThat(done.expectMessageClass(Session.Done.class, TestNode.HANG_GUARD).matched()).isEqualTo(1);
    TestProbe<java.util.List<TorrentSnapshot>> list = kit.createTestProbe();
    leecher.session.tell(new Session.ListTorrents(list.getRef()));
    assertThat(list.receiveMessage(TestNode.HANG_GUARD)).singleElement()
        .satisfies(s -> assertThat(s.state()).as("nothing to check: it stays stopped").isEqualTo(TorrentState.STOPPED));
    leecher.session.tell(new Session.Start(Session.Selection.of(a.metainfo().infoHash()), done.getRef()));
    done.expectMessageClass(Session.Done.class, TestNode.HANG_GUARD);
    watch.await(s -> s.state() == TorrentState.SEEDING);

    leecher.session.tell(new Session.Remove(Session.Selection.of(a.metainfo().infoHash()), true, done.getRef()));
    done.expectMessageClass(Session.Done.class, TestNode.HANG_GUARD);
    org.awaitility.Awaitility.await().atMost(TestNode.HANG_GUARD)
        .until(() -> !Files.exists(fetched.resolve("c.bin")));
    org.awaitility.Awaitility.await().atMost(TestNode.HANG_GUARD).until(() -> {
      try (var files = Files.list(data.resolve("torrents"))) {
        return files.findAny().isEmpty();
      }
    });
  }

  @Test
  void aTorrentWhoseMetadataNobodyGivesStallsAndFreesItsQueuePlaceWhileOneBeingAskedShowsItsPeer(
      @TempDir Path seeds, @TempDir Path fetched) throws Exception {
    DownloadTest.Seeded lost = DownloadTest.seeded(seeds, "lost.bin", 50_000, 10, 16384);
    DownloadTest.Seeded found = DownloadTest.seeded(seeds, "found.bin", 50_000, 11, 16384);
    TestNode node = new TestNode(kit, "swarmshare.peer { download-queue-size = 1, queue-stalled-minutes = 3 s }");
    Watch lostWatch = Watch.of(node, lost.metainfo());
    Watch foundWatch = Watch.of(node, found.metainfo());
    addMagnet(node, link(lost.metainfo()), fetched, false);
    lostWatch.await(s -> s.state() == TorrentState.DOWNLOADING);
    // A peer that takes the connection and never answers the metadata requests: it is asked, and shown.
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      addMagnet(node, link(found.metainfo(), "127.0.0.1:" + silent.getLocalPort()), fetched, false);
      assertThat(foundWatch.await(s -> s.state() == TorrentState.QUEUED).metainfo()).isEmpty();
      // Nobody has lost.bin: it asks nobody, stalls, and found.bin gets the one place while lost.bin runs on.
      foundWatch.await(s -> s.state() == TorrentState.DOWNLOADING);
      try (RawPeer remote = new RawPeer(silent.accept())) {
        assertThat(remote.readHandshake().infoHash()).isEqualTo(found.metainfo().infoHash());
        remote.handshakeWithExtensions(found.metainfo().infoHash(), io.swarmshare.messages.PeerId.generate());
        assertThat(foundWatch.await(s -> s.peers() == 1).metainfo()).isEmpty();
      }
    }
    TestProbe<List<TorrentSnapshot>> now = kit.createTestProbe();
    node.session.tell(new Session.GetTorrent(Session.Selection.of(lost.metainfo().infoHash()), now.getRef()));
    assertThat(now.receiveMessage(TestNode.HANG_GUARD).get(0).state()).as("stalled, it runs on")
        .isEqualTo(TorrentState.DOWNLOADING);
  }
}
