package io.swarmshare.peer.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.messages.wire.PeerWireCodec;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Two connections over real loopback TCP, each owned by a test probe. */
class PeerConnectionTest {

  static final ActorTestKit kit = ActorTestKit.create();
  static final PeerConnection.Limits LIMITS = new PeerConnection.Limits(
      PeerWireCodec.DEFAULT_MAX_FRAME_LENGTH, 256 * 1024, 64, Duration.ofSeconds(10), Duration.ofSeconds(30));
  static final InfoHash HASH = InfoHash.fromHex("0102030405060708090a0b0c0d0e0f1011121314");

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** A listener whose first accepted connection is owned by {@code probe}; returns its address. */
  static InetSocketAddress listen(TestProbe<PeerConnection.Event> probe, CompletableFuture<PeerConnection> accepted)
      throws Exception {
    Handshake theirs = Handshake.of(HASH, PeerId.generate());
    return Tcp.get(kit.system()).bind("127.0.0.1", 0)
        .to(Sink.foreach(incoming -> {
          PeerConnection connection = PeerConnection.open(incoming.flow(), probe.getRef(), LIMITS, kit.system());
          connection.greet(theirs);
          accepted.complete(connection);
        }))
        .run(kit.system())
        .toCompletableFuture().get(10, TimeUnit.SECONDS)
        .localAddress();
  }

  static PeerConnection dial(InetSocketAddress to, Handshake ours, TestProbe<PeerConnection.Event> probe) {
    PeerConnection connection = PeerConnection.open(
        Tcp.get(kit.system()).outgoingConnection(to.getHostString(), to.getPort()), probe.getRef(), LIMITS, kit.system());
    connection.greet(ours);
    return connection;
  }

  /** What each probe has been handed and not yet looked at: a batch may carry several items. */
  static final Map<TestProbe<PeerConnection.Event>, Deque<Inbound>> unread = new ConcurrentHashMap<>();

  static Inbound next(TestProbe<PeerConnection.Event> probe) {
    Deque<Inbound> pending = unread.computeIfAbsent(probe, p -> new ArrayDeque<>());
    if (pending.isEmpty()) {
      PeerConnection.Received r = probe.expectMessageClass(PeerConnection.Received.class, Duration.ofSeconds(10));
      assertThat(r.inbound()).isNotEmpty();
      pending.addAll(r.inbound());
      r.ackTo().tell(PeerConnection.Ack.INSTANCE);
    }
    return pending.poll();
  }

  @Test
  void carriesHandshakesAndMessagesBothWays() throws Exception {
    TestProbe<PeerConnection.Event> server = kit.createTestProbe();
    TestProbe<PeerConnection.Event> client = kit.createTestProbe();
    CompletableFuture<PeerConnection> accepted = new CompletableFuture<>();
    Handshake ours = Handshake.of(HASH, PeerId.generate());
    PeerConnection dialed = dial(listen(server, accepted), ours, client);
    assertThat(dialed.send(new PeerMessage.Have(3))).isTrue();
    assertThat(dialed.send(PeerMessage.Interested.INSTANCE)).isTrue();

    server.expectMessageClass(PeerConnection.Opened.class, Duration.ofSeconds(10)).ackTo().tell(PeerConnection.Ack.INSTANCE);
    assertThat(next(server)).isEqualTo(new Inbound.Greeting(ours));
    assertThat(next(server)).isEqualTo(new Inbound.Message(new PeerMessage.Have(3)));
    assertThat(next(server)).isEqualTo(new Inbound.Message(PeerMessage.Interested.INSTANCE));

    PeerConnection answering = accepted.get(10, TimeUnit.SECONDS);
    answering.send(PeerMessage.Unchoke.INSTANCE);
    client.expectMessageClass(PeerConnection.Opened.class, Duration.ofSeconds(10)).ackTo().tell(PeerConnection.Ack.INSTANCE);
    assertThat(next(client)).isInstanceOf(Inbound.Greeting.class);
    assertThat(next(client)).isEqualTo(new Inbound.Message(PeerMessage.Unchoke.INSTANCE));

    dialed.close();
    server.expectMessageClass(PeerConnection.Closed.class, Duration.ofSeconds(10));
  }

  @Test
  void readsNoFasterThanItsOwnerAcknowledges() throws Exception {
    TestProbe<PeerConnection.Event> server = kit.createTestProbe();
    TestProbe<PeerConnection.Event> client = kit.createTestProbe();
    CompletableFuture<PeerConnection> accepted = new CompletableFuture<>();
    PeerConnection dialed = dial(listen(server, accepted), Handshake.of(HASH, PeerId.generate()), client);
    server.expectMessageClass(PeerConnection.Opened.class, Duration.ofSeconds(10)).ackTo().tell(PeerConnection.Ack.INSTANCE);
    PeerConnection.Received first = server.expectMessageClass(PeerConnection.Received.class, Duration.ofSeconds(10));

    // The server holds its acknowledgement: the sender's queue must fill once TCP's buffers are full.
    ByteBuffer block = ByteBuffer.allocate(PeerWireCodec.BLOCK_SIZE);
    int sent = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (dialed.send(new PeerMessage.Piece(0, 0, block)) && System.nanoTime() < deadline) {
      sent++;
      if (sent % 64 == 0) {
        await().atMost(Duration.ofSeconds(5)).until(() -> dialed.queued() < 64);
      }
    }
    assertThat(dialed.queued()).as("queue full after %d blocks", sent).isEqualTo(64);
    assertThat(sent).isLessThan(5000);
    server.expectNoMessage(Duration.ofMillis(200));

    unread.computeIfAbsent(server, p -> new ArrayDeque<>()).addAll(first.inbound());
    first.ackTo().tell(PeerConnection.Ack.INSTANCE);
    assertThat(next(server)).isInstanceOf(Inbound.Greeting.class);
    for (int i = 0; i < sent; i++) {
      assertThat(next(server)).isInstanceOf(Inbound.Message.class);
    }
  }

  @Test
  void holdsNoMoreThanItsReadBufferOfAnyMessageTypeWhileItsOwnerWaits() throws Exception {
    TestProbe<PeerConnection.Event> server = kit.createTestProbe();
    TestProbe<PeerConnection.Event> client = kit.createTestProbe();
    CompletableFuture<PeerConnection> accepted = new CompletableFuture<>();
    PeerConnection dialed = dial(listen(server, accepted), Handshake.of(HASH, PeerId.generate()), client);
    server.expectMessageClass(PeerConnection.Opened.class, Duration.ofSeconds(10)).ackTo().tell(PeerConnection.Ack.INSTANCE);
    PeerConnection.Received first = server.expectMessageClass(PeerConnection.Received.class, Duration.ofSeconds(10));

    // Extension messages of 64 KiB, not blocks: each must count by its size, or a 256 KiB read
    // buffer that counted them as small would take thousands of them (hundreds of megabytes).
    int size = 64 * 1024;
    int sent = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (dialed.send(new PeerMessage.Extended(1, ByteBuffer.allocate(size))) && System.nanoTime() < deadline) {
      sent++;
      if (sent % 64 == 0) {
        await().atMost(Duration.ofSeconds(5)).until(() -> dialed.queued() < 64);
      }
    }
    assertThat(dialed.queued()).as("queue full after %d messages", sent).isEqualTo(64);
    // What the owner holds (the read buffer) plus both kernels' socket buffers plus the sender's queue.
    assertThat((long) sent * size).as("bytes taken before the reader stopped").isLessThan(48L << 20);

    unread.computeIfAbsent(server, p -> new ArrayDeque<>()).addAll(first.inbound());
    first.ackTo().tell(PeerConnection.Ack.INSTANCE);
    assertThat(next(server)).isInstanceOf(Inbound.Greeting.class);
    for (int i = 0; i < sent; i++) {
      assertThat(next(server)).isInstanceOf(Inbound.Message.class);
    }
  }

  @Test
  void failsAConnectionThatIsNotBitTorrent() throws Exception {
    TestProbe<PeerConnection.Event> server = kit.createTestProbe();
    InetSocketAddress address = listen(server, new CompletableFuture<>());
    try (Socket raw = new Socket(address.getAddress(), address.getPort())) {
      OutputStream out = raw.getOutputStream();
      out.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      server.expectMessageClass(PeerConnection.Opened.class, Duration.ofSeconds(10)).ackTo().tell(PeerConnection.Ack.INSTANCE);
      PeerConnection.Failed failed = server.expectMessageClass(PeerConnection.Failed.class, Duration.ofSeconds(10));
      assertThat(failed.cause()).isInstanceOf(MalformedMessageException.class);
      raw.setSoTimeout(10_000);
      // The connection is closed or reset: after at most our handshake, reading ends.
      byte[] buffer = new byte[256];
      int total = 0;
      try {
        for (int n = raw.getInputStream().read(buffer); n >= 0; n = raw.getInputStream().read(buffer)) {
          total += n;
        }
      } catch (SocketException reset) {
        assertThat(reset.getMessage()).contains("reset");
      }
      assertThat(total).isLessThanOrEqualTo(Handshake.LENGTH);
    }
  }
}
