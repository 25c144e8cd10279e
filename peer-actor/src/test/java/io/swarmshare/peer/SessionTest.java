package io.swarmshare.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Info;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.peer.bandwidth.TorrentLimits;
import io.swarmshare.peer.session.SeedingGoals;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.peer.session.TorrentStore;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session's protocol: adding, listing, stopping, starting, checking and removing torrents; the
 * queue and the seeding goals it applies.
 */
class SessionTest {

  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  final TestNode node = new TestNode(kit);

  List<TorrentSnapshot> list() {
    TestProbe<List<TorrentSnapshot>> reply = kit.createTestProbe();
    node.session.tell(new Session.ListTorrents(reply.getRef()));
    return reply.receiveMessage(TestNode.HANG_GUARD);
  }

  Session.Done done(Function<ActorRef<Session.Done>, Session.Command> c) {
    TestProbe<Session.Done> reply = kit.createTestProbe();
    node.session.tell(c.apply(reply.getRef()));
    return reply.receiveMessage(TestNode.HANG_GUARD);
  }

  @Test
  void torrentsGetIdsInOrderAndASecondAddOfTheSameTorrentIsRefused(@TempDir Path dir) throws Exception {
    Metainfo a = DownloadTest.seeded(dir, "a.bin", 100_000, 1, 16384).metainfo();
    Metainfo b = DownloadTest.seeded(dir, "b.bin", 100_000, 2, 16384).metainfo();
    node.add(a, dir).await(TorrentState.SEEDING);
    node.add(b, dir).await(TorrentState.SEEDING);

    assertThat(list()).extracting(TorrentSnapshot::id, TorrentSnapshot::name, TorrentSnapshot::state)
        .containsExactly(tuple(1, "a.bin", TorrentState.SEEDING), tuple(2, "b.bin", TorrentState.SEEDING));
    TestProbe<Session.Added> again = kit.createTestProbe();
    node.session.tell(new Session.Add(new Download.Job(a, dir, List.of()), false, again.getRef()));
    Session.Added refused = again.receiveMessage(TestNode.HANG_GUARD);
    assertThat(refused.torrent()).isEmpty();
    assertThat(refused.refusal()).isEqualTo("the node already holds a.bin");
  }

  @Test
  void aStoppedTorrentKeepsItsPlaceAndServesNobodyUntilStarted(@TempDir Path dir) throws Exception {
    Metainfo a = DownloadTest.seeded(dir, "a.bin", 100_000, 1, 16384).metainfo();
    TestNode.Torrent torrent = node.add(a, dir);
    torrent.await(TorrentState.SEEDING);

    torrent.pause();
    assertThat(list()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(TorrentState.STOPPED);
      assertThat(s.piecesHave()).isEqualTo(a.info().pieceCount());
    });
    try (RawPeer raw = RawPeer.connect(node.address).handshake(a.infoHash(), PeerId.generate())) {
      assertThat(raw.closedByRemote()).as("a stopped torrent is not served").isTrue();
    }

    torrent.start();
    torrent.await(TorrentState.SEEDING);
    try (RawPeer raw = RawPeer.connect(node.address).handshake(a.infoHash(), PeerId.generate())) {
      assertThat(raw.readHandshake().infoHash()).isEqualTo(a.infoHash());
      assertThat(raw.readUntil(PeerMessage.BitfieldMessage.class).toBitfield(a.info().pieceCount()).isComplete())
          .isTrue();
    }
  }

  @Test
  void verifyFindsDataDamagedOnDiskAndAStoppedTorrentStaysStopped(@TempDir Path dir) throws Exception {
    Metainfo a = DownloadTest.seeded(dir, "a.bin", 100_000, 1, 16384).metainfo();
    TestNode.Torrent torrent = node.add(a, dir);
    torrent.await(TorrentState.SEEDING);
    torrent.pause();
    byte[] bytes = Files.readAllBytes(dir.resolve("a.bin"));
    bytes[20_000] ^= 1; // in piece 1
    Files.write(dir.resolve("a.bin"), bytes);

    assertThat(done(r -> new Session.Verify(Session.Selection.of(a.infoHash()), r)).matched()).isEqualTo(1);
    torrent.await(TorrentState.CHECKING);
    TorrentSnapshot checked = torrent.await(TorrentState.STOPPED);
    assertThat(checked.piecesHave()).isEqualTo(a.info().pieceCount() - 1);
    assertThat(checked.complete()).isFalse();
  }

  @Test
  void withResumeDataAStartHashesNothingUnlessAFileChanged(@TempDir Path dir, @TempDir Path state) throws Exception {
    Metainfo a = DownloadTest.seeded(dir, "a.bin", 300_000, 1, 16384).metainfo();
    Path resume = state.resolve(a.infoHash().hex() + ".resume");
    TestNode.Torrent torrent = node.add(new Download.Job(a, dir, List.of(), List.of(), Optional.of(resume)));
    assertThat(torrent.await(TorrentState.SEEDING).checkedBytes()).as("the first start hashes the file")
        .isEqualTo(300_000);
    torrent.pause();
    assertThat(resume).exists();

    torrent.start();
    TorrentSnapshot resumed = torrent.await(TorrentState.SEEDING);
    assertThat(resumed.checkedBytes()).as("unchanged: nothing read back").isZero();
    assertThat(resumed.complete()).isTrue();

    torrent.pause();
    Files.setLastModifiedTime(dir.resolve("a.bin"), java.nio.file.attribute.FileTime.fromMillis(1_000_000));
    torrent.start();
    assertThat(torrent.await(TorrentState.SEEDING).checkedBytes()).as("touched: checked again").isEqualTo(300_000);
    torrent.pause(); // returns once the resume data it saves is on disk, before the directories go
  }

  @Test
  void removeForgetsTheTorrentAndTellsSubscribers(@TempDir Path dir) throws Exception {
    Metainfo a = DownloadTest.seeded(dir, "a.bin", 100_000, 1, 16384).metainfo();
    TestNode.Torrent torrent = node.add(a, dir);
    int id = torrent.await(TorrentState.SEEDING).id();

    assertThat(done(r -> new Session.Remove(Session.Selection.ofIds(Set.of(id)), false, r)).matched()).isEqualTo(1);
    torrent.events.fishForMessage(TestNode.HANG_GUARD, e -> e instanceof Session.TorrentRemoved removed
        && removed.id() == id ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    assertThat(list()).isEmpty();
    assertThat(Files.exists(dir.resolve("a.bin"))).as("the data stays").isTrue();
  }

  Session.RecentlyActive recentlyActive() {
    TestProbe<Session.RecentlyActive> reply = kit.createTestProbe();
    node.session.tell(new Session.GetRecentlyActive(reply.getRef()));
    return reply.receiveMessage(TestNode.HANG_GUARD);
  }

  @Test
  void recentlyActiveNamesTheTorrentsThatChangedAndTheIdsRemovedInTheLastMinute(@TempDir Path dir) throws Exception {
    Metainfo a = DownloadTest.seeded(dir, "recent-a.bin", 60_000, 5, 16384).metainfo();
    Metainfo b = DownloadTest.seeded(dir, "recent-b.bin", 60_000, 6, 16384).metainfo();
    int idA = node.add(a, dir).await(TorrentState.SEEDING).id();
    int idB = node.add(b, dir).await(TorrentState.SEEDING).id();
    assertThat(recentlyActive().torrents()).extracting(TorrentSnapshot::id).containsExactly(idA, idB);
    assertThat(recentlyActive().removed()).isEmpty();

    done(r -> new Session.Remove(Session.Selection.ofIds(Set.of(idA)), false, r));
    Session.RecentlyActive recent = recentlyActive();
    assertThat(recent.torrents()).extracting(TorrentSnapshot::id).containsExactly(idB);
    assertThat(recent.removed()).containsExactly(idA);
    done(r -> new Session.Remove(Session.Selection.ofIds(Set.of(idB)), false, r));
    assertThat(recentlyActive().removed()).containsExactly(idA, idB);
  }

  @Test
  void removeWithItsDataDeletesTheTorrentsFilesAndNothingElse(@TempDir Path dir) throws Exception {
    Metainfo album = DownloadTest.album(dir);
    Files.writeString(dir.resolve("album/mine.txt"), "not the torrent's");
    Files.writeString(dir.resolve("other.txt"), "not the torrent's either");
    node.add(album, dir).await(TorrentState.SEEDING);

    assertThat(done(r -> new Session.Remove(Session.Selection.of(album.infoHash()), true, r)).matched()).isEqualTo(1);
    org.awaitility.Awaitility.await().atMost(TestNode.HANG_GUARD).until(() -> !Files.exists(dir.resolve("album/a.bin")));
    assertThat(dir.resolve("album/disc")).doesNotExist();
    assertThat(dir.resolve("album/c.bin")).doesNotExist();
    assertThat(dir.resolve("album/mine.txt")).exists();
    assertThat(dir.resolve("other.txt")).exists();
  }

  @Test
  void aSessionWithAStoreComesBackAsItWasWithoutHashing(@TempDir Path dir, @TempDir Path data) throws Exception {
    Metainfo a = DownloadTest.seeded(dir, "a.bin", 200_000, 1, 16384).metainfo();
    Metainfo b = DownloadTest.seeded(dir, "b.bin", 200_000, 2, 16384).metainfo();
    TestNode first = new TestNode(kit, "", new TorrentStore(data), List.of());
    first.add(a, dir).await(TorrentState.SEEDING);
    TestNode.Torrent stopped = first.add(b, dir);
    stopped.await(TorrentState.SEEDING);
    stopped.pause();
    TestProbe<Session.Stopped> down = kit.createTestProbe();
    first.session.tell(new Session.Shutdown(down.getRef()));
    down.expectMessage(TestNode.HANG_GUARD, Session.Stopped.INSTANCE);

    List<TorrentStore.Stored> kept = new TorrentStore(data).load(dir);
    assertThat(kept).extracting(k -> k.metainfo().orElseThrow().info().name()).containsExactly("a.bin", "b.bin");
    TestNode second = new TestNode(kit, "", new TorrentStore(data), kept);
    TestProbe<Session.Event> events = kit.createTestProbe();
    second.session.tell(new Session.Subscribe(Session.Selection.everything(), events.getRef()));
    TorrentSnapshot back = ((Session.TorrentChanged) events.fishForMessage(TestNode.HANG_GUARD,
        e -> e instanceof Session.TorrentChanged c && c.torrent().state() == TorrentState.SEEDING
            ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0)).torrent();
    assertThat(back.name()).isEqualTo("a.bin");
    assertThat(back.id()).isEqualTo(1);
    assertThat(back.checkedBytes()).as("resumed without reading the file").isZero();
    TestProbe<List<TorrentSnapshot>> list = kit.createTestProbe();
    second.session.tell(new Session.ListTorrents(list.getRef()));
    assertThat(list.receiveMessage(TestNode.HANG_GUARD)).extracting(TorrentSnapshot::id, TorrentSnapshot::state)
        .containsExactly(tuple(1, TorrentState.SEEDING), tuple(2, TorrentState.STOPPED));
    // Its last writes land before the temporary directories go.
    second.session.tell(new Session.Shutdown(down.getRef()));
    down.expectMessage(TestNode.HANG_GUARD, Session.Stopped.INSTANCE);
  }

  @Test
  void whileItShutsDownTheSessionStillListsItsTorrentsAsTheyWereAndAddsNoMore(@TempDir Path dir) throws Exception {
    Metainfo a = DownloadTest.seeded(dir, "a.bin", 100_000, 1, 16384).metainfo();
    Metainfo b = DownloadTest.seeded(dir, "b.bin", 100_000, 2, 16384).metainfo();
    // A tracker that never answers holds the shutdown open while the torrent waits to say it stopped.
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      node.add(a, dir, List.of(List.of("udp://127.0.0.1:" + silent.getLocalPort() + "/announce")))
          .await(TorrentState.SEEDING);
      silent.setSoTimeout((int) TestNode.HANG_GUARD.toMillis());
      silent.receive(new DatagramPacket(new byte[2048], 2048)); // the torrent is talking to it

      TestProbe<Session.Stopped> stopped = kit.createTestProbe();
      TestProbe<Session.Added> added = kit.createTestProbe();
      TestProbe<List<TorrentSnapshot>> listed = kit.createTestProbe();
      node.session.tell(new Session.Shutdown(stopped.getRef()));
      node.session.tell(new Session.Add(new Download.Job(b, dir, List.of()), false, added.getRef()));
      node.session.tell(new Session.ListTorrents(listed.getRef()));
      assertThat(listed.receiveMessage(TestNode.HANG_GUARD)).extracting(TorrentSnapshot::name,
          TorrentSnapshot::piecesHave).containsExactly(tuple("a.bin", a.info().pieceCount()));
      assertThat(added.receiveMessage(TestNode.HANG_GUARD).refusal()).isEqualTo("the node is shutting down");
      stopped.receiveMessage(TestNode.HANG_GUARD);
    }
  }

  @Test
  void aSubscriberHearsTheTorrentsAsTheyAreThenEveryChange(@TempDir Path dir) throws Exception {
    Metainfo a = DownloadTest.seeded(dir, "a.bin", 100_000, 1, 16384).metainfo();
    node.add(a, dir).await(TorrentState.SEEDING);

    TestProbe<Session.Event> late = kit.createTestProbe();
    node.session.tell(new Session.Subscribe(Session.Selection.everything(), late.getRef()));
    Session.TorrentChanged first = late.expectMessageClass(Session.TorrentChanged.class, TestNode.HANG_GUARD);
    assertThat(first.torrent().state()).isEqualTo(TorrentState.SEEDING);
    assertThat(first.torrent().completed()).as("it was complete when added, not completed here").isEqualTo(Optional.empty());
  }

  static Session.Done done(TestNode on, Function<ActorRef<Session.Done>, Session.Command> c) {
    TestProbe<Session.Done> reply = kit.createTestProbe();
    on.session.tell(c.apply(reply.getRef()));
    return reply.receiveMessage(TestNode.HANG_GUARD);
  }

  @Test
  void aDownloadThatStallsFreesItsQueuePlaceForTheNext(@TempDir Path seeds, @TempDir Path empty) throws Exception {
    Metainfo a = DownloadTest.seeded(seeds, "a.bin", 50_000, 1, 16384).metainfo();
    Metainfo b = DownloadTest.seeded(seeds, "b.bin", 50_000, 2, 16384).metainfo();
    TestNode one = new TestNode(kit, "swarmshare.peer { download-queue-size = 1, queue-stalled-minutes = 2 s }");
    TestNode.Torrent first = one.add(a, empty);
    first.await(TorrentState.DOWNLOADING);
    TestNode.Torrent second = one.add(b, empty);
    // Nobody has a.bin: it moves nothing, stalls, and b.bin gets the one place while a.bin runs on.
    second.await(TorrentState.DOWNLOADING);
    assertThat(first.snapshot().state()).isEqualTo(TorrentState.DOWNLOADING);
  }

  @Test
  void atMostTheDownloadQueuesSizeDownloadAndTheRestWaitInOrder(@TempDir Path seeds, @TempDir Path empty)
      throws Exception {
    Metainfo a = DownloadTest.seeded(seeds, "a.bin", 50_000, 1, 16384).metainfo();
    Metainfo b = DownloadTest.seeded(seeds, "b.bin", 50_000, 2, 16384).metainfo();
    Metainfo c = DownloadTest.seeded(seeds, "c.bin", 50_000, 3, 16384).metainfo();
    TestNode one = new TestNode(kit, "swarmshare.peer { download-queue-size = 1 }");
    TestNode.Torrent first = one.add(a, empty);
    first.await(TorrentState.DOWNLOADING);
    TestNode.Torrent second = one.add(b, empty);
    TestNode.Torrent third = one.add(c, empty);
    assertThat(third.await(TorrentState.QUEUED).queuePosition()).isEqualTo(2);
    assertThat(second.await(TorrentState.QUEUED).complete()).as("it waits to download").isFalse();

    assertThat(done(one, r -> new Session.MoveInQueue(Session.Selection.of(c.infoHash()), Session.QueueMove.TOP, r))
        .matched()).isEqualTo(1);
    assertThat(third.await(s -> s.queuePosition() == 0).state()).as("a move does not stop a running torrent")
        .isEqualTo(TorrentState.QUEUED);
    first.pause();
    third.await(TorrentState.DOWNLOADING);
    assertThat(second.snapshot().state()).isEqualTo(TorrentState.QUEUED);

    done(one, r -> new Session.StartNow(Session.Selection.of(b.infoHash()), r));
    second.await(TorrentState.DOWNLOADING);
    first.start();
    assertThat(first.await(TorrentState.QUEUED).queuePosition()).isEqualTo(1);
  }

  @Test
  void aSeederStopsAtItsRatioAndStartedByHandSeedsOnWithoutOne(@TempDir Path seeds, @TempDir Path fetched)
      throws Exception {
    Metainfo a = DownloadTest.seeded(seeds, "a.bin", 400_000, 4, 16384).metainfo();
    TestNode seeder = new TestNode(kit);
    TestNode.Torrent seeding = seeder.add(a, seeds);
    seeding.await(TorrentState.SEEDING);
    done(seeder, r -> new Session.SetTorrent(Session.Selection.of(a.infoHash()), new Session.TorrentChanges(
        Optional.of(SeedingGoals.Mode.OWN), Optional.of(0.25), Optional.empty(), Optional.empty(),
        TorrentLimits.Changes.none(), Optional.of(List.of("tv")), Optional.empty()), r));

    TestNode leecher = new TestNode(kit);
    TestNode.Torrent fetching = leecher.add(a, fetched);
    fetching.connectTo(seeder.address);
    TorrentSnapshot stopped = seeding.await(TorrentState.STOPPED);
    assertThat(stopped.uploaded()).isGreaterThanOrEqualTo(a.info().totalLength() / 4);
    assertThat(stopped.goals().ratioMode()).isEqualTo(SeedingGoals.Mode.OWN);
    assertThat(stopped.labels()).containsExactly("tv");

    seeding.start();
    assertThat(seeding.await(TorrentState.SEEDING).goals().ratioMode()).isEqualTo(SeedingGoals.Mode.UNLIMITED);
    fetching.connectTo(seeder.address);
    fetching.await(TorrentState.SEEDING);
    assertThat(seeding.snapshot().state()).isEqualTo(TorrentState.SEEDING);
  }

  @Test
  void aSeederIdleForTheNodesIdleLimitStops(@TempDir Path dir) throws Exception {
    Metainfo a = DownloadTest.seeded(dir, "a.bin", 50_000, 5, 16384).metainfo();
    TestNode idle = new TestNode(kit, "swarmshare.peer { idle-seeding-limit-enabled = true, idle-seeding-limit = 1 s }");
    TestNode.Torrent torrent = idle.add(a, dir);
    torrent.await(TorrentState.SEEDING);
    TorrentSnapshot stopped = torrent.await(TorrentState.STOPPED);
    assertThat(stopped.goals().idleMode()).isEqualTo(SeedingGoals.Mode.NODE);
  }

  @Test
  void goalsLabelsAndQueuePlacesComeBackAfterARestart(@TempDir Path dir, @TempDir Path data) throws Exception {
    Metainfo a = DownloadTest.seeded(dir, "a.bin", 50_000, 6, 16384).metainfo();
    Metainfo b = DownloadTest.seeded(dir, "b.bin", 50_000, 7, 16384).metainfo();
    TestNode first = new TestNode(kit, "", new TorrentStore(data), List.of());
    first.add(a, dir).await(TorrentState.SEEDING);
    first.add(b, dir).await(TorrentState.SEEDING);
    done(first, r -> new Session.SetTorrent(Session.Selection.of(b.infoHash()), new Session.TorrentChanges(
        Optional.of(SeedingGoals.Mode.UNLIMITED), Optional.of(1.5), Optional.of(SeedingGoals.Mode.OWN),
        Optional.of(Duration.ofMinutes(9)), LIMITED_DOWNLOAD, Optional.of(List.of("music", "flac")),
        Optional.of(0)), r));
    TestProbe<Session.Stopped> down = kit.createTestProbe();
    first.session.tell(new Session.Shutdown(down.getRef()));
    down.expectMessage(TestNode.HANG_GUARD, Session.Stopped.INSTANCE);

    TestNode second = new TestNode(kit, "", new TorrentStore(data), new TorrentStore(data).load(dir));
    TestProbe<List<TorrentSnapshot>> list = kit.createTestProbe();
    second.session.tell(new Session.ListTorrents(list.getRef()));
    List<TorrentSnapshot> back = list.receiveMessage(TestNode.HANG_GUARD);
    assertThat(back).extracting(TorrentSnapshot::name, TorrentSnapshot::queuePosition)
        .containsExactly(tuple("a.bin", 1), tuple("b.bin", 0));
    assertThat(back.get(1).goals()).isEqualTo(new SeedingGoals.Goals(SeedingGoals.Mode.UNLIMITED, 1.5,
        SeedingGoals.Mode.OWN, Duration.ofMinutes(9)));
    assertThat(back.get(1).labels()).containsExactly("music", "flac");
    assertThat(back.get(1).limits()).isEqualTo(new TorrentLimits(16_000, true, 0, false, true));
    assertThat(back.get(0).limits()).isEqualTo(TorrentLimits.NONE);
    second.session.tell(new Session.Shutdown(down.getRef()));
    down.expectMessage(TestNode.HANG_GUARD, Session.Stopped.INSTANCE);
  }

  static final TorrentLimits.Changes LIMITED_DOWNLOAD = new TorrentLimits.Changes(Optional.of(16_000L),
      Optional.of(true), Optional.empty(), Optional.empty(), Optional.empty());

  @Test
  void aTorrentsOwnDownloadLimitHoldsItBackWhileAnotherOfTheNodeRunsFree(@TempDir Path seeds, @TempDir Path fetched)
      throws Exception {
    Metainfo slow = DownloadTest.seeded(seeds, "slow.bin", 4_000_000, 8, 32768).metainfo();
    Metainfo free = DownloadTest.seeded(seeds, "free.bin", 4_000_000, 9, 32768).metainfo();
    TestNode seeder = new TestNode(kit);
    seeder.add(slow, seeds).await(TorrentState.SEEDING);
    seeder.add(free, seeds).await(TorrentState.SEEDING);

    TestNode.Torrent limited = node.add(slow, fetched);
    done(r -> new Session.SetTorrent(Session.Selection.of(slow.infoHash()), new Session.TorrentChanges(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), LIMITED_DOWNLOAD, Optional.empty(),
        Optional.empty()), r));
    TestNode.Torrent unlimited = node.add(free, fetched);
    long start = System.nanoTime();
    limited.connectTo(seeder.address);
    unlimited.connectTo(seeder.address);
    unlimited.await(TorrentState.SEEDING);
    double seconds = (System.nanoTime() - start) / 1e9;

    TorrentSnapshot held = limited.snapshot();
    assertThat(held.limits().downloadLimited()).isTrue();
    // 16 kB/s over the time the other took, plus what one connection reads before its limit stops it
    // (its read runs and socket buffers): far below the 4 MB it would have without its limit.
    assertThat(held.downloaded()).as("after %.1f s", seconds).isLessThan((long) (16_000 * seconds) + 1_000_000);
    assertThat(held.complete()).isFalse();
  }

  Session.Relocated relocate(Metainfo m, Path directory, boolean move) {
    TestProbe<Session.Relocated> reply = kit.createTestProbe();
    node.session.tell(new Session.Relocate(Session.Selection.of(m.infoHash()), directory, move, reply.getRef()));
    return reply.receiveMessage(TestNode.HANG_GUARD);
  }

  @Test
  void aTorrentMovedToAnotherDirectorySeedsOnFromThereWithoutHashingAndRefusesToOverwrite(@TempDir Path dir,
      @TempDir Path state, @TempDir Path elsewhere) throws Exception {
    DownloadTest.Seeded seeded = DownloadTest.seeded(dir, "a.bin", 300_000, 1, 16384);
    Metainfo a = seeded.metainfo();
    TestNode.Torrent torrent = node.add(new Download.Job(a, dir, List.of(), List.of(),
        Optional.of(state.resolve(a.infoHash().hex() + ".resume"))));
    torrent.await(TorrentState.SEEDING);

    Path moved = elsewhere.resolve("new/place");
    assertThat(relocate(a, moved, true)).isEqualTo(new Session.Relocated(1, List.of()));
    torrent.await(TorrentState.STOPPED);
    torrent.await(TorrentState.CHECK_WAIT);
    TorrentSnapshot there = torrent.await(TorrentState.SEEDING);
    assertThat(there.directory()).isEqualTo(moved);
    assertThat(there.checkedBytes()).as("its resume data still holds: nothing read back").isZero();
    assertThat(Files.readAllBytes(moved.resolve("a.bin"))).isEqualTo(seeded.data());
    assertThat(dir.resolve("a.bin")).doesNotExist();

    Files.write(dir.resolve("a.bin"), new byte[10]);
    Session.Relocated refused = relocate(a, dir, true);
    assertThat(refused.failures()).singleElement().asString().startsWith("a.bin: ").endsWith("already exists");
    assertThat(Files.readAllBytes(moved.resolve("a.bin"))).as("left where it was").isEqualTo(seeded.data());
    assertThat(Files.size(dir.resolve("a.bin"))).as("not overwritten").isEqualTo(10);
    torrent.await(TorrentState.CHECK_WAIT);
    assertThat(torrent.await(TorrentState.SEEDING).directory()).isEqualTo(moved);
  }

  @Test
  void aTorrentPointedAtAnotherDirectoryChecksWhatIsThere(@TempDir Path dir, @TempDir Path empty) throws Exception {
    Metainfo a = DownloadTest.seeded(dir, "a.bin", 100_000, 1, 16384).metainfo();
    TestNode.Torrent torrent = node.add(a, dir);
    torrent.await(TorrentState.SEEDING);

    assertThat(relocate(a, empty, false).failures()).isEmpty();
    torrent.await(TorrentState.CHECK_WAIT);
    TorrentSnapshot pointed = torrent.await(TorrentState.DOWNLOADING);
    assertThat(pointed.directory()).isEqualTo(empty);
    assertThat(pointed.piecesHave()).as("nothing there").isZero();
    assertThat(dir.resolve("a.bin")).as("left alone").exists();
  }

  /**
   * A mover that moves the files, then holds the move open (as a long copy would) until the test
   * lets it go: what must wait for a move is asked while it surely runs.
   */
  static final class HeldMover implements Relocation.Mover {
    final CompletableFuture<Void> moving = new CompletableFuture<>();
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void move(Info info, Path from, Path to) throws IOException {
      Relocation.FILES.move(info, from, to);
      moving.complete(null);
      try {
        if (!release.await(TestNode.HANG_GUARD.toSeconds(), TimeUnit.SECONDS)) {
          throw new IOException("the test never let the move end");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  @Test
  void aShutdownWaitsForAMoveThatRunsAndSavesWhereTheDataWent(@TempDir Path dir, @TempDir Path data,
      @TempDir Path elsewhere) throws Exception {
    DownloadTest.Seeded seeded = DownloadTest.seeded(dir, "a.bin", 100_000, 1, 16384);
    HeldMover mover = new HeldMover();
    TestNode held = new TestNode(kit, "", new TorrentStore(data), List.of(), mover);
    held.add(seeded.metainfo(), dir).await(TorrentState.SEEDING);
    TestProbe<Session.Relocated> relocated = kit.createTestProbe();
    held.session.tell(new Session.Relocate(Session.Selection.everything(), elsewhere, true, relocated.getRef()));
    mover.moving.get(TestNode.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);

    TestProbe<Session.Stopped> down = kit.createTestProbe();
    held.session.tell(new Session.Shutdown(down.getRef()));
    TestProbe<Session.Relocated> late = kit.createTestProbe();
    held.session.tell(new Session.Relocate(Session.Selection.everything(), dir, true, late.getRef()));
    assertThat(late.receiveMessage(TestNode.HANG_GUARD).failures()).containsExactly("a.bin: the node is shutting down");
    mover.release.countDown();
    assertThat(relocated.receiveMessage(TestNode.HANG_GUARD)).isEqualTo(new Session.Relocated(1, List.of()));
    down.expectMessage(TestNode.HANG_GUARD, Session.Stopped.INSTANCE);

    assertThat(new TorrentStore(data).load(dir)).singleElement()
        .satisfies(kept -> assertThat(kept.state().directory()).isEqualTo(elsewhere));
    assertThat(Files.readAllBytes(elsewhere.resolve("a.bin"))).isEqualTo(seeded.data());
  }

  @Test
  void aRemoveWithItsDataWaitsForTheMoveAndDeletesWhereTheDataWent(@TempDir Path dir, @TempDir Path elsewhere)
      throws Exception {
    Metainfo a = DownloadTest.seeded(dir, "a.bin", 100_000, 1, 16384).metainfo();
    HeldMover mover = new HeldMover();
    TestNode held = new TestNode(kit, "", null, List.of(), mover);
    held.add(a, dir).await(TorrentState.SEEDING);
    TestProbe<Session.Relocated> relocated = kit.createTestProbe();
    held.session.tell(new Session.Relocate(Session.Selection.everything(), elsewhere, true, relocated.getRef()));
    mover.moving.get(TestNode.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);

    TestProbe<Session.Done> removed = kit.createTestProbe();
    held.session.tell(new Session.Remove(Session.Selection.everything(), true, removed.getRef()));
    assertThat(removed.receiveMessage(TestNode.HANG_GUARD).matched()).as("stopped and forgotten").isEqualTo(1);
    assertThat(elsewhere.resolve("a.bin")).as("not deleted while the move runs").exists();
    mover.release.countDown();
    assertThat(relocated.receiveMessage(TestNode.HANG_GUARD)).isEqualTo(new Session.Relocated(1, List.of()));
    org.awaitility.Awaitility.await().atMost(TestNode.HANG_GUARD)
        .until(() -> !Files.exists(elsewhere.resolve("a.bin")));
    assertThat(dir.resolve("a.bin")).doesNotExist();
  }
}
