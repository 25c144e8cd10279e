package io.swarmshare.peer;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer that claims every piece and unchokes, then misbehaves: it answers every request with
 * random bytes (the liar a leecher must find out, route around and ban), or never answers (the
 * stalled peer a leecher must give up on).
 */
final class FakeSeeder implements AutoCloseable {

  enum Misbehaviour {
    LIES, STALLS
  }

  final PeerId id = PeerId.generate();
  final AtomicInteger blocksSent = new AtomicInteger();
  final CountDownLatch closedByLeecher = new CountDownLatch(1);
  final AtomicInteger requestsSeen = new AtomicInteger();
  private final Metainfo metainfo;
  private final Misbehaviour misbehaviour;
  private final ServerSocket server;
  private final Thread acceptor;

  FakeSeeder(Metainfo metainfo, Misbehaviour misbehaviour) throws IOException {
    this.metainfo = metainfo;
    this.misbehaviour = misbehaviour;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
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
          .send(PeerMessage.BitfieldMessage.of(Bitfield.full(metainfo.info().pieceCount())))
          .send(PeerMessage.Unchoke.INSTANCE);
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

  @Override
  public void close() throws IOException {
    server.close();
  }
}
