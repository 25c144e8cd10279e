package io.swarmshare.peer;

import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/** A node's peer on loopback, on an ephemeral port, in a test's actor system. */
final class TestNode {

  static final Duration HANG_GUARD = Duration.ofSeconds(60);

  final ActorTestKit kit;
  final PeerId id = PeerId.generate();
  final ActorRef<Peer.Command> peer;
  final InetSocketAddress address;

  TestNode(ActorTestKit kit, String settings) {
    this.kit = kit;
    TestProbe<ChunkServer.Status> started = kit.createTestProbe();
    peer = kit.spawn(Peer.create(settings(settings), id, started.getRef()));
    address = started.expectMessageClass(ChunkServer.Listening.class, HANG_GUARD).address();
  }

  TestNode(ActorTestKit kit) {
    this(kit, "");
  }

  static PeerSettings settings(String overrides) {
    return PeerSettings.from(ConfigFactory.parseString(
        "swarmshare.peer { host = \"127.0.0.1\", port = 0 }\n" + overrides).withFallback(ConfigFactory.load()));
  }

  /** A torrent the node fetches or seeds, with a probe that hears its status. */
  final class Torrent {
    final ActorRef<Download.Command> download;
    final TestProbe<Download.Status> status = kit.createTestProbe();

    Torrent(Metainfo metainfo, Path directory, List<List<String>> trackers) {
      TestProbe<Peer.Added> added = kit.createTestProbe();
      peer.tell(new Peer.Add(new Download.Job(metainfo, directory, trackers), status.getRef(), added.getRef()));
      download = added.expectMessageClass(Peer.Added.class, HANG_GUARD).download().orElseThrow();
    }

    /** Waits for the state, skipping the statuses before it. */
    Download.Status await(Download.Status.State state) {
      return await(s -> s.state() == state);
    }

    /** Waits for a status that passes {@code test}, skipping those before it. */
    Download.Status await(Predicate<Download.Status> test) {
      return status.fishForMessage(HANG_GUARD, s -> test.test(s) ? FishingOutcomes.complete()
          : FishingOutcomes.continueAndIgnore()).get(0);
    }

    void connectTo(InetSocketAddress... peers) {
      download.tell(new Download.AddPeers(List.of(peers)));
    }
  }

  Torrent add(Metainfo metainfo, Path directory) {
    return new Torrent(metainfo, directory, List.of());
  }

  Torrent add(Metainfo metainfo, Path directory, List<List<String>> trackers) {
    return new Torrent(metainfo, directory, trackers);
  }
}
