package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.messages.tracker.ScrapeStats;
import io.swarmshare.messages.tracker.http.HttpScrapeRequest;
import io.swarmshare.messages.tracker.http.HttpScrapeResponse;
import io.swarmshare.messages.tracker.http.HttpTrackerCodec;
import io.swarmshare.peer.ChunkServer;
import io.swarmshare.peer.Download;
import io.swarmshare.peer.Peer;
import io.swarmshare.peer.PeerSettings;
import io.swarmshare.tracker.TrackerServer;
import io.swarmshare.tracker.TrackerSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole swarm in one JVM, each node in its own actor system on loopback: our tracker, one seeder
 * whose upload is capped, and four leechers that find each other through the tracker.
 */
class SwarmTest {

  static final Duration HANG_GUARD = Duration.ofSeconds(120);
  final List<ActorTestKit> nodes = new ArrayList<>();

  @AfterEach
  void stopNodes() {
    nodes.forEach(ActorTestKit::shutdownTestKit);
  }

  ActorTestKit node(String name, String config) {
    Config c = ConfigFactory.parseString(config).withFallback(NodeConfig.load(Map.of()));
    ActorTestKit kit = ActorTestKit.create(name, c);
    nodes.add(kit);
    return kit;
  }

  /** A peer node; returns the probe that hears its torrent's status. */
  TestProbe<Download.Status> peer(String name, String config, Metainfo metainfo, Path dir, String tracker) {
    ActorTestKit kit = node(name, "swarmshare.peer { host = \"127.0.0.1\", port = 0 }\n" + config);
    TestProbe<ChunkServer.Status> started = kit.createTestProbe();
    var peer = kit.spawn(Peer.create(PeerSettings.from(kit.system().settings().config()), PeerId.generate(),
        started.getRef()), "peer");
    started.expectMessageClass(ChunkServer.Listening.class, HANG_GUARD);
    TestProbe<Download.Status> status = kit.createTestProbe();
    TestProbe<Peer.Added> added = kit.createTestProbe();
    peer.tell(new Peer.Add(new Download.Job(metainfo, dir, List.of(List.of(tracker))), status.getRef(),
        added.getRef()));
    assertThat(added.receiveMessage(HANG_GUARD).refusal()).isNull();
    return status;
  }

  static Download.Status await(TestProbe<Download.Status> probe, Download.Status.State state) {
    return probe.fishForMessage(HANG_GUARD, s -> s.state() == state ? FishingOutcomes.complete()
        : FishingOutcomes.continueAndIgnore()).get(0);
  }

  @Test
  void fourLeechersGetByteIdenticalCopiesAndServeEachOther(@TempDir Path root) throws Exception {
    ActorTestKit trackerNode = node("tracker", "swarmshare.tracker { host = \"127.0.0.1\", port = 0, data-dir = \""
        + root.resolve("tracker") + "\" }");
    TestProbe<TrackerServer.Status> trackerStatus = trackerNode.createTestProbe();
    trackerNode.spawn(TrackerServer.create(TrackerSettings.from(trackerNode.system().settings().config()),
        trackerStatus.getRef()));
    TrackerServer.Started tracker = trackerStatus.expectMessageClass(TrackerServer.Started.class, HANG_GUARD);
    String url = "udp://127.0.0.1:" + tracker.udp().getPort() + "/announce";

    Path seedDir = Files.createDirectories(root.resolve("seeder"));
    byte[] data = new byte[8 << 20];
    new Random(42).nextBytes(data);
    Files.write(seedDir.resolve("swarm.bin"), data);
    Metainfo metainfo = TorrentCreator.of(seedDir.resolve("swarm.bin")).pieceLength(65536).create();
    // The seeder alone would need 16 s to upload four copies; the leechers must trade pieces.
    await(peer("seeder", "swarmshare.peer.upload-limit = 2 MiB", metainfo, seedDir, url),
        Download.Status.State.SEEDING);

    List<TestProbe<Download.Status>> leechers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Path dir = Files.createDirectories(root.resolve("leecher" + i));
      leechers.add(peer("leecher" + i, "", metainfo, dir, url));
    }
    long uploadedByLeechers = 0;
    for (int i = 0; i < leechers.size(); i++) {
      Download.Status done = await(leechers.get(i), Download.Status.State.SEEDING);
      assertThat(Files.readAllBytes(root.resolve("leecher" + i).resolve("swarm.bin"))).as("leecher " + i)
          .isEqualTo(data);
      uploadedByLeechers += done.uploaded();
    }
    assertThat(uploadedByLeechers).as("bytes the leechers uploaded to one another").isPositive();

    // Each leecher told the tracker it completed: the tracker's scrape counts four.
    URI scrape = URI.create("http://127.0.0.1:" + tracker.http().getPort() + "/scrape?"
        + HttpTrackerCodec.toQuery(new HttpScrapeRequest(List.of(metainfo.infoHash()))));
    Awaitility.await().atMost(HANG_GUARD).untilAsserted(() -> {
      byte[] body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(scrape).build(),
          HttpResponse.BodyHandlers.ofByteArray()).body();
      ScrapeStats stats = ((HttpScrapeResponse) HttpTrackerCodec.decodeScrape(body)).files().get(metainfo.infoHash());
      assertThat(stats.completed()).isEqualTo(4);
      assertThat(stats.seeders()).isEqualTo(5);
    });
  }
}
