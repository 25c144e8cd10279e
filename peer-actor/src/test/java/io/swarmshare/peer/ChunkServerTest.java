package io.swarmshare.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.messages.wire.PeerWireCodec;
import io.swarmshare.peer.crypto.TestInitiator;
import io.swarmshare.peer.session.TorrentState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our peer seeding a torrent: to libtorrent, and to remotes that misbehave. */
class ChunkServerTest {

  static final ActorTestKit kit = ActorTestKit.create();
  @TempDir static Path seedDir;
  static Metainfo metainfo;
  static byte[] data;
  static TestNode seeder;

  @BeforeAll
  static void start() throws Exception {
    data = new byte[3_000_000];
    new Random(5).nextBytes(data);
    Path file = Files.write(seedDir.resolve("payload.bin"), data);
    metainfo = TorrentCreator.of(file).pieceLength(32768).create();
    seeder = new TestNode(kit);
    seeder.add(metainfo, seedDir).await(TorrentState.SEEDING);
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void libtorrentDownloadsAByteIdenticalFileFromUs(@TempDir Path leechDir) throws Exception {
    RealTools.requireLibtorrent();
    Path torrent = Files.write(leechDir.resolve("payload.torrent"), metainfo.encode());
    JsonNode result = RealTools.libtorrentPeer(torrent, leechDir, "--connect", "127.0.0.1:" + seeder.address.getPort(),
        "--exit-when-done", "--timeout", "120");
    assertThat(result.path("finished").asBoolean()).as(result.toString()).isTrue();
    assertThat(Files.readAllBytes(leechDir.resolve("payload.bin"))).isEqualTo(data);
    // libtorrent opens with an encrypted handshake, offering plaintext after it, which we choose.
    assertThat(result.path("encryption").toString()).isEqualTo("[\"handshake\"]");
  }

  @Test
  void libtorrentThatAllowsOnlyRc4DownloadsAByteIdenticalFileFromUs(@TempDir Path leechDir) throws Exception {
    RealTools.requireLibtorrent();
    Path torrent = Files.write(leechDir.resolve("payload.torrent"), metainfo.encode());
    JsonNode result = RealTools.libtorrentPeer(torrent, leechDir, "--connect", "127.0.0.1:" + seeder.address.getPort(),
        "--encryption", "rc4", "--exit-when-done", "--timeout", "120");
    assertThat(result.path("finished").asBoolean()).as(result.toString()).isTrue();
    assertThat(result.path("encryption").toString()).isEqualTo("[\"rc4\"]");
    assertThat(Files.readAllBytes(leechDir.resolve("payload.bin"))).isEqualTo(data);
  }

  @Test
  void aNodeThatRefusesEncryptionIsDialledAgainInPlaintext(@TempDir Path leechDir) throws Exception {
    RealTools.requireLibtorrent();
    TestNode plain = new TestNode(kit, "swarmshare.peer.incoming-encryption = refuse");
    plain.add(metainfo, seedDir).await(TorrentState.SEEDING);
    Path torrent = Files.write(leechDir.resolve("payload.torrent"), metainfo.encode());
    JsonNode result = RealTools.libtorrentPeer(torrent, leechDir, "--connect", "127.0.0.1:" + plain.address.getPort(),
        "--exit-when-done", "--timeout", "120");
    assertThat(result.path("finished").asBoolean()).as(result.toString()).isTrue();
    assertThat(result.path("encryption").toString()).isEqualTo("[\"none\"]");
  }

  @Test
  void closesAnEncryptedHandshakeForATorrentItDoesNotHold() throws IOException {
    TestInitiator remote = new TestInitiator();
    try (RawPeer raw = RawPeer.connect(seeder.address)) {
      byte[] ours = raw.sendBytes(remote.hello(64)).readBytes(96);
      byte[] unknown = remote.request(ours, InfoHash.of(new byte[20]), 0x03, 0, new byte[0]);
      assertThat(raw.sendBytes(unknown).closedByRemote()).isTrue();
    }
  }

  /** Greets the seeder, says it is interested and waits to be unchoked. */
  static RawPeer unchoked() throws IOException {
    RawPeer raw = RawPeer.connect(seeder.address).handshake(metainfo.infoHash(), PeerId.generate());
    assertThat(raw.readHandshake().infoHash()).isEqualTo(metainfo.infoHash());
    raw.send(PeerMessage.Interested.INSTANCE).readUntil(PeerMessage.Unchoke.class);
    return raw;
  }

  static boolean closedAfterRequest(PeerMessage.Request request) throws IOException {
    try (RawPeer raw = unchoked()) {
      return raw.send(request).closedByRemote();
    }
  }

  @Test
  void servesAnHonestRequest() throws IOException {
    try (RawPeer raw = unchoked()) {
      raw.send(new PeerMessage.Request(3, 16384, 16384));
      PeerMessage.Piece piece = raw.readUntil(PeerMessage.Piece.class);
      byte[] block = new byte[16384];
      piece.block().get(block);
      byte[] expected = new byte[16384];
      System.arraycopy(data, 3 * 32768 + 16384, expected, 0, 16384);
      assertThat(block).isEqualTo(expected);
    }
  }

  @Test
  void closesConnectionsThatAskForWhatTheyShouldNot() throws IOException {
    int pieces = metainfo.info().pieceCount();
    assertThat(closedAfterRequest(new PeerMessage.Request(pieces, 0, 16384))).as("piece out of range").isTrue();
    assertThat(closedAfterRequest(new PeerMessage.Request(0, 0, 131072))).as("block too long").isTrue();
    assertThat(closedAfterRequest(new PeerMessage.Request(0, 32000, 16384))).as("past the end of the piece").isTrue();
  }

  @Test
  void whatCameInOneWriteWithTheHandshakeIsHandledOnceTheTorrentTakesTheConnection() throws IOException {
    ByteArrayOutputStream oneWrite = new ByteArrayOutputStream();
    oneWrite.write(bytesOf(Handshake.of(metainfo.infoHash(), PeerId.generate()).encode()));
    oneWrite.write(bytesOf(new PeerWireCodec().encode(PeerMessage.Interested.INSTANCE)));
    try (RawPeer raw = RawPeer.connect(seeder.address).sendBytes(oneWrite.toByteArray())) {
      assertThat(raw.readHandshake().infoHash()).isEqualTo(metainfo.infoHash());
      // The interest was read with the handshake, before the session routed the connection: the unchoke shows it was kept.
      assertThat(raw.readUntil(PeerMessage.Unchoke.class)).isNotNull();
    }
  }

  @Test
  void closesConnectionsThatDoNotSpeakTheProtocol() throws IOException {
    try (RawPeer raw = RawPeer.connect(seeder.address)) {
      // Taken for an encrypted handshake: closed once no sync marker comes within the longest padding.
      byte[] request = ("GET / HTTP/1.1\r\nCookie: " + "x".repeat(700) + "\r\n\r\n").getBytes();
      assertThat(raw.sendBytes(request).closedByRemote()).as("garbage").isTrue();
    }
    try (RawPeer raw = RawPeer.connect(seeder.address)) {
      assertThat(raw.handshake(InfoHash.of(new byte[20]), PeerId.generate()).closedByRemote())
          .as("an unknown torrent").isTrue();
    }
    try (RawPeer raw = RawPeer.connect(seeder.address)) {
      raw.handshake(metainfo.infoHash(), PeerId.generate()).readHandshake();
      assertThat(raw.sendBytes(new byte[] {(byte) 0x80, 0, 0, 0}).closedByRemote()).as("a 2 GiB frame").isTrue();
    }
  }

  @Test
  void refusesAConnectionFromItself() throws IOException {
    try (RawPeer raw = RawPeer.connect(seeder.address)) {
      assertThat(raw.handshake(metainfo.infoHash(), seeder.id).closedByRemote()).isTrue();
    }
  }

  @Test
  void refusesConnectionsPastTheNodeLimit() throws IOException {
    // The handshake timeout outlasts the raw peer's read timeout: only the limit can close the third.
    TestNode small = new TestNode(kit, "swarmshare.peer { max-connections = 2, handshake-timeout = 60 s }");
    try (RawPeer first = RawPeer.connect(small.address); RawPeer second = RawPeer.connect(small.address);
        RawPeer third = RawPeer.connect(small.address)) {
      assertThat(third.closedByRemote()).as("the third connection is closed at once").isTrue();
    }
  }

  @Test
  void closesARemoteThatDripsItsHandshakeOneByteASecond() throws IOException {
    TestNode strict = new TestNode(kit, "swarmshare.peer.handshake-timeout = 2 s");
    strict.add(metainfo, seedDir).await(TorrentState.SEEDING);
    byte[] handshake = bytesOf(Handshake.of(metainfo.infoHash(), PeerId.generate()).encode());
    try (RawPeer raw = RawPeer.connect(strict.address)) {
      int sent = raw.dripUntilClosed(handshake, Duration.ofSeconds(1));
      assertThat(sent).as("bytes of the handshake sent before the connection closed").isBetween(1, 10);
    }
    try (RawPeer raw = RawPeer.connect(strict.address)) {
      int sent = raw.dripUntilClosed(new TestInitiator().hello(0), Duration.ofSeconds(1));
      assertThat(sent).as("bytes of an encrypted handshake's key sent before the connection closed").isBetween(1, 10);
    }
  }

  @Test
  void closesARemoteThatDripsAMessageOneByteASecond() throws IOException {
    TestNode strict = new TestNode(kit, "swarmshare.peer { idle-timeout = 3 s, keep-alive-interval = 1 s }");
    strict.add(metainfo, seedDir).await(TorrentState.SEEDING);
    byte[] request = bytesOf(new PeerWireCodec().encode(new PeerMessage.Request(0, 0, 16384)));
    try (RawPeer raw = RawPeer.connect(strict.address).handshake(metainfo.infoHash(), PeerId.generate())) {
      raw.readHandshake();
      int sent = raw.dripUntilClosed(request, Duration.ofSeconds(1));
      assertThat(sent).as("bytes of a 17-byte request sent before the connection closed").isBetween(1, 10);
    }
  }

  @Test
  void closesARemoteThatAsksForAPieceTheNodeDoesNotHave(@TempDir Path partDir) throws IOException {
    int half = metainfo.info().pieceCount() / 2;
    Files.write(partDir.resolve("payload.bin"), Arrays.copyOf(data, half * 32768));
    TestNode partial = new TestNode(kit);
    partial.add(metainfo, partDir).await(s -> s.state() == TorrentState.DOWNLOADING && s.piecesHave() == half);
    try (RawPeer raw = RawPeer.connect(partial.address).handshake(metainfo.infoHash(), PeerId.generate())) {
      raw.readHandshake();
      raw.send(PeerMessage.Interested.INSTANCE).readUntil(PeerMessage.Unchoke.class);
      raw.send(new PeerMessage.Request(half - 1, 0, 16384)).readUntil(PeerMessage.Piece.class);
      assertThat(raw.send(new PeerMessage.Request(half, 0, 16384)).closedByRemote()).isTrue();
    }
  }

  @Test
  void aLeecherThatQueuesMoreRequestsThanTheLimitHasTheExtraIgnoredAndStaysServed() throws IOException {
    TestNode small = new TestNode(kit, "swarmshare.peer.max-queued-requests = 20");
    small.add(metainfo, seedDir).await(TorrentState.SEEDING);
    int pieces = metainfo.info().pieceCount();
    try (RawPeer raw = RawPeer.connect(small.address).handshake(metainfo.infoHash(), PeerId.generate())) {
      raw.readHandshake();
      raw.send(PeerMessage.Interested.INSTANCE).readUntil(PeerMessage.Unchoke.class);
      // 200 requests in one write, ten times the queue: the first 20 are queued whatever else happens.
      ByteArrayOutputStream ahead = new ByteArrayOutputStream();
      PeerWireCodec codec = new PeerWireCodec();
      Set<Integer> asked = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        ahead.write(bytesOf(codec.encode(new PeerMessage.Request(i % (pieces - 1), 0, 16384))));
        asked.add(i % (pieces - 1));
      }
      raw.sendBytes(ahead.toByteArray());
      for (int i = 0; i < 20; i++) {
        assertThat(asked).contains(raw.readUntil(PeerMessage.Piece.class).piece());
      }
      // Still connected and served: a request for the one piece not asked before gets its block.
      raw.send(new PeerMessage.Request(pieces - 1, 0, 16384));
      PeerMessage.Piece last;
      do {
        last = raw.readUntil(PeerMessage.Piece.class);
        assertThat(last.piece() == pieces - 1 || asked.contains(last.piece())).isTrue();
      } while (last.piece() != pieces - 1);
    }
  }

  @Test
  void servesAnHonestLeecherWhileHostileRemotesHoldConnections(@TempDir Path leechDir) throws Exception {
    List<RawPeer> hostile = new ArrayList<>();
    try {
      // Three of the four unchoke slots go to remotes that ask for blocks and never read them.
      for (int i = 0; i < 3; i++) {
        RawPeer hog = unchoked();
        for (int r = 0; r < 400; r++) {
          hog.send(new PeerMessage.Request(r % metainfo.info().pieceCount(), 0, 16384));
        }
        hostile.add(hog);
      }
      for (int i = 0; i < 20; i++) {
        // Half a handshake, then silence; and a handshake with nothing after it.
        hostile.add(RawPeer.connect(seeder.address).sendBytes(new byte[] {19, 'B', 'i', 't'}));
        hostile.add(RawPeer.connect(seeder.address).handshake(metainfo.infoHash(), PeerId.generate()));
      }
      TestNode honest = new TestNode(kit);
      TestNode.Torrent fetch = honest.add(metainfo, leechDir);
      fetch.connectTo(seeder.address);
      fetch.await(TorrentState.SEEDING);
      assertThat(Files.readAllBytes(leechDir.resolve("payload.bin"))).isEqualTo(data);
    } finally {
      for (RawPeer raw : hostile) {
        raw.close();
      }
    }
  }

  @Test
  void letsGoOfRemotesThatHoldEverySlotAndReadNothing(@TempDir Path leechDir) throws Exception {
    // The queue limit is lifted so that only the rule under test can close them.
    TestNode strict = new TestNode(kit, "swarmshare.peer { request-timeout = 2 s, max-queued-requests = 5000 }");
    TestNode.Torrent seeding = strict.add(metainfo, seedDir);
    seeding.await(TorrentState.SEEDING);
    List<RawPeer> hoarders = new ArrayList<>();
    try {
      // All four unchoke slots, each asking for 16 MB, more than socket buffers hold, and reading none of it.
      for (int i = 0; i < 4; i++) {
        RawPeer hoarder = RawPeer.connectSmall(strict.address).handshake(metainfo.infoHash(), PeerId.generate());
        hoarder.readHandshake();
        hoarder.send(PeerMessage.Interested.INSTANCE).readUntil(PeerMessage.Unchoke.class);
        for (int r = 0; r < 1000; r++) {
          hoarder.send(new PeerMessage.Request(r % metainfo.info().pieceCount(), 0, 16384));
        }
        hoarders.add(hoarder);
      }
      TestNode honest = new TestNode(kit);
      TestNode.Torrent fetch = honest.add(metainfo, leechDir);
      fetch.connectTo(strict.address);
      fetch.await(TorrentState.SEEDING);
      assertThat(Files.readAllBytes(leechDir.resolve("payload.bin"))).isEqualTo(data);
      // Reading from a hoarder would end its hoarding; the seeder says when it has let them go.
      seeding.await(s -> s.peers() == 0);
      for (RawPeer hoarder : hoarders) {
        assertThat(hoarder.closedByRemote()).as("a hoarder is let go").isTrue();
      }
    } finally {
      for (RawPeer raw : hoarders) {
        raw.close();
      }
    }
  }

  private static byte[] bytesOf(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
