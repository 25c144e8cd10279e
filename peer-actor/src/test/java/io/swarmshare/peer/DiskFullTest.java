package io.swarmshare.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download onto a disk that fills up: a real tmpfs of 1 MiB for a 3 MiB file. */
class DiskFullTest {

  static final ActorTestKit kit = ActorTestKit.create();
  static final int PIECE = 65536;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void aFullDiskStopsTheTorrentWithOneLineAndKeepsWhatItVerifiedForLater(@TempDir Path seedDir, @TempDir Path disk)
      throws Exception {
    byte[] data = new byte[3 << 20];
    new Random(9).nextBytes(data);
    Metainfo metainfo = TorrentCreator.of(Files.write(seedDir.resolve("big.bin"), data)).pieceLength(PIECE).create();
    TestNode seeder = new TestNode(kit);
    seeder.add(metainfo, seedDir).await(TorrentState.SEEDING);
    TestNode leecher = new TestNode(kit);

    try (Tmpfs small = Tmpfs.mount(disk, 1 << 20)) {
      TestNode.Torrent first = leecher.add(metainfo, disk);
      first.connectTo(seeder.address);
      TorrentSnapshot failed = first.await(TorrentState.FAILED);
      assertThat(failed.problem()).contains("No space left on device", disk.toString()).doesNotContain("\n");
      assertThat(failed.piecesHave()).as("pieces verified before the disk filled").isBetween(1, 47);

      // Space is freed; the torrent started again checks the disk and fetches only what is missing.
      small.grow(8 << 20);
      first.start();
      TestNode.Torrent second = first;
      TorrentSnapshot resumed = second.await(TorrentState.DOWNLOADING);
      assertThat(resumed.piecesHave()).as("verified pieces found on disk").isGreaterThanOrEqualTo(failed.piecesHave());
      second.connectTo(seeder.address);
      TorrentSnapshot done = second.await(TorrentState.SEEDING);
      assertThat(done.downloaded() - failed.downloaded()).as("fetched by the second start")
          .isEqualTo(data.length - (long) resumed.piecesHave() * PIECE);
      assertThat(Files.readAllBytes(disk.resolve("big.bin"))).isEqualTo(data);
      // Its files are closed before the disk goes away.
      second.pause();
    }
  }
}
