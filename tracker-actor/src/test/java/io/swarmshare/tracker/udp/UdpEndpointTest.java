package io.swarmshare.tracker.udp;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.tracker.ScrapeStats;
import io.swarmshare.messages.tracker.udp.AnnounceRequest;
import io.swarmshare.messages.tracker.udp.AnnounceResponse;
import io.swarmshare.messages.tracker.udp.ConnectRequest;
import io.swarmshare.messages.tracker.udp.ConnectResponse;
import io.swarmshare.messages.tracker.udp.ErrorResponse;
import io.swarmshare.messages.tracker.udp.ScrapeRequest;
import io.swarmshare.messages.tracker.udp.ScrapeResponse;
import io.swarmshare.messages.tracker.udp.UdpTrackerCodec;
import io.swarmshare.messages.tracker.udp.UdpTrackerRequest;
import io.swarmshare.messages.tracker.udp.UdpTrackerResponse;
import io.swarmshare.tracker.Tracker;
import io.swarmshare.tracker.TrackerSettings;
import io.swarmshare.tracker.TrackerStats;
import io.swarmshare.tracker.registry.Registry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The UDP side against a real socket, as a BitTorrent client talks to it. */
class UdpEndpointTest {

  static final ActorTestKit kit = ActorTestKit.create();
  static final TrackerStats stats = new TrackerStats();
  static InetSocketAddress tracker;
  static ActorRef<Tracker.Command> registry;

  static final InfoHash HASH = InfoHash.fromHex("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");

  @BeforeAll
  static void start() {
    TrackerSettings settings = TrackerSettings.from(ConfigFactory.parseString(
        "swarmshare.tracker { host = \"127.0.0.1\", port = 0, per-address.udp-rate = 0 }").withFallback(ConfigFactory.load()));
    registry = kit.spawn(Tracker.create(settings, stats));
    TestProbe<UdpEndpoint.Status> status = kit.createTestProbe();
    kit.spawn(UdpEndpoint.create(registry, settings, stats, status.getRef()));
    tracker = status.expectMessageClass(UdpEndpoint.Listening.class, Duration.ofSeconds(10)).address();
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** A client socket with the few calls a test needs. */
  static final class Client implements AutoCloseable {
    final DatagramSocket socket;
    final Random random = new Random();

    Client() throws Exception {
      socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
      socket.setSoTimeout(5000);
    }

    void sendRaw(byte[] bytes) throws Exception {
      socket.send(new DatagramPacket(bytes, bytes.length, tracker));
    }

    void send(UdpTrackerRequest request) throws Exception {
      ByteBuffer b = UdpTrackerCodec.encode(request);
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      sendRaw(bytes);
    }

    /** The answer to transaction {@code tx}, skipping late answers to earlier attempts. */
    UdpTrackerResponse receiveFor(int tx) throws Exception {
      while (true) {
        UdpTrackerResponse r = receive();
        if (r.transactionId() == tx) {
          return r;
        }
      }
    }

    UdpTrackerResponse receive() throws Exception {
      DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
      socket.receive(packet);
      return UdpTrackerCodec.decodeResponse(
          ByteBuffer.wrap(packet.getData(), 0, packet.getLength()), StandardProtocolFamily.INET);
    }

    /** True if nothing arrives for a while: used only after a request that must get no answer. */
    boolean receivesNothing() throws Exception {
      socket.setSoTimeout(300);
      try {
        socket.receive(new DatagramPacket(new byte[4096], 4096));
        return false;
      } catch (SocketTimeoutException e) {
        return true;
      } finally {
        socket.setSoTimeout(5000);
      }
    }

    long connect() throws Exception {
      int tx = random.nextInt();
      send(new ConnectRequest(tx));
      return ((ConnectResponse) receiveFor(tx)).connectionId();
    }

    AnnounceRequest announce(long connectionId, int tx, long left, AnnounceEvent event) {
      byte[] id = new byte[20];
      random.nextBytes(id);
      return new AnnounceRequest(connectionId, tx, HASH, PeerId.of(id), 0, left, 0, event, Optional.empty(),
          random.nextInt(), -1, socket.getLocalPort());
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  @Test
  void connectsAnnouncesAndScrapes() throws Exception {
    try (Client seeder = new Client(); Client leecher = new Client()) {
      long seederId = seeder.connect();
      seeder.send(seeder.announce(seederId, 7, 0, AnnounceEvent.STARTED));
      AnnounceResponse first = (AnnounceResponse) seeder.receive();
      assertThat(first.transactionId()).isEqualTo(7);
      assertThat(first.interval()).isEqualTo(600);
      assertThat(first.seeders()).isGreaterThanOrEqualTo(1);

      long leecherId = leecher.connect();
      leecher.send(leecher.announce(leecherId, 8, 1000, AnnounceEvent.STARTED));
      AnnounceResponse second = (AnnounceResponse) leecher.receive();
      assertThat(second.peers()).contains(new PeerAddress(InetAddress.getByName("127.0.0.1"), seeder.socket.getLocalPort()));
      assertThat(second.peers()).doesNotContain(new PeerAddress(InetAddress.getByName("127.0.0.1"), leecher.socket.getLocalPort()));

      leecher.send(new ScrapeRequest(leecherId, 9, List.of(HASH, InfoHash.of(new byte[20]))));
      ScrapeResponse scrape = (ScrapeResponse) leecher.receive();
      assertThat(scrape.transactionId()).isEqualTo(9);
      assertThat(scrape.stats().get(0).seeders()).isGreaterThanOrEqualTo(1);
      assertThat(scrape.stats().get(0).leechers()).isGreaterThanOrEqualTo(1);
      assertThat(scrape.stats().get(1)).isEqualTo(new ScrapeStats(0, 0, 0));

      leecher.send(leecher.announce(leecherId, 10, 1000, AnnounceEvent.STOPPED));
      assertThat(((AnnounceResponse) leecher.receive()).peers()).isEmpty();
    }
  }

  @Test
  void refusesAForgedConnectionId() throws Exception {
    try (Client a = new Client(); Client b = new Client()) {
      long before = stats.errors();
      a.send(a.announce(12345L, 11, 10, AnnounceEvent.STARTED));
      ErrorResponse forged = (ErrorResponse) a.receive();
      assertThat(forged.transactionId()).isEqualTo(11);
      assertThat(forged.message()).contains("connection id");
      long aId = a.connect();
      b.send(b.announce(aId ^ 0x5a5a, 12, 10, AnnounceEvent.STARTED));
      assertThat(((ErrorResponse) b.receive()).transactionId()).isEqualTo(12);
      b.send(new ScrapeRequest(aId + 1, 13, List.of(HASH)));
      assertThat(((ErrorResponse) b.receive()).transactionId()).isEqualTo(13);
      assertThat(stats.errors()).isGreaterThanOrEqualTo(before + 3);
    }
  }

  @Test
  void answersMalformedRequestsWithAnErrorWhenItCanAndNeverFalls() throws Exception {
    try (Client c = new Client()) {
      byte[] badAction = new byte[16];
      ByteBuffer.wrap(badAction).putLong(0x41727101980L).putInt(9).putInt(77);
      c.sendRaw(badAction);
      ErrorResponse error = (ErrorResponse) c.receive();
      assertThat(error.transactionId()).isEqualTo(77);

      byte[] truncatedAnnounce = Arrays.copyOf(badAction, 50);
      ByteBuffer.wrap(truncatedAnnounce).putLong(c.connect()).putInt(1).putInt(78);
      c.sendRaw(truncatedAnnounce);
      assertThat(((ErrorResponse) c.receive()).transactionId()).isEqualTo(78);

      byte[] oversized = new byte[UdpTrackerCodec.MAX_REQUEST_LENGTH + 1];
      ByteBuffer.wrap(oversized).putLong(0x41727101980L).putInt(0).putInt(79);
      c.sendRaw(oversized);
      assertThat(((ErrorResponse) c.receive()).transactionId()).isEqualTo(79);

      c.sendRaw(new byte[] {1, 2, 3});
      assertThat(c.receivesNothing()).isTrue();
      byte[] noise = new byte[200];
      new Random(1).nextBytes(noise);
      for (int i = 0; i < 200; i++) {
        noise[0] = (byte) i;
        c.sendRaw(noise);
        assertThat(c.receive()).isInstanceOf(ErrorResponse.class);
      }
      long id = c.connect();
      c.send(c.announce(id, 80, 10, AnnounceEvent.STARTED));
      assertThat(c.receive()).isInstanceOf(AnnounceResponse.class);
    }
  }

  /** Every answer to {@code datagram}, which must come (or not) within the receive timeout. */
  static int answerLength(Client c, byte[] datagram) throws Exception {
    c.sendRaw(datagram);
    DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
    c.socket.receive(packet);
    return packet.getLength();
  }

  @Test
  void neverAnswersAnUnverifiedSourceWithMoreBytesThanItSent() throws Exception {
    try (Client spoofed = new Client()) {
      Random random = new Random(3);
      List<byte[]> datagrams = new ArrayList<>();
      byte[] badAction = new byte[16];
      ByteBuffer.wrap(badAction).putLong(UdpTrackerCodec.PROTOCOL_ID).putInt(9).putInt(1);
      datagrams.add(badAction);
      byte[] shortAnnounce = new byte[20];
      ByteBuffer.wrap(shortAnnounce).putLong(random.nextLong()).putInt(1).putInt(2);
      datagrams.add(shortAnnounce);
      byte[] badConnect = new byte[17];
      ByteBuffer.wrap(badConnect).putLong(UdpTrackerCodec.PROTOCOL_ID).putInt(0).putInt(3);
      datagrams.add(badConnect);
      ByteBuffer forgedScrape = UdpTrackerCodec.encode(new ScrapeRequest(random.nextLong(), 4, List.of(HASH)));
      datagrams.add(Arrays.copyOf(forgedScrape.array(), forgedScrape.remaining()));
      ByteBuffer forgedAnnounce = UdpTrackerCodec.encode(spoofed.announce(random.nextLong(), 5, 0, AnnounceEvent.STARTED));
      datagrams.add(Arrays.copyOf(forgedAnnounce.array(), forgedAnnounce.remaining()));
      for (int i = 0; i < 50; i++) {
        byte[] noise = new byte[16 + random.nextInt(100)];
        random.nextBytes(noise);
        datagrams.add(noise);
      }
      for (byte[] datagram : datagrams) {
        assertThat(answerLength(spoofed, datagram)).as("answer to %d bytes", datagram.length)
            .isLessThanOrEqualTo(datagram.length);
      }
      // A client that proved its address with a connection id still hears the whole reason.
      long id = spoofed.connect();
      byte[] truncated = new byte[60];
      ByteBuffer.wrap(truncated).putLong(id).putInt(1).putInt(6);
      spoofed.sendRaw(truncated);
      ErrorResponse reason = (ErrorResponse) spoofed.receiveFor(6);
      assertThat(reason.message()).contains("announce request").contains("60");
    }
  }

  @Test
  void fitsAMessageIntoTheRoomByUtf8Bytes() {
    assertThat(UdpEndpoint.fit("unknown connection id", 7)).isEqualTo("unknown");
    assertThat(UdpEndpoint.fit("ab\u00e9cd", 3)).isEqualTo("ab");
    assertThat(UdpEndpoint.fit("ab\u00e9cd", 4)).isEqualTo("ab\u00e9");
    assertThat(UdpEndpoint.fit("short", 100)).isEqualTo("short");
    assertThat(UdpEndpoint.fit("\ud83d\ude00x", 3)).isEmpty();
  }

  @Test
  void usesTheSourceAddressNotTheIpField() throws Exception {
    try (Client liar = new Client(); Client asker = new Client()) {
      long id = liar.connect();
      AnnounceRequest r = liar.announce(id, 90, 10, AnnounceEvent.STARTED);
      liar.send(new AnnounceRequest(r.connectionId(), r.transactionId(), InfoHash.fromHex("3333333333333333333333333333333333333333"),
          r.peerId(), 0, 10, 0, AnnounceEvent.STARTED, Optional.of((java.net.Inet4Address) InetAddress.getByName("10.9.8.7")),
          1, -1, 4444));
      liar.receive();
      long askerId = asker.connect();
      AnnounceRequest q = asker.announce(askerId, 91, 10, AnnounceEvent.STARTED);
      asker.send(new AnnounceRequest(q.connectionId(), 91, InfoHash.fromHex("3333333333333333333333333333333333333333"),
          q.peerId(), 0, 10, 0, AnnounceEvent.STARTED, Optional.empty(), 2, -1, 5555));
      assertThat(((AnnounceResponse) asker.receive()).peers())
          .containsExactly(new PeerAddress(InetAddress.getByName("127.0.0.1"), 4444));
    }
  }

  @Test
  void refusesPortZero() throws Exception {
    InfoHash hash = InfoHash.fromHex("4444444444444444444444444444444444444444");
    try (Client zero = new Client(); Client asker = new Client()) {
      long id = zero.connect();
      AnnounceRequest r = zero.announce(id, 95, 0, AnnounceEvent.STARTED);
      zero.send(new AnnounceRequest(r.connectionId(), 95, hash, r.peerId(), 0, 0, 0, AnnounceEvent.STARTED,
          Optional.empty(), 1, -1, 0));
      ErrorResponse refused = (ErrorResponse) zero.receiveFor(95);
      assertThat(refused.message()).contains("port 0");
      long askerId = asker.connect();
      AnnounceRequest q = asker.announce(askerId, 96, 10, AnnounceEvent.STARTED);
      asker.send(new AnnounceRequest(q.connectionId(), 96, hash, q.peerId(), 0, 10, 0, AnnounceEvent.STARTED,
          Optional.empty(), 2, -1, 5556));
      AnnounceResponse answer = (AnnounceResponse) asker.receiveFor(96);
      assertThat(answer.peers()).isEmpty();
      assertThat(answer.seeders()).isZero();
    }
  }

  @Test
  void aFloodFromManyPortsIsDroppedWithoutAFootprintWhileValidAnnouncesAreAnswered() throws Exception {
    TestProbe<Registry.Totals> totals = kit.createTestProbe();
    registry.tell(new Tracker.GetTotals(totals.getRef()));
    Registry.Totals before = totals.receiveMessage();
    Random random = new Random(2);
    List<DatagramSocket> attackers = new ArrayList<>();
    try (Client honest = new Client()) {
      for (int i = 0; i < 200; i++) {
        attackers.add(new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)));
      }
      long id = answered(honest, () -> honest.connect());
      // 12,000 datagrams in 20 rounds: noise, announces with forged connection ids, truncated
      // connects; after each round the honest peer announces, as a client would, again if no
      // answer comes (UDP may drop a datagram under a flood).
      for (int round = 0; round < 20; round++) {
        for (DatagramSocket attacker : attackers) {
          byte[] noise = new byte[1 + random.nextInt(300)];
          random.nextBytes(noise);
          byte[] forged = new byte[UdpTrackerCodec.ANNOUNCE_REQUEST_LENGTH];
          random.nextBytes(forged);
          ByteBuffer.wrap(forged).putLong(random.nextLong()).putInt(1);
          byte[] truncated = Arrays.copyOf(UdpTrackerCodec.encode(new ConnectRequest(round)).array(), 12);
          for (byte[] datagram : List.of(noise, forged, truncated)) {
            attacker.send(new DatagramPacket(datagram, datagram.length, tracker));
          }
        }
        int tx = 1000 + round;
        AnnounceEvent event = round == 0 ? AnnounceEvent.STARTED : AnnounceEvent.NONE;
        UdpTrackerResponse answer = answered(honest, () -> {
          honest.send(honest.announce(id, tx, 10, event));
          return honest.receiveFor(tx);
        });
        assertThat(answer).as("round " + round).isInstanceOf(AnnounceResponse.class);
      }
    } finally {
      attackers.forEach(DatagramSocket::close);
    }
    // Nothing the flood said was kept: the registry holds only the honest peer more.
    registry.tell(new Tracker.GetTotals(totals.getRef()));
    assertThat(totals.receiveMessage().peers()).isEqualTo(before.peers() + 1);
  }

  interface Exchange<T> {
    T run() throws Exception;
  }

  /** Tries an exchange up to five times, as a BEP 15 client would when no answer comes. */
  static <T> T answered(Client client, Exchange<T> exchange) throws Exception {
    client.socket.setSoTimeout(2000);
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return exchange.run();
        } catch (SocketTimeoutException lost) {
          if (attempt == 5) {
            throw lost;
          }
        }
      }
    } finally {
      client.socket.setSoTimeout(5000);
    }
  }
}
