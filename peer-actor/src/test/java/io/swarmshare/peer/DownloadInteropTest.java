package io.swarmshare.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our Download against libtorrent (python3-libtorrent) and through opentracker: real clients, real sockets. */
class DownloadInteropTest {

  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static byte[] file(Path dir, String name, int length, long seed) throws Exception {
    byte[] data = new byte[length];
    new Random(seed).nextBytes(data);
    Files.write(dir.resolve(name), data);
    return data;
  }

  @Test
  void weDownloadFromALibtorrentSeeder(@TempDir Path seedDir, @TempDir Path leechDir) throws Exception {
    byte[] data = file(seedDir, "from-libtorrent.bin", 5_000_000, 21);
    Metainfo metainfo = TorrentCreator.of(seedDir.resolve("from-libtorrent.bin")).pieceLength(65536).create();
    Path torrent = Files.write(seedDir.resolve("t.torrent"), metainfo.encode());
    try (RealTools.LibtorrentPeer seeder = RealTools.LibtorrentPeer.start(torrent, seedDir, "--timeout", "300")) {
      TestNode leecher = new TestNode(kit);
      TestNode.Torrent fetch = leecher.add(metainfo, leechDir);
      fetch.connectTo(new InetSocketAddress("127.0.0.1", seeder.port));
      fetch.await(TorrentState.SEEDING);
    }
    assertThat(Files.readAllBytes(leechDir.resolve("from-libtorrent.bin"))).isEqualTo(data);
  }

  @Test
  void aLibtorrentLeecherWithOnlyAMagnetLinkGetsTheTorrentAndTheDataFromUs(@TempDir Path seedDir,
      @TempDir Path leechDir) throws Exception {
    byte[] data = file(seedDir, "by-magnet.bin", 3_000_000, 23);
    Metainfo metainfo = TorrentCreator.of(seedDir.resolve("by-magnet.bin")).pieceLength(16384).create();
    TestNode seeder = new TestNode(kit);
    seeder.add(metainfo, seedDir).await(TorrentState.SEEDING);
    String magnet = new MagnetLink(metainfo.infoHash(), Optional.empty(), List.of(), List.of()).format();
    try (RealTools.LibtorrentPeer leecher = RealTools.LibtorrentPeer.start(magnet, leechDir,
        "--connect", "127.0.0.1:" + seeder.address.getPort(), "--exit-when-done", "--timeout", "300")) {
      assertThat(leecher.awaitResult(Duration.ofSeconds(300)).path("finished").asBoolean()).isTrue();
    }
    assertThat(Files.readAllBytes(leechDir.resolve("by-magnet.bin"))).isEqualTo(data);
  }

  @Test
  void weFetchATorrentsMetadataFromALibtorrentSeeder(@TempDir Path seedDir) throws Exception {
    file(seedDir, "metadata.bin", 40_000_000, 24);
    Metainfo metainfo = TorrentCreator.of(seedDir.resolve("metadata.bin")).pieceLength(16384).create();
    Path torrent = Files.write(seedDir.resolve("t.torrent"), metainfo.encode());
    try (RealTools.LibtorrentPeer seeder = RealTools.LibtorrentPeer.start(torrent, seedDir, "--timeout", "300")) {
      TestNode node = new TestNode(kit);
      TestProbe<MetadataFetch.Outcome> outcome = kit.createTestProbe();
      node.session.tell(new Session.FetchMetadata(new MetadataFetch.Subject(metainfo.infoHash(), List.of(),
          List.of(new InetSocketAddress("127.0.0.1", seeder.port))), outcome.getRef()));
      MetadataFetch.Fetched fetched = outcome.expectMessageClass(MetadataFetch.Fetched.class, TestNode.HANG_GUARD);
      // 2,442 pieces: 48 KiB of hashes, three metadata pieces.
      assertThat(fetched.metainfo().infoBytes()).isEqualTo(metainfo.infoBytes());
    }
  }

  @Test
  void aLibtorrentSeederAndOursTogetherFeedOurLeecher(@TempDir Path ltDir, @TempDir Path ourDir,
      @TempDir Path leechDir) throws Exception {
    byte[] data = file(ltDir, "both.bin", 4_000_000, 22);
    Files.write(ourDir.resolve("both.bin"), data);
    Metainfo metainfo = TorrentCreator.of(ltDir.resolve("both.bin")).pieceLength(32768).create();
    Path torrent = Files.write(ltDir.resolve("t.torrent"), metainfo.encode());
    // Both seeders are slowed down, so that neither finishes the leecher alone before the other is asked.
    TestNode ourSeeder = new TestNode(kit, "swarmshare.peer.upload-limit = 1 MiB");
    TestNode.Torrent ours = ourSeeder.add(metainfo, ourDir);
    ours.await(TorrentState.SEEDING);
    try (RealTools.LibtorrentPeer lt = RealTools.LibtorrentPeer.start(torrent, ltDir, "--timeout", "300",
        "--upload-limit", "1000000")) {
      TestNode leecher = new TestNode(kit);
      TestNode.Torrent fetch = leecher.add(metainfo, leechDir);
      fetch.connectTo(new InetSocketAddress("127.0.0.1", lt.port), ourSeeder.address);
      fetch.await(TorrentState.SEEDING);
      JsonNode ltReport = lt.stop();
      assertThat(ltReport.path("uploaded").asLong()).as("libtorrent uploaded to us").isPositive();
    }
    assertThat(ours.await(s -> s.uploaded() > 0).uploaded()).as("our seeder uploaded too").isPositive();
    assertThat(Files.readAllBytes(leechDir.resolve("both.bin"))).isEqualTo(data);
  }

  @Test
  void ourPeersFindEachOtherThroughOpentracker(@TempDir Path seedDir, @TempDir Path leechDir,
      @TempDir Path work) throws Exception {
    RealTools.requireOpentracker();
    byte[] data = file(seedDir, "tracked.bin", 2_000_000, 23);
    Metainfo metainfo = TorrentCreator.of(seedDir.resolve("tracked.bin")).pieceLength(32768).create();
    try (OpentrackerProcess tracker = OpentrackerProcess.start(work, metainfo.infoHash())) {
      List<List<String>> tiers = List.of(List.of(tracker.url("udp")));
      TestNode seeder = new TestNode(kit);
      seeder.add(metainfo, seedDir, tiers).await(TorrentState.SEEDING);
      TestNode leecher = new TestNode(kit);
      leecher.add(metainfo, leechDir, tiers).await(TorrentState.SEEDING);
    }
    assertThat(Files.readAllBytes(leechDir.resolve("tracked.bin"))).isEqualTo(data);
  }
}
