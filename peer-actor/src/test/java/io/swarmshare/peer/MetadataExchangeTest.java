package io.swarmshare.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.wire.ExtensionHandshake;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.MetadataCodec;
import io.swarmshare.messages.wire.MetadataMessage;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.messages.wire.PeerWireCodec;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.peer.wire.Extensions;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 9 and 10 over real sockets: a torrent we hold gives its info dictionary to whoever asks
 * (within the request limit), and a node with only an info hash gets the dictionary from its peers,
 * past one that lies about it.
 */
class MetadataExchangeTest {

  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** 1,024 pieces: 20 KiB of hashes, so the dictionary comes in two metadata pieces. */
  static Metainfo twoPieceMetadata(Path dir, TestNode seeder) throws IOException {
    Metainfo m = DownloadTest.seeded(dir, "big.bin", 1024 * 16384, 7, 16384).metainfo();
    assertThat(MetadataMessage.pieceCount(m.infoBytes().length)).isEqualTo(2);
    seeder.add(m, dir).await(TorrentState.SEEDING);
    return m;
  }

  @Test
  void aNodeWithOnlyTheInfoHashFetchesTheTorrentFromASeeder(@TempDir Path dir) throws Exception {
    TestNode seeder = new TestNode(kit);
    Metainfo m = twoPieceMetadata(dir, seeder);
    TestNode leecher = new TestNode(kit);

    TestProbe<MetadataFetch.Outcome> outcome = kit.createTestProbe();
    leecher.session.tell(new Session.FetchMetadata(
        new MetadataFetch.Subject(m.infoHash(), List.of(), List.of(seeder.address)), outcome.getRef()));

    MetadataFetch.Fetched fetched = outcome.expectMessageClass(MetadataFetch.Fetched.class, TestNode.HANG_GUARD);
    assertThat(fetched.metainfo().infoHash()).isEqualTo(m.infoHash());
    assertThat(fetched.metainfo().infoBytes()).isEqualTo(m.infoBytes());
    assertThat(fetched.metainfo().info()).isEqualTo(m.info());
  }

  @Test
  void aSeederAnswersMetadataRequestsUnderTheIdTheRemoteChoseAndRejectsPastItsLimit(@TempDir Path dir)
      throws Exception {
    TestNode seeder = new TestNode(kit, "swarmshare.peer.metadata.extra-requests = 1");
    Metainfo m = twoPieceMetadata(dir, seeder);
    byte[] info = m.infoBytes();

    try (RawPeer raw = RawPeer.connect(seeder.address)) {
      raw.sendBytes(array(Handshake.of(m.infoHash(), PeerId.generate()).withExtensionProtocol().encode()));
      assertThat(raw.readHandshake().supportsExtensions()).isTrue();
      ExtensionHandshake theirs = ExtensionHandshake.decode(extended(raw, 0).payload());
      assertThat(theirs.idOf(ExtensionHandshake.UT_METADATA)).isPresent();
      assertThat(theirs.metadataSize()).hasValue(info.length);
      int theirId = theirs.idOf(ExtensionHandshake.UT_METADATA).getAsInt();

      raw.send(new PeerMessage.Extended(0, new ExtensionHandshake(Map.of(ExtensionHandshake.UT_METADATA, 7),
          OptionalLong.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty()).encode()));
      for (int piece : new int[] {1, 0, 5, 0, 1}) {
        raw.send(new PeerMessage.Extended(theirId, MetadataCodec.encode(new MetadataMessage.Request(piece))));
      }

      MetadataMessage.Data second = (MetadataMessage.Data) metadata(raw);
      assertThat(second.piece()).isEqualTo(1);
      assertThat(second.totalSize()).isEqualTo(info.length);
      assertThat(array(second.bytes())).isEqualTo(Arrays.copyOfRange(info, 16384, info.length));
      MetadataMessage.Data first = (MetadataMessage.Data) metadata(raw);
      assertThat(array(first.bytes())).isEqualTo(Arrays.copyOfRange(info, 0, 16384));
      assertThat(metadata(raw)).as("a piece it does not have").isEqualTo(new MetadataMessage.Reject(5));
      assertThat(metadata(raw)).as("each piece once and one more").isInstanceOf(MetadataMessage.Data.class);
      assertThat(metadata(raw)).as("past the limit").isEqualTo(new MetadataMessage.Reject(1));
    }
  }

  @Test
  void aMetadataMessageThatCannotBeReadClosesTheConnection(@TempDir Path dir) throws Exception {
    TestNode seeder = new TestNode(kit);
    Metainfo m = twoPieceMetadata(dir, seeder);
    try (RawPeer raw = RawPeer.connect(seeder.address)) {
      raw.sendBytes(array(Handshake.of(m.infoHash(), PeerId.generate()).withExtensionProtocol().encode()));
      raw.readHandshake();
      raw.send(new PeerMessage.Extended(Extensions.OUR_UT_METADATA, ByteBuffer.wrap("d8:msg_typei0e5:piecei".getBytes())));
      assertThat(raw.closedByRemote()).isTrue();
    }
  }

  @Test
  void aRemoteWhoseMetadataDoesNotHashToTheInfoHashIsDroppedAndAnHonestOneGivesIt(@TempDir Path dir)
      throws Exception {
    TestNode seeder = new TestNode(kit);
    Metainfo m = twoPieceMetadata(dir, seeder);
    TestNode leecher = new TestNode(kit);

    try (ServerSocket liar = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Boolean> liarWasClosed = CompletableFuture.supplyAsync(() -> lie(liar, m));
      TestProbe<MetadataFetch.Outcome> outcome = kit.createTestProbe();
      leecher.session.tell(new Session.FetchMetadata(new MetadataFetch.Subject(m.infoHash(), List.of(),
          List.of(new InetSocketAddress(liar.getInetAddress(), liar.getLocalPort()), seeder.address)),
          outcome.getRef()));

      MetadataFetch.Fetched fetched = outcome.expectMessageClass(MetadataFetch.Fetched.class, TestNode.HANG_GUARD);
      assertThat(fetched.metainfo().infoBytes()).isEqualTo(m.infoBytes());
      assertThat(liarWasClosed.get(TestNode.HANG_GUARD.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * Plays a remote that offers metadata of the right size and sends zeros for every piece asked;
   * true once the node closed the connection on it.
   */
  private static boolean lie(ServerSocket server, Metainfo m) {
    PeerWireCodec codec = new PeerWireCodec();
    int size = m.infoBytes().length;
    try (Socket socket = server.accept()) {
      socket.setSoTimeout((int) TestNode.HANG_GUARD.toMillis());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      in.readFully(new byte[Handshake.LENGTH]);
      out.write(array(Handshake.of(m.infoHash(), PeerId.generate()).withExtensionProtocol().encode()));
      out.write(array(codec.encode(new PeerMessage.Extended(0, new ExtensionHandshake(
          Map.of(ExtensionHandshake.UT_METADATA, 3), OptionalLong.of(size), Optional.empty(), OptionalInt.empty(),
          OptionalInt.empty()).encode()))));
      while (true) {
        int length;
        try {
          length = in.readInt();
        } catch (IOException closed) {
          return true;
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        if (length > 0 && codec.decode(ByteBuffer.wrap(frame)) instanceof PeerMessage.Extended e
            && e.extendedId() == 3 && MetadataCodec.decode(e.payload()) instanceof MetadataMessage.Request r) {
          int bytes = Math.min(MetadataMessage.PIECE_LENGTH, size - r.piece() * MetadataMessage.PIECE_LENGTH);
          PeerMessage.Extended data = new PeerMessage.Extended(Extensions.OUR_UT_METADATA, MetadataCodec.encode(
              new MetadataMessage.Data(r.piece(), size, ByteBuffer.allocate(bytes))));
          out.write(array(codec.encode(data)));
        }
      }
    } catch (IOException e) {
      return true; // reset by the node: closed too
    }
  }

  private static PeerMessage.Extended extended(RawPeer raw, int id) throws IOException {
    while (true) {
      PeerMessage.Extended e = raw.readUntil(PeerMessage.Extended.class);
      if (e.extendedId() == id) {
        return e;
      }
    }
  }

  private static MetadataMessage metadata(RawPeer raw) throws IOException {
    return MetadataCodec.decode(extended(raw, 7).payload());
  }

  private static byte[] array(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }
}
