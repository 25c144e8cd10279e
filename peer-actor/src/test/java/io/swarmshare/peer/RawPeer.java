package io.swarmshare.peer;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.messages.wire.PeerWireCodec;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A hand-driven peer on a plain socket, for the cases an honest client never produces: it sends
 * exactly what the test says and reads frames one at a time.
 */
final class RawPeer implements AutoCloseable {

  private static final PeerWireCodec codec = new PeerWireCodec();

  final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawPeer(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(30_000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static RawPeer connect(InetSocketAddress to) throws IOException {
    return new RawPeer(new Socket(to.getAddress(), to.getPort()));
  }

  /** From {@code local}, another loopback address say, on an ephemeral port. */
  static RawPeer connectFrom(InetAddress local, InetSocketAddress to) throws IOException {
    return new RawPeer(new Socket(to.getAddress(), to.getPort(), local, 0));
  }

  /** With a small receive buffer, set before connecting so that the window stays small: a remote that hoards. */
  static RawPeer connectSmall(InetSocketAddress to) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(to);
    return new RawPeer(socket);
  }

  RawPeer sendBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  RawPeer handshake(InfoHash infoHash, PeerId id) throws IOException {
    return sendBytes(bytesOf(Handshake.of(infoHash, id).encode()));
  }

  /** A handshake that says it speaks the extension protocol (BEP 10). */
  RawPeer handshakeWithExtensions(InfoHash infoHash, PeerId id) throws IOException {
    return sendBytes(bytesOf(Handshake.of(infoHash, id).withExtensionProtocol().encode()));
  }

  RawPeer send(PeerMessage message) throws IOException {
    return sendBytes(bytesOf(codec.encode(message)));
  }

  private static byte[] bytesOf(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  byte[] readBytes(int n) throws IOException {
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return bytes;
  }

  Handshake readHandshake() throws IOException {
    byte[] bytes = new byte[Handshake.LENGTH];
    in.readFully(bytes);
    return Handshake.decode(ByteBuffer.wrap(bytes));
  }

  PeerMessage read() throws IOException {
    byte[] payload = new byte[in.readInt()];
    in.readFully(payload);
    return codec.decode(ByteBuffer.wrap(payload));
  }

  /** Reads until a message of this type arrives. */
  <M extends PeerMessage> M readUntil(Class<M> type) throws IOException {
    while (true) {
      PeerMessage m = read();
      if (type.isInstance(m)) {
        return type.cast(m);
      }
    }
  }

  /** Reads until the other side closes; true if it did (rather than the read timing out). */
  boolean closedByRemote() throws IOException {
    byte[] buffer = new byte[65536];
    try {
      while (in.read(buffer) >= 0) {
        // drain until closed
      }
      return true;
    } catch (SocketException | EOFException reset) {
      return true;
    }
  }

  /**
   * Sends {@code bytes} one at a time, {@code pause} apart, reading whatever comes meanwhile.
   * Returns how many bytes went before the remote closed the connection, or -1 if it never did.
   */
  int dripUntilClosed(byte[] bytes, Duration pause) throws IOException {
    int timeout = socket.getSoTimeout();
    socket.setSoTimeout((int) pause.toMillis());
    byte[] buffer = new byte[65536];
    int sent = 0;
    try {
      while (sent < bytes.length) {
        out.write(bytes[sent++]);
        out.flush();
        // The read timeout paces the drip: wait out the pause, draining what the remote sends.
        long until = System.nanoTime() + pause.toNanos();
        while (System.nanoTime() < until) {
          try {
            if (in.read(buffer) < 0) {
              return sent;
            }
          } catch (SocketTimeoutException paused) {
            break;
          }
        }
      }
      return -1;
    } catch (SocketException | EOFException closed) {
      return sent;
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout(timeout);
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
