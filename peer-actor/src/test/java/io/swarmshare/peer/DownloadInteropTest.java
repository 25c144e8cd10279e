package io.swarmshare.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.peer.session.TorrentState;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
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
