package io.swarmshare.tracker.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.tracker.udp.AnnounceRequest;
import io.swarmshare.messages.tracker.udp.AnnounceResponse;
import io.swarmshare.messages.tracker.udp.ConnectRequest;
import io.swarmshare.messages.tracker.udp.ConnectResponse;
import io.swarmshare.messages.tracker.udp.UdpTrackerCodec;
import io.swarmshare.messages.tracker.udp.UdpTrackerRequest;
import io.swarmshare.messages.tracker.udp.UdpTrackerResponse;
import io.swarmshare.tracker.Tracker;
import io.swarmshare.tracker.TrackerSettings;
import io.swarmshare.tracker.TrackerStats;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A tracker bound to every interface answers each family in its own compact format (BEP 15, BEP 7). */
class UdpEndpointIpv6Test {

  static final ActorTestKit kit = ActorTestKit.create();
  static final InfoHash HASH = InfoHash.fromHex("6666666666666666666666666666666666666666");

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static UdpTrackerResponse exchange(DatagramSocket socket, InetSocketAddress tracker, UdpTrackerRequest request,
      StandardProtocolFamily family) throws Exception {
    ByteBuffer b = UdpTrackerCodec.encode(request);
    socket.send(new DatagramPacket(b.array(), b.remaining(), tracker));
    DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
    socket.receive(reply);
    return UdpTrackerCodec.decodeResponse(ByteBuffer.wrap(reply.getData(), 0, reply.getLength()), family);
  }

  static AnnounceResponse announce(DatagramSocket socket, InetSocketAddress tracker, StandardProtocolFamily family,
      int port) throws Exception {
    long id = ((ConnectResponse) exchange(socket, tracker, new ConnectRequest(1), family)).connectionId();
    byte[] peerId = new byte[20];
    peerId[0] = (byte) port;
    return (AnnounceResponse) exchange(socket, tracker, new AnnounceRequest(id, 2, HASH, PeerId.of(peerId), 0, 10, 0,
        AnnounceEvent.STARTED, Optional.empty(), 0, -1, port), family);
  }

  @Test
  void answersIpv4AndIpv6PeersEachInTheirOwnFormat() throws Exception {
    DatagramSocket v6;
    try {
      v6 = new DatagramSocket(new InetSocketAddress("::1", 0));
    } catch (SocketException e) {
      assumeTrue(false, "no IPv6 loopback here: " + e.getMessage());
      return;
    }
    try (DatagramSocket v6a = v6; DatagramSocket v6b = new DatagramSocket(new InetSocketAddress("::1", 0));
        DatagramSocket v4 = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      for (DatagramSocket s : new DatagramSocket[] {v6a, v6b, v4}) {
        s.setSoTimeout(5000);
      }
      TrackerSettings settings = TrackerSettings.from(ConfigFactory.parseString(
          "swarmshare.tracker { host = \"::\", port = 0 }").withFallback(ConfigFactory.load()));
      ActorRef<Tracker.Command> tracker = kit.spawn(Tracker.create(settings, new TrackerStats()));
      TestProbe<UdpEndpoint.Status> status = kit.createTestProbe();
      kit.spawn(UdpEndpoint.create(tracker, settings, new TrackerStats(), status.getRef()));
      int port = status.expectMessageClass(UdpEndpoint.Listening.class, Duration.ofSeconds(10)).address().getPort();

      InetSocketAddress overV6 = new InetSocketAddress("::1", port);
      InetSocketAddress overV4 = new InetSocketAddress("127.0.0.1", port);
      announce(v6a, overV6, StandardProtocolFamily.INET6, 7001);
      announce(v4, overV4, StandardProtocolFamily.INET, 7002);
      AnnounceResponse sixes = announce(v6b, overV6, StandardProtocolFamily.INET6, 7003);
      assertThat(sixes.peers()).containsExactly(new PeerAddress(InetAddress.getByName("::1"), 7001));
      AnnounceResponse fours = announce(v4, overV4, StandardProtocolFamily.INET, 7002);
      assertThat(fours.peers()).isEmpty();
      assertThat(fours.leechers()).isEqualTo(3);
    }
  }
}
