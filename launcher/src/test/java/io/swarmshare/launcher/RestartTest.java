package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.messages.tracker.udp.ConnectRequest;
import io.swarmshare.messages.tracker.udp.ConnectResponse;
import io.swarmshare.messages.tracker.udp.UdpTrackerCodec;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.peer.ChunkServer;
import io.swarmshare.peer.Download;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.peer.tracker.TrackerClient;
import io.swarmshare.tracker.Tracker;
import io.swarmshare.tracker.catalogue.Catalogue;
import io.swarmshare.tracker.catalogue.PublishResult;
import io.swarmshare.tracker.udp.UdpEndpoint;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each part of a node fails in the middle of a transfer, through its {@code Crash} test seam, and
 * is restarted by its supervisor with back-off; the leecher still ends with a byte-identical file.
 * A tracker, a seeder whose upload is capped so that the transfer lasts a few seconds, and a
 * leecher, each its own actor system on loopback. A connection that crashes is not restarted but
 * dialled again; that case is DownloadTest's, where the seeder has no tracker and so no way to
 * dial the leecher itself, and only the leecher's new dial can finish the transfer.
 */
class RestartTest {

  static final int SIZE = 8 << 20;

  final LoopbackSwarm swarm = new LoopbackSwarm();
  @TempDir
  Path root;
  byte[] data;
  Metainfo metainfo;
  LoopbackSwarm.Tracker tracker;
  LoopbackSwarm.Node seeder;
  LoopbackSwarm.Node leecher;

  @BeforeEach
  void startSwarm() throws Exception {
    // Announces every 2 s, so that the tracker learns again quickly what a restart made it forget.
    tracker = swarm.tracker(root.resolve("tracker"), "swarmshare.tracker { announce-interval = 2 s,"
        + " min-announce-interval = 1 s }");
    Path seedDir = Files.createDirectories(root.resolve("seeder"));
    data = new byte[SIZE];
    new Random(7).nextBytes(data);
    Files.write(seedDir.resolve("restart.bin"), data);
    metainfo = TorrentCreator.of(seedDir.resolve("restart.bin")).pieceLength(65536).create();
    TestProbe<PublishResult> published = tracker.kit().createTestProbe();
    LoopbackSwarm.<Tracker.Command>find(tracker.kit(), "/user/tracker/tracker")
        .tell(new Tracker.Publish(metainfo.encode(), new Catalogue.Publisher(Catalogue.LOCAL, Long.MAX_VALUE),
            published.getRef()));
    assertThat(published.receiveMessage(LoopbackSwarm.HANG_GUARD)).isInstanceOf(PublishResult.Added.class);
    seeder = swarm.peer("seeder", "swarmshare.peer.upload-limit = 2 MiB", metainfo, seedDir, tracker.udpUrl());
    seeder.await(TorrentState.SEEDING);
    leecher = swarm.peer("leecher", "", metainfo, Files.createDirectories(root.resolve("leecher")),
        tracker.udpUrl());
    leecher.await(s -> s.piecesHave() >= metainfo.info().pieceCount() / 4);
  }

  @AfterEach
  void stopSwarm() {
    swarm.close();
  }

  /** Makes the actor fail and waits until its supervisor has seen the failure. */
  static <T> void crash(LoopbackSwarm.Node node, String path, T crash) throws Exception {
    crash(node.kit(), path, crash);
  }

  static <T> void crash(ActorTestKit kit, String path, T crash) throws Exception {
    ActorRef<T> target = LoopbackSwarm.find(kit, path);
    LoggingTestKit.error("crash injected by a test").expect(kit.system(), () -> {
      target.tell(crash);
      return null;
    });
  }

  TorrentSnapshot leecherCompletes() throws Exception {
    TorrentSnapshot done = leecher.await(TorrentState.SEEDING);
    assertThat(Files.readAllBytes(root.resolve("leecher").resolve("restart.bin"))).isEqualTo(data);
    return done;
  }

  @Test
  void theTrackerForgetsItsPeersAndAnnouncesBringThemBack() throws Exception {
    crash(tracker.kit(), "/user/tracker/tracker", new Tracker.Crash());

    leecherCompletes();
    // The restarted registry began empty; the next announces of both peers fill it again, and it
    // still has the catalogue.
    Awaitility.await().atMost(LoopbackSwarm.HANG_GUARD).untilAsserted(() ->
        assertThat(tracker.scrape(metainfo).seeders()).isEqualTo(2));
    TestProbe<Tracker.CataloguePage> catalogue = tracker.kit().createTestProbe();
    LoopbackSwarm.<Tracker.Command>find(tracker.kit(), "/user/tracker/tracker")
        .tell(new Tracker.ListCatalogue(Optional.empty(), 0, 10, catalogue.getRef()));
    assertThat(catalogue.receiveMessage(LoopbackSwarm.HANG_GUARD).entries()).extracting(Tracker.CatalogueEntry::name)
        .containsExactly("restart.bin");
  }

  @Test
  void theTrackersUdpEndpointListensAgainOnItsPort() throws Exception {
    crash(tracker.kit(), "/user/tracker/udp", new UdpEndpoint.Crash());

    Awaitility.await().atMost(LoopbackSwarm.HANG_GUARD).until(() -> connects(tracker.started().udp()));
    leecherCompletes();
    // The leecher's completed announce went through the restarted endpoint, with a new connection id.
    Awaitility.await().atMost(LoopbackSwarm.HANG_GUARD).untilAsserted(() ->
        assertThat(tracker.scrape(metainfo).completed()).isEqualTo(1));
  }

  /** Whether a BEP 15 connect to {@code udp} is answered within half a second. */
  static boolean connects(InetSocketAddress udp) throws Exception {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(500);
      ByteBuffer request = UdpTrackerCodec.encode(new ConnectRequest(42));
      socket.send(new DatagramPacket(request.array(), request.remaining(), udp));
      DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
      socket.receive(answer);
      return UdpTrackerCodec.decodeResponse(ByteBuffer.wrap(answer.getData(), 0, answer.getLength()),
          StandardProtocolFamily.INET) instanceof ConnectResponse;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  @Test
  void theLeechersPeerTakesUpItsTorrentAgainAndFetchesOnlyWhatItLacks() throws Exception {
    crash(leecher, "/user/session", new Session.Crash());

    leecher.await(TorrentState.CHECKING);
    TorrentSnapshot resumed = leecher.await(TorrentState.DOWNLOADING);
    assertThat(resumed.piecesHave()).as("pieces found on disk after the restart")
        .isGreaterThanOrEqualTo(metainfo.info().pieceCount() / 4);
    TorrentSnapshot done = leecherCompletes();
    assertThat(done.downloaded() - resumed.downloaded()).as("bytes fetched after the restart")
        .isEqualTo(metainfo.info().totalLength() - resumed.verifiedBytes());
  }

  @Test
  void theSeedersChunkServerListensAgainOnTheSamePort() throws Exception {
    try (Socket before = handshake(seeder.address())) {
      crash(seeder, "/user/session/chunk-server", new ChunkServer.Crash());

      // The connections it had went with it; a new one on the same port is answered.
      readUntilClosed(before);
      Awaitility.await().atMost(LoopbackSwarm.HANG_GUARD).ignoreExceptions()
          .until(() -> handshake(seeder.address()).isConnected());
    }
    leecherCompletes();
  }

  /** Returns once the other side closes or resets the connection; fails if it stays open. */
  static void readUntilClosed(Socket socket) throws IOException {
    try {
      socket.getInputStream().readAllBytes();
    } catch (SocketTimeoutException stillOpen) {
      throw new AssertionError("the connection stayed open", stillOpen);
    } catch (SocketException reset) {
      // closed all the same
    }
  }

  /** A connection to {@code address} whose handshake for the torrent was answered. */
  Socket handshake(InetSocketAddress address) throws Exception {
    Socket socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout((int) LoopbackSwarm.HANG_GUARD.toMillis());
    ByteBuffer ours = Handshake.of(metainfo.infoHash(), PeerId.generate()).encode();
    socket.getOutputStream().write(ours.array(), ours.arrayOffset(), ours.remaining());
    Handshake theirs = Handshake.decode(ByteBuffer.wrap(socket.getInputStream().readNBytes(Handshake.LENGTH)));
    assertThat(theirs.infoHash()).isEqualTo(metainfo.infoHash());
    return socket;
  }

  @Test
  void theLeechersDownloadKeepsWhatItVerifiedAndFetchesOnlyTheRest() throws Exception {
    crash(leecher, leecher.download(), new Download.Crash());

    leecher.await(TorrentState.CHECKING);
    TorrentSnapshot resumed = leecher.await(TorrentState.DOWNLOADING);
    assertThat(resumed.piecesHave()).isGreaterThanOrEqualTo(metainfo.info().pieceCount() / 4);
    TorrentSnapshot done = leecherCompletes();
    assertThat(done.downloaded() - resumed.downloaded()).as("bytes fetched after the restart")
        .isEqualTo(metainfo.info().totalLength() - resumed.verifiedBytes());
  }

  @Test
  void theLeechersTrackerClientAnnouncesAgainAndReportsTheCompletion() throws Exception {
    crash(leecher, leecher.download() + "/tracker", new TrackerClient.Crash());

    leecherCompletes();
    // Only a restarted client can have told the tracker that the leecher completed.
    Awaitility.await().atMost(LoopbackSwarm.HANG_GUARD).untilAsserted(() ->
        assertThat(tracker.scrape(metainfo).completed()).isEqualTo(1));
  }
}
