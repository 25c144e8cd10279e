package io.swarmshare.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads between our own peers, in one actor system over loopback TCP. */
class DownloadTest {

  /** A loopback address of a peer's own, apart from 127.0.0.1 where the honest peers are. */
  static final InetAddress LIAR = loopback(2);

  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** A file of random bytes in {@code dir} and its torrent. */
  record Seeded(Metainfo metainfo, byte[] data) {}

  static Seeded seeded(Path dir, String name, int length, long seed, int pieceLength) throws IOException {
    byte[] data = random(length, seed);
    Files.write(dir.resolve(name), data);
    return new Seeded(TorrentCreator.of(dir.resolve(name)).pieceLength(pieceLength).create(), data);
  }

  /** 127.0.0.N: Linux routes the whole of 127.0.0.0/8 to the loopback interface. */
  static InetAddress loopback(int n) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) n});
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static byte[] random(int length, long seed) {
    byte[] data = new byte[length];
    new Random(seed).nextBytes(data);
    return data;
  }

  /** A directory "album" of three files whose pieces straddle the file boundaries. */
  static Metainfo album(Path root) throws IOException {
    Path dir = Files.createDirectories(root.resolve("album/disc"));
    Files.write(root.resolve("album/a.bin"), random(1_000_003, 1));
    Files.write(dir.resolve("b.bin"), random(777_777, 2));
    Files.write(root.resolve("album/c.bin"), random(1_234_567, 3));
    return TorrentCreator.of(root.resolve("album")).pieceLength(65536).create();
  }

  static void assertSameFiles(Path expectedRoot, Path actualRoot, String... names) throws IOException {
    for (String name : names) {
      assertThat(Files.readAllBytes(actualRoot.resolve(name))).as(name)
          .isEqualTo(Files.readAllBytes(expectedRoot.resolve(name)));
    }
  }

  @Test
  void aLeecherFetchesAMultiFileTorrentAndBecomesASeeder(@TempDir Path seedDir, @TempDir Path leechDir)
      throws IOException {
    Metainfo metainfo = album(seedDir);
    TestNode seeder = new TestNode(kit);
    TestNode leecher = new TestNode(kit);
    seeder.add(metainfo, seedDir).await(TorrentState.SEEDING);

    TestNode.Torrent fetch = leecher.add(metainfo, leechDir);
    fetch.connectTo(seeder.address);
    TorrentSnapshot done = fetch.await(TorrentState.SEEDING);

    assertThat(done.piecesHave()).isEqualTo(metainfo.info().pieceCount());
    assertThat(done.downloaded()).isEqualTo(metainfo.info().totalLength());
    assertSameFiles(seedDir, leechDir, "album/a.bin", "album/disc/b.bin", "album/c.bin");
  }

  @Test
  void aRestartedLeecherFetchesOnlyThePiecesItLacks(@TempDir Path seedDir, @TempDir Path leechDir)
      throws IOException {
    Seeded file = seeded(seedDir, "movie.bin", 2_000_000, 9, 32768);
    byte[] data = file.data();
    Metainfo metainfo = file.metainfo();
    // The first 40 pieces are on disk already; the rest of the file is zeros.
    byte[] partial = new byte[data.length];
    System.arraycopy(data, 0, partial, 0, 40 * 32768);
    Files.write(leechDir.resolve("movie.bin"), partial);

    TestNode seeder = new TestNode(kit);
    TestNode leecher = new TestNode(kit);
    seeder.add(metainfo, seedDir).await(TorrentState.SEEDING);
    TestNode.Torrent fetch = leecher.add(metainfo, leechDir);
    assertThat(fetch.await(TorrentState.DOWNLOADING).piecesHave()).isEqualTo(40);
    fetch.connectTo(seeder.address);
    TorrentSnapshot done = fetch.await(TorrentState.SEEDING);

    assertThat(done.downloaded()).isEqualTo(data.length - 40L * 32768);
    assertThat(Files.readAllBytes(leechDir.resolve("movie.bin"))).isEqualTo(data);
  }

  @Test
  void aLeecherGetsTheRightFilePastALyingPeerAndBansIt(@TempDir Path seedDir, @TempDir Path leechDir)
      throws Exception {
    Seeded file = seeded(seedDir, "doc.bin", 1_500_000, 4, 32768);
    byte[] data = file.data();
    Metainfo metainfo = file.metainfo();
    // The honest seeder is slow, so that the liar, which answers at once, is asked for many pieces.
    TestNode seeder = new TestNode(kit, "swarmshare.peer.upload-limit = 512 KiB");
    seeder.add(metainfo, seedDir).await(TorrentState.SEEDING);
    TestNode leecher = new TestNode(kit);
    // The liar has a loopback address of its own: bans are by address, and 127.0.0.1 is the honest seeder's.
    try (FakeSeeder liar = new FakeSeeder(metainfo, FakeSeeder.Misbehaviour.LIES, LIAR)) {
      TestNode.Torrent fetch = leecher.add(metainfo, leechDir);
      fetch.connectTo(liar.address(), seeder.address);
      fetch.await(TorrentState.SEEDING);

      assertThat(Files.readAllBytes(leechDir.resolve("doc.bin"))).isEqualTo(data);
      assertThat(liar.blocksSent.get()).as("the liar was asked for blocks").isPositive();
      assertThat(liar.closedByLeecher.await(30, TimeUnit.SECONDS)).as("the liar was disconnected").isTrue();
      try (RawPeer again = RawPeer.connectFrom(LIAR, leecher.address)) {
        assertThat(again.handshake(metainfo.infoHash(), PeerId.generate()).closedByRemote())
            .as("the banned address is refused when it comes back inbound under a new peer id").isTrue();
      }
      try (RawPeer honest = RawPeer.connect(leecher.address)) {
        assertThat(honest.handshake(metainfo.infoHash(), PeerId.generate()).readHandshake().infoHash())
            .as("another address is welcome").isEqualTo(metainfo.infoHash());
      }
    }
  }

  @Test
  void aLeecherDropsBlocksItDidNotAskForWithoutChargingThemToItsLimitAndLetsTheSenderGo(@TempDir Path seedDir,
      @TempDir Path leechDir) throws Exception {
    Seeded file = seeded(seedDir, "small.bin", 40_000, 8, 16384);
    TestNode seeder = new TestNode(kit);
    seeder.add(file.metainfo(), seedDir).await(TorrentState.SEEDING);
    // 64 blocks of 16 KiB at 4 KiB/s would hold the socket for over four minutes if they were
    // charged to the limit, long past the hang guard: the sender is only let go in time if not.
    TestNode leecher = new TestNode(kit, "swarmshare.peer { download-limit = 4 KiB, max-unrequested-blocks = 64 }");
    try (FakeSeeder flooder = new FakeSeeder(file.metainfo(), FakeSeeder.Misbehaviour.UNSOLICITED)) {
      TestNode.Torrent fetch = leecher.add(file.metainfo(), leechDir);
      fetch.connectTo(flooder.address());
      assertThat(flooder.closedByLeecher.await(60, TimeUnit.SECONDS)).as("the flooder was disconnected").isTrue();
      assertThat(flooder.blocksSent.get()).isLessThan(FakeSeeder.FLOOD);
      assertThat(fetch.snapshot().downloaded()).as("nothing it sent was used").isZero();

      fetch.connectTo(seeder.address);
      fetch.await(TorrentState.SEEDING);
      assertThat(Files.readAllBytes(leechDir.resolve("small.bin"))).isEqualTo(file.data());
    }
  }

  @Test
  void aLeecherIsNotMadeToResendItsRequestsByARemoteThatFlipsChokeAndLetsItGo(@TempDir Path seedDir,
      @TempDir Path leechDir) throws Exception {
    Seeded file = seeded(seedDir, "flap.bin", 4_000_000, 9, 65536);
    TestNode seeder = new TestNode(kit);
    seeder.add(file.metainfo(), seedDir).await(TorrentState.SEEDING);
    TestNode leecher = new TestNode(kit);
    try (FakeSeeder flapper = new FakeSeeder(file.metainfo(), FakeSeeder.Misbehaviour.FLAPS)) {
      TestNode.Torrent fetch = leecher.add(file.metainfo(), leechDir);
      fetch.connectTo(flapper.address());
      assertThat(flapper.closedByLeecher.await(60, TimeUnit.SECONDS)).as("the flapper was disconnected").isTrue();
      // 500 unchokes, each answered with a full queue (128 requests), would be 64,000 requests.
      // None at all when the whole burst is read before the first queue goes out.
      assertThat(flapper.requestsSeen.get()).as("requests sent to the flapper").isLessThanOrEqualTo(3 * 128);

      fetch.connectTo(seeder.address);
      fetch.await(TorrentState.SEEDING);
      assertThat(Files.readAllBytes(leechDir.resolve("flap.bin"))).isEqualTo(file.data());
    }
  }

  @Test
  void aLeecherDialsAgainWhenTheConnectionToItsOnlySeederCrashes(@TempDir Path seedDir, @TempDir Path leechDir)
      throws Exception {
    Seeded file = seeded(seedDir, "crash.bin", 4_000_000, 10, 65536);
    TestNode seeder = new TestNode(kit, "swarmshare.peer.upload-limit = 1 MiB");
    seeder.add(file.metainfo(), seedDir).await(TorrentState.SEEDING);
    TestNode leecher = new TestNode(kit);
    TestNode.Torrent fetch = leecher.add(file.metainfo(), leechDir);
    fetch.connectTo(seeder.address);
    assertThat(fetch.await(s -> s.piecesHave() >= 8).piecesHave()).isLessThan(file.metainfo().info().pieceCount());

    // The seeder's end fails. The seeder has no tracker and was never told the leecher's address
    // (an inbound connection's port is not one to dial), so only the leecher can connect again:
    // finishing proves that it dialled again.
    ActorRef<Connection.Command> served = Adapter.toTyped(Adapter.toClassic(kit.system())
        .actorSelection(seeder.session.path().child("chunk-server") + "/*")
        .resolveOne(TestNode.HANG_GUARD).toCompletableFuture().get());
    LoggingTestKit.error("crash injected by a test").expect(kit.system(), () -> {
      served.tell(new Connection.Crash());
      return null;
    });
    fetch.await(TorrentState.SEEDING);
    assertThat(Files.readAllBytes(leechDir.resolve("crash.bin"))).isEqualTo(file.data());
  }

  @Test
  void aLeecherCompletesWhenOneOfTwoSeedersVanishes(@TempDir Path seedA, @TempDir Path seedB,
      @TempDir Path leechDir) throws IOException {
    Seeded file = seeded(seedA, "big.bin", 6_000_000, 6, 65536);
    byte[] data = file.data();
    Metainfo metainfo = file.metainfo();
    Files.write(seedB.resolve("big.bin"), data);
    ActorTestKit doomedKit = ActorTestKit.create("Doomed");
    TestNode doomed = new TestNode(doomedKit, "swarmshare.peer.upload-limit = 1 MiB");
    TestNode survivor = new TestNode(kit, "swarmshare.peer.upload-limit = 1 MiB");
    doomed.add(metainfo, seedA).await(TorrentState.SEEDING);
    survivor.add(metainfo, seedB).await(TorrentState.SEEDING);
    TestNode leecher = new TestNode(kit);
    TestNode.Torrent fetch = leecher.add(metainfo, leechDir);
    fetch.connectTo(doomed.address, survivor.address);
    fetch.await(s -> s.piecesHave() >= 10);
    doomedKit.shutdownTestKit();

    TorrentSnapshot done = fetch.await(TorrentState.SEEDING);
    assertThat(done.piecesHave()).isEqualTo(metainfo.info().pieceCount());
    assertThat(Files.readAllBytes(leechDir.resolve("big.bin"))).isEqualTo(data);
  }

  @Test
  void aLeecherGivesUpOnAPeerThatNeverSendsWhatItAskedFor(@TempDir Path seedDir, @TempDir Path leechDir)
      throws Exception {
    Seeded file = seeded(seedDir, "slow.bin", 1_000_000, 7, 32768);
    byte[] data = file.data();
    Metainfo metainfo = file.metainfo();
    TestNode seeder = new TestNode(kit, "swarmshare.peer.upload-limit = 256 KiB");
    seeder.add(metainfo, seedDir).await(TorrentState.SEEDING);
    TestNode leecher = new TestNode(kit, "swarmshare.peer.request-timeout = 2 s");
    try (FakeSeeder staller = new FakeSeeder(metainfo, FakeSeeder.Misbehaviour.STALLS)) {
      TestNode.Torrent fetch = leecher.add(metainfo, leechDir);
      fetch.connectTo(staller.address());
      assertThat(staller.closedByLeecher.await(30, TimeUnit.SECONDS)).as("the stalled peer was dropped").isTrue();
      assertThat(staller.requestsSeen.get()).isPositive();
      fetch.connectTo(seeder.address);
      fetch.await(TorrentState.SEEDING);
      assertThat(Files.readAllBytes(leechDir.resolve("slow.bin"))).isEqualTo(data);
    }
  }
}
