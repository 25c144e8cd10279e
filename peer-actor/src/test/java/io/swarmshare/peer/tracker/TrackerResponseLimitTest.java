package io.swarmshare.peer.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.peer.udp.NodeSocket;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * An HTTP tracker that answers with more than max-tracker-response (256 KiB by default) is cut
 * off with one line and the next tracker is asked; an honest tracker's answer is read as ever.
 * Both trackers are real HTTP servers on loopback.
 */
class TrackerResponseLimitTest {

  static final ActorTestKit kit = ActorTestKit.create();

  /** A node's UDP socket, as the Session gives its torrents. */
  static ActorRef<NodeSocket.Command> nodeSocket() {
    return kit.spawn(NodeSocket.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0)));
  }
  static final InfoHash HASH = InfoHash.fromHex("0102030405060708090a0b0c0d0e0f1011121314");

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** A valid announce reply whose compact peers take {@code peerCount} times 6 bytes. */
  static byte[] reply(int peerCount) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("d8:intervali1800e5:peers" + peerCount * 6 + ":").getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < peerCount; i++) {
      out.writeBytes(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i, 0x1a, (byte) 0xe1});
    }
    out.writeBytes("e".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static ServerBinding tracker(byte[] body, AtomicInteger asked) throws Exception {
    return Http.get(kit.system()).newServerAt("127.0.0.1", 0)
        .bindSync(request -> {
          asked.incrementAndGet();
          return HttpResponse.create().withEntity(body);
        })
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static String url(ServerBinding binding) {
    return "http://127.0.0.1:" + binding.localAddress().getPort() + "/announce";
  }

  @Test
  void anAnswerOverTheLimitIsCutOffAndTheNextTrackerAsked() throws Exception {
    AtomicInteger floodAsked = new AtomicInteger();
    AtomicInteger honestAsked = new AtomicInteger();
    byte[] flood = reply(50_000); // 300,000 bytes of valid peers: 50,000 of them
    byte[] honest = reply(1);
    ServerBinding flooding = tracker(flood, floodAsked);
    ServerBinding good = tracker(honest, honestAsked);
    try {
      TestProbe<TrackerClient.Peers> peers = kit.createTestProbe();
      ActorRef<TrackerClient.Command> client = kit.spawn(TrackerClient.create(
          new TrackerClient.Subject(HASH, PeerId.generate(), 6999, List.of(List.of(url(flooding)), List.of(url(good)))),
          Duration.ofSeconds(15), peers.getRef(), new AnnounceCounts(), nodeSocket()));
      client.tell(new TrackerClient.Progress(0, 0, 100));
      TrackerClient.Peers answer = peers.receiveMessage(Duration.ofSeconds(20));
      assertThat(answer.tracker()).isEqualTo(url(good));
      assertThat(answer.peers()).containsExactly(new PeerAddress(InetAddress.getByName("10.0.0.0"), 6881));
      assertThat(floodAsked.get()).isEqualTo(1);
      assertThat(honestAsked.get()).isEqualTo(1);
      kit.stop(client);
    } finally {
      flooding.unbind();
      good.unbind();
    }
  }

  @Test
  void anAnswerJustUnderTheLimitIsRead() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    ServerBinding big = tracker(reply(40_000), asked); // 240,000 bytes
    try {
      TestProbe<TrackerClient.Peers> peers = kit.createTestProbe();
      ActorRef<TrackerClient.Command> client = kit.spawn(TrackerClient.create(
          new TrackerClient.Subject(HASH, PeerId.generate(), 6999, List.of(List.of(url(big)))),
          Duration.ofSeconds(15), peers.getRef(), new AnnounceCounts(), nodeSocket()));
      client.tell(new TrackerClient.Progress(0, 0, 100));
      TrackerClient.Peers answer = peers.receiveMessage(Duration.ofSeconds(20));
      assertThat(answer.tracker()).isEqualTo(url(big));
      assertThat(answer.peers()).hasSize(40_000);
      kit.stop(client);
    } finally {
      big.unbind();
    }
  }
}
