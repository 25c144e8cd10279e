package io.swarmshare.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.tracker.udp.AnnounceRequest;
import io.swarmshare.messages.tracker.udp.AnnounceResponse;
import io.swarmshare.messages.tracker.udp.ConnectRequest;
import io.swarmshare.messages.tracker.udp.ConnectResponse;
import io.swarmshare.messages.tracker.udp.ErrorResponse;
import io.swarmshare.messages.tracker.udp.UdpTrackerCodec;
import io.swarmshare.messages.tracker.udp.UdpTrackerRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generator against a small tracker on loopback built on the project's codec. */
class AnnounceLoopTest {

  static final long SECOND = 1_000_000_000L;

  /**
   * Answers BEP 15 on 127.0.0.1 from one thread: a connection id per client address, peers keyed
   * by source address and announced port. {@code misbehave} may replace or drop (null) a reply.
   */
  static final class FakeTracker implements AutoCloseable {
    final DatagramChannel channel;
    final Thread thread;
    final AtomicInteger connects = new AtomicInteger();
    final AtomicInteger announces = new AtomicInteger();
    final AtomicInteger badConnectionIds = new AtomicInteger();
    final Set<String> peers = ConcurrentHashMap.newKeySet();
    final Set<InetAddress> sources = ConcurrentHashMap.newKeySet();
    final Map<AnnounceEvent, AtomicInteger> events = new ConcurrentHashMap<>();
    final Function<ByteBuffer, ByteBuffer> misbehave;

    FakeTracker(Function<ByteBuffer, ByteBuffer> misbehave) throws IOException {
      this.misbehave = misbehave;
      channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
      thread = new Thread(this::serve, "fake-tracker");
      thread.setDaemon(true);
      thread.start();
    }

    int port() throws IOException {
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private void serve() {
      ByteBuffer in = ByteBuffer.allocate(2048);
      try {
        while (true) {
          in.clear();
          InetSocketAddress from = (InetSocketAddress) channel.receive(in);
          in.flip();
          ByteBuffer reply;
          try {
            reply = answer(UdpTrackerCodec.decodeRequest(in), from);
          } catch (MalformedMessageException e) {
            continue;
          }
          reply = misbehave.apply(reply);
          if (reply != null) {
            channel.send(reply, from);
          }
        }
      } catch (ClosedChannelException e) {
        // closed by the test
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }

    private ByteBuffer answer(UdpTrackerRequest request, InetSocketAddress from) throws IOException {
      long connectionId = 0x5eed0000L ^ from.hashCode();
      if (request instanceof ConnectRequest connect) {
        connects.incrementAndGet();
        return UdpTrackerCodec.encode(new ConnectResponse(connect.transactionId(), connectionId));
      }
      AnnounceRequest announce = (AnnounceRequest) request;
      if (announce.connectionId() != connectionId) {
        badConnectionIds.incrementAndGet();
        return UdpTrackerCodec.encode(new ErrorResponse(announce.transactionId(), "bad id"));
      }
      announces.incrementAndGet();
      sources.add(from.getAddress());
      peers.add(from.getAddress().getHostAddress() + ":" + announce.port());
      events.computeIfAbsent(announce.event(), e -> new AtomicInteger()).incrementAndGet();
      List<PeerAddress> list = new ArrayList<>();
      for (int i = 0; i < Math.min(3, announce.numWant()); i++) {
        list.add(new PeerAddress(from.getAddress(), 1000 + i));
      }
      return UdpTrackerCodec.encode(
          new AnnounceResponse(announce.transactionId(), 1800, 5, 5, list));
    }

    @Override
    public void close() throws IOException {
      channel.close();
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  FakeTracker tracker;

  @AfterEach
  void stopTracker() throws Exception {
    if (tracker != null) {
      tracker.close();
    }
  }

  static AnnounceLoop.Settings settings(
      AnnounceLoop.Mode mode, int port, BenchSwarm swarm, int window, double seconds,
      long timeoutNanos) {
    return new AnnounceLoop.Settings(
        mode, new InetSocketAddress("127.0.0.1", port), swarm, window, 0,
        (long) (seconds * SECOND), timeoutNanos, 50, 1, 3);
  }

  static LoadReport run(AnnounceLoop.Settings settings) throws IOException {
    try (AnnounceLoop loop = new AnnounceLoop(settings)) {
      return loop.run();
    }
  }

  @Test
  void aFillRegistersEveryPeerOnceFromSeveralSourceAddresses() throws Exception {
    tracker = new FakeTracker(reply -> reply);
    BenchSwarm swarm = new BenchSwarm(0, 10, 250, 100, 10);   // 3 source addresses

    LoadReport report = run(settings(AnnounceLoop.Mode.FILL, tracker.port(), swarm, 16, 30, SECOND));

    assertThat(report.acknowledged()).isEqualTo(250);
    assertThat(report.errors()).isZero();
    assertThat(tracker.peers).hasSize(250);
    assertThat(tracker.announces).hasValue(250);
    assertThat(tracker.events).containsOnlyKeys(AnnounceEvent.STARTED);
    assertThat(tracker.sources).extracting(InetAddress::getHostAddress)
        .containsExactlyInAnyOrder("127.0.0.1", "127.0.0.2", "127.0.0.3");
    assertThat(tracker.connects).hasValue(3);   // one per source address
    assertThat(tracker.badConnectionIds).hasValue(0);
  }

  @Test
  void aLoadRunConnectsEachPeerOnceThenKeepsAnnouncing() throws Exception {
    tracker = new FakeTracker(reply -> reply);
    BenchSwarm swarm = new BenchSwarm(0, 5, 20, 65535, 10);

    LoadReport report = run(settings(AnnounceLoop.Mode.LOAD, tracker.port(), swarm, 4, 0.3, SECOND));

    assertThat(report.announces()).isPositive();
    assertThat(report.rate()).isPositive();
    assertThat(report.errors()).isZero();
    assertThat(report.timeouts()).isZero();
    assertThat(report.p50Micros()).isPositive().isLessThanOrEqualTo(report.p99Micros());
    assertThat(report.p99Micros()).isLessThanOrEqualTo(report.maxMicros());
    assertThat(tracker.connects).hasValue(20);
    assertThat(tracker.peers).hasSize(20);
    assertThat(tracker.events.get(AnnounceEvent.STARTED)).hasValue(20);
    assertThat(tracker.events.get(AnnounceEvent.NONE).get()).isPositive();
    assertThat(report.line()).startsWith("mode=load window=4 ").contains(" errors=0 ");
  }

  @Test
  void countsMalformedAnswersAsErrors() throws Exception {
    AtomicInteger replies = new AtomicInteger();
    tracker = new FakeTracker(reply -> {
      if (reply.getInt(0) != 1 || replies.incrementAndGet() % 2 == 0) {
        return reply;
      }
      return ByteBuffer.allocate(8).putInt(1).putInt(reply.getInt(4)).flip();   // no counts
    });
    BenchSwarm swarm = new BenchSwarm(0, 5, 20, 65535, 10);

    LoadReport report = run(settings(AnnounceLoop.Mode.LOAD, tracker.port(), swarm, 2, 0.3, SECOND));

    assertThat(report.invalid()).isPositive();
    assertThat(report.errors()).isEqualTo(report.invalid());
    assertThat(report.announces()).isPositive();
  }

  @Test
  void answersToNothingWeSentAreErrors() throws Exception {
    tracker = new FakeTracker(reply -> {
      reply.putInt(4, reply.getInt(4) + 12345);
      return reply;
    });
    BenchSwarm swarm = new BenchSwarm(0, 5, 20, 65535, 10);

    LoadReport report = run(settings(AnnounceLoop.Mode.FILL, tracker.port(), swarm, 2, 0.3,
        50_000_000L));

    assertThat(report.announces()).isZero();
    assertThat(report.acknowledged()).isZero();
    assertThat(report.invalid() + report.late()).isPositive();
    assertThat(report.timeouts()).isPositive();
  }

  @Test
  void reissuesLostRequestsSoThatAFillStillCompletes() throws Exception {
    AtomicInteger replies = new AtomicInteger();
    tracker = new FakeTracker(reply -> replies.incrementAndGet() % 7 == 0 ? null : reply);
    BenchSwarm swarm = new BenchSwarm(0, 10, 200, 65535, 10);

    LoadReport report = run(settings(AnnounceLoop.Mode.FILL, tracker.port(), swarm, 8, 30,
        20_000_000L));

    assertThat(report.acknowledged()).isEqualTo(200);
    assertThat(report.timeouts()).isPositive();
    assertThat(tracker.peers).hasSize(200);
  }

  @Test
  void anErrorResponseToAnAnnounceMakesThePeerConnectAgain() throws Exception {
    AtomicInteger replies = new AtomicInteger();
    tracker = new FakeTracker(reply -> {
      if (reply.getInt(0) == 1 && replies.incrementAndGet() == 5) {
        return UdpTrackerCodec.encode(new ErrorResponse(reply.getInt(4), "expired"));
      }
      return reply;
    });
    BenchSwarm swarm = new BenchSwarm(0, 10, 100, 65535, 10);

    LoadReport report = run(settings(AnnounceLoop.Mode.FILL, tracker.port(), swarm, 1, 30, SECOND));

    assertThat(report.acknowledged()).isEqualTo(100);
    assertThat(report.errorResponses()).isEqualTo(1);
    assertThat(tracker.connects).hasValue(2);
  }
}
