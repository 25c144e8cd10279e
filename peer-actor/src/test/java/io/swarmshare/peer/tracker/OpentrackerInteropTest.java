package io.swarmshare.peer.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.peer.OpentrackerProcess;
import io.swarmshare.peer.udp.NodeSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Our tracker client with opentracker, the tracker most public swarms run. */
class OpentrackerInteropTest {

  static final ActorTestKit kit = ActorTestKit.create();

  /** A node's UDP socket, as the Session gives its torrents. */
  static ActorRef<NodeSocket.Command> nodeSocket() {
    return kit.spawn(NodeSocket.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0)));
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "http"})
  void twoPeersFindEachOtherThroughOpentracker(String scheme, @TempDir Path dir) throws Exception {
    InfoHash hash = InfoHash.fromHex("00112233445566778899aabbccddeeff00112233");
    try (OpentrackerProcess opentracker = OpentrackerProcess.start(dir, hash)) {
      String url = opentracker.url(scheme);
      TestProbe<TrackerClient.Peers> first = kit.createTestProbe();
      announce(new TrackerClient.Subject(hash, PeerId.generate(), 7001, List.of(List.of(url))), first);
      first.receiveMessage(Duration.ofSeconds(30));

      TestProbe<TrackerClient.Peers> second = kit.createTestProbe();
      announce(new TrackerClient.Subject(hash, PeerId.generate(), 7002, List.of(List.of(url))), second);
      TrackerClient.Peers found = second.receiveMessage(Duration.ofSeconds(30));
      assertThat(found.peers()).contains(new PeerAddress(InetAddress.getByName("127.0.0.1"), 7001));
    }
  }

  /** A client for {@code subject} that has as much left to fetch as a starting leecher. */
  static void announce(TrackerClient.Subject subject, TestProbe<TrackerClient.Peers> peers) {
    kit.spawn(TrackerClient.create(subject, Duration.ofMillis(200), peers.getRef(), new AnnounceCounts(), nodeSocket()))
        .tell(new TrackerClient.Progress(0, 0, 1000));
  }
}
