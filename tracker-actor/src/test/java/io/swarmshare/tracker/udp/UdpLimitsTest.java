package io.swarmshare.tracker.udp;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.tracker.udp.ConnectRequest;
import io.swarmshare.messages.tracker.udp.ConnectResponse;
import io.swarmshare.messages.tracker.udp.UdpTrackerCodec;
import io.swarmshare.tracker.Tracker;
import io.swarmshare.tracker.TrackerSettings;
import io.swarmshare.tracker.TrackerStats;
import io.swarmshare.tracker.limits.Limit;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** UDP requests per address: a burst, then (at a rate of one per 1000 s) nothing, while others are served. */
class UdpLimitsTest {

  static final ActorTestKit kit = ActorTestKit.create();
  static final TrackerStats stats = new TrackerStats();
  static InetSocketAddress tracker;

  @BeforeAll
  static void start() {
    TrackerSettings settings = TrackerSettings.from(ConfigFactory.parseString(
        "swarmshare.tracker { host = \"127.0.0.1\", port = 0, per-address { udp-rate = 0.001, udp-burst = 10 } }")
        .withFallback(ConfigFactory.load()));
    ActorRef<Tracker.Command> registry = kit.spawn(Tracker.create(settings, stats));
    TestProbe<UdpEndpoint.Status> status = kit.createTestProbe();
    kit.spawn(UdpEndpoint.create(registry, settings, stats, status.getRef()));
    tracker = status.expectMessageClass(UdpEndpoint.Listening.class, Duration.ofSeconds(10)).address();
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static DatagramSocket socket(String address) throws Exception {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, 0));
    s.setSoTimeout(2000);
    return s;
  }

  static void connect(DatagramSocket s, int tx) throws Exception {
    ByteBuffer b = UdpTrackerCodec.encode(new ConnectRequest(tx));
    s.send(new DatagramPacket(b.array(), b.remaining(), tracker));
  }

  static int answers(DatagramSocket s) throws Exception {
    int n = 0;
    while (true) {
      DatagramPacket p = new DatagramPacket(new byte[64], 64);
      try {
        s.receive(p);
      } catch (SocketTimeoutException quiet) {
        return n;
      }
      assertThat(UdpTrackerCodec.decodeResponse(ByteBuffer.wrap(p.getData(), 0, p.getLength()), StandardProtocolFamily.INET))
          .isInstanceOf(ConnectResponse.class);
      n++;
    }
  }

  @Test
  void anAddressPastItsBudgetIsDroppedAndOthersAreServed() throws Exception {
    try (DatagramSocket flooder = socket("127.0.0.1"); DatagramSocket other = socket("127.0.0.1");
        DatagramSocket honest = socket("127.0.0.2")) {
      for (int i = 0; i < 40; i++) {
        connect(flooder, i);
      }
      // Another port on the same address shares its budget.
      connect(other, 100);
      connect(honest, 200);
      assertThat(answers(flooder)).isEqualTo(10);
      assertThat(answers(other)).isZero();
      assertThat(answers(honest)).isEqualTo(1);
      assertThat(stats.hits(Limit.UDP_REQUESTS_PER_ADDRESS)).isEqualTo(31);
    }
  }
}
