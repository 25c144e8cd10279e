package io.swarmshare.peer;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.messages.wire.PeerWireCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer that claims every piece, then misbehaves: it unchokes and answers every request with
 * random bytes (the liar a leecher must find out, route around and ban), or unchokes and never
 * answers (the stalled peer a leecher must give up on), or never unchokes and sends blocks nobody
 * asked for, or flips choke and unchoke as fast as it can to be sent a queue of requests each time.
 */
final class FakeSeeder implements AutoCloseable {

  enum Misbehaviour {
    LIES, STALLS, UNSOLICITED, FLAPS
  }

  /** How many blocks the UNSOLICITED seeder sends, and how many unchokes the FLAPS one. */
  static final int FLOOD = 500;

  final PeerId id = PeerId.generate();
  final AtomicInteger blocksSent = new AtomicInteger();
  final CountDownLatch closedByLeecher = new CountDownLatch(1);
  final AtomicInteger requestsSeen = new AtomicInteger();
  private final Metainfo metainfo;
  private final Misbehaviour misbehaviour;
  private final ServerSocket server;
  private final Thread acceptor;

  FakeSeeder(Metainfo metainfo, Misbehaviour misbehaviour) throws IOException {
    this(metainfo, misbehaviour, InetAddress.getLoopbackAddress());
  }

  /** Listening on {@code host}: another loopback address, say, so that banning it bans no honest peer. */
  FakeSeeder(Metainfo metainfo, Misbehaviour misbehaviour, InetAddress host) throws IOException {
    this.metainfo = metainfo;
    this.misbehaviour = misbehaviour;
    this.server = new ServerSocket(0, 50, host);
    this.acceptor = new Thread(this::serve, "fake-seeder");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  private void serve() {
    Random random = new Random(13);
    try (RawPeer peer = new RawPeer(server.accept())) {
      Handshake theirs = peer.readHandshake();
      peer.handshake(theirs.infoHash(), id)
          .send(PeerMessage.BitfieldMessage.of(Bitfield.full(metainfo.info().pieceCount())));
      if (misbehaviour == Misbehaviour.UNSOLICITED) {
        for (int i = 0; i < FLOOD; i++) {
          // Real blocks of the torrent (the last piece may be short, so not of that one): only
          // that nobody asked for them is wrong.
          peer.send(new PeerMessage.Piece(i % (metainfo.info().pieceCount() - 1), 0, ByteBuffer.allocate(16384)));
          blocksSent.incrementAndGet();
        }
      } else if (misbehaviour == Misbehaviour.FLAPS) {
        ByteArrayOutputStream flips = new ByteArrayOutputStream();
        PeerWireCodec codec = new PeerWireCodec();
        for (int i = 0; i < FLOOD; i++) {
          flips.write(bytesOf(codec.encode(PeerMessage.Unchoke.INSTANCE)));
          flips.write(bytesOf(codec.encode(PeerMessage.Choke.INSTANCE)));
        }
        peer.sendBytes(flips.toByteArray());
      } else {
        peer.send(PeerMessage.Unchoke.INSTANCE);
      }
      while (true) {
        PeerMessage message = peer.read();
        if (message instanceof PeerMessage.Request) {
          requestsSeen.incrementAndGet();
        }
        if (message instanceof PeerMessage.Request request && misbehaviour == Misbehaviour.LIES) {
          byte[] junk = new byte[request.length()];
          random.nextBytes(junk);
          peer.send(new PeerMessage.Piece(request.piece(), request.begin(), ByteBuffer.wrap(junk)));
          blocksSent.incrementAndGet();
        }
      }
    } catch (IOException closed) {
      closedByLeecher.countDown();
    }
  }

  private static byte[] bytesOf(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
