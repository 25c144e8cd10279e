package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.messages.tracker.ScrapeStats;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole swarm in one JVM, each node in its own actor system on loopback: our tracker, one seeder
 * whose upload is capped, and four leechers that find each other through the tracker.
 */
class SwarmTest {

  final LoopbackSwarm swarm = new LoopbackSwarm();

  @AfterEach
  void stopNodes() {
    swarm.close();
  }

  @Test
  void fourLeechersGetByteIdenticalCopiesAndServeEachOther(@TempDir Path root) throws Exception {
    LoopbackSwarm.Tracker tracker = swarm.tracker(root.resolve("tracker"), "");
    String url = tracker.udpUrl();

    Path seedDir = Files.createDirectories(root.resolve("seeder"));
    byte[] data = new byte[8 << 20];
    new Random(42).nextBytes(data);
    Files.write(seedDir.resolve("swarm.bin"), data);
    Metainfo metainfo = TorrentCreator.of(seedDir.resolve("swarm.bin")).pieceLength(65536).create();
    // The seeder alone would need 16 s to upload four copies; the leechers must trade pieces.
    swarm.peer("seeder", "swarmshare.peer.upload-limit = 2 MiB", metainfo, seedDir, url)
        .await(TorrentState.SEEDING);

    List<LoopbackSwarm.Node> leechers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Path dir = Files.createDirectories(root.resolve("leecher" + i));
      leechers.add(swarm.peer("leecher" + i, "", metainfo, dir, url));
    }
    long uploadedByLeechers = 0;
    for (int i = 0; i < leechers.size(); i++) {
      TorrentSnapshot done = leechers.get(i).await(TorrentState.SEEDING);
      assertThat(Files.readAllBytes(root.resolve("leecher" + i).resolve("swarm.bin"))).as("leecher " + i)
          .isEqualTo(data);
      uploadedByLeechers += done.uploaded();
    }
    assertThat(uploadedByLeechers).as("bytes the leechers uploaded to one another").isPositive();

    // Each leecher told the tracker it completed: the tracker's scrape counts four.
    Awaitility.await().atMost(LoopbackSwarm.HANG_GUARD).untilAsserted(() -> {
      ScrapeStats stats = tracker.scrape(metainfo);
      assertThat(stats.completed()).isEqualTo(4);
      assertThat(stats.seeders()).isEqualTo(5);
    });
  }
}
