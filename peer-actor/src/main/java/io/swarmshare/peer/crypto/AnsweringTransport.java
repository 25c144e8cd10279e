package io.swarmshare.peer.crypto;

import io.swarmshare.messages.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * An answered connection's transport, between the socket and the wire codec: a remote that opens
 * with BitTorrent's plaintext handshake is passed through untouched; one that opens with anything
 * else is taken for Message Stream Encryption and answered ({@link AnsweringHandshake}), after which
 * its bytes are decrypted on the way in and ours encrypted on the way out when RC4 was chosen, or
 * passed through when plaintext was. Clients such as libtorrent and Transmission try this handshake
 * first; a node that closed it would make them dial again in plaintext, a second later. Nothing we
 * write goes out before the handshake is done, and the codec sees only the BitTorrent stream.
 */
public final class AnsweringTransport
    extends GraphStage<BidiShape<ByteString, ByteString, ByteString, ByteString>> {

  private static final ByteString PLAINTEXT_HANDSHAKE =
      ByteString.fromArray("\u0013BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Inlet<ByteString> fromUs = Inlet.create("AnsweringTransport.fromUs");
  private final Outlet<ByteString> toSocket = Outlet.create("AnsweringTransport.toSocket");
  private final Inlet<ByteString> fromSocket = Inlet.create("AnsweringTransport.fromSocket");
  private final Outlet<ByteString> toUs = Outlet.create("AnsweringTransport.toUs");
  private final BidiShape<ByteString, ByteString, ByteString, ByteString> shape =
      BidiShape.of(fromUs, toSocket, fromSocket, toUs);
  private final TorrentKeys torrents;
  private final boolean preferRc4;

  private AnsweringTransport(TorrentKeys torrents, boolean preferRc4) {
    this.torrents = torrents;
    this.preferRc4 = preferRc4;
  }

  /** The socket's flow, as the codec should see it under {@code policy}. */
  public static Flow<ByteString, ByteString, NotUsed> over(Flow<ByteString, ByteString, ?> socket,
      TorrentKeys torrents, IncomingEncryption policy) {
    Flow<ByteString, ByteString, NotUsed> plain = socket.mapMaterializedValue(m -> NotUsed.getInstance());
    if (policy == IncomingEncryption.REFUSE) {
      return plain; // the codec closes a connection whose first byte is not the plaintext handshake's
    }
    return BidiFlow.fromGraph(new AnsweringTransport(torrents, policy == IncomingEncryption.RC4)).join(plain);
  }

  @Override
  public BidiShape<ByteString, ByteString, ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      /** What has arrived before we know which protocol the remote speaks. */
      private ByteString opening = ByteString.emptyByteString();
      private AnsweringHandshake handshake;
      private boolean established;
      /** Both null on a plaintext connection. */
      private Rc4 decrypt;
      private Rc4 encrypt;

      {
        setHandler(fromSocket, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString bytes = grab(fromSocket);
            if (established) {
              push(toUs, decrypt == null ? bytes : decrypt.apply(bytes));
            } else {
              opening(bytes);
            }
          }

          @Override
          public void onUpstreamFinish() {
            complete(toUs);
          }

          @Override
          public void onUpstreamFailure(Throwable ex) {
            fail(toUs, ex);
          }
        });
        setHandler(toUs, new AbstractOutHandler() {
          @Override
          public void onPull() {
            if (!hasBeenPulled(fromSocket) && !isClosed(fromSocket)) {
              pull(fromSocket);
            }
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            cancel(fromSocket, cause);
          }
        });
        setHandler(fromUs, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString bytes = grab(fromUs);
            push(toSocket, encrypt == null ? bytes : encrypt.apply(bytes));
          }

          @Override
          public void onUpstreamFinish() {
            complete(toSocket);
          }

          @Override
          public void onUpstreamFailure(Throwable ex) {
            fail(toSocket, ex);
          }
        });
        setHandler(toSocket, new AbstractOutHandler() {
          @Override
          public void onPull() {
            if (established && !hasBeenPulled(fromUs) && !isClosed(fromUs)) {
              pull(fromUs);
            }
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            cancel(fromUs, cause);
          }
        });
      }

      /** The remote's first bytes: which protocol, then the encrypted handshake's steps. */
      private void opening(ByteString bytes) {
        if (handshake == null) {
          opening = opening.concat(bytes);
          if (opening.isEmpty()
              || opening.apply(0) == PLAINTEXT_HANDSHAKE.apply(0) && opening.size() < PLAINTEXT_HANDSHAKE.size()) {
            pull(fromSocket);
            return;
          }
          ByteString first = opening;
          opening = null;
          if (first.take(PLAINTEXT_HANDSHAKE.size()).equals(PLAINTEXT_HANDSHAKE)) {
            establish(null, null);
            emit(toUs, first);
            return;
          }
          handshake = new AnsweringHandshake(torrents, preferRc4, RANDOM);
          emit(toSocket, handshake.greeting());
          bytes = first;
        }
        AnsweringHandshake.Established done;
        try {
          done = handshake.offer(bytes);
        } catch (MalformedMessageException e) {
          failStage(e);
          return;
        }
        if (done == null) {
          pull(fromSocket);
          return;
        }
        emit(toSocket, done.reply());
        establish(done.decrypt(), done.encrypt());
        if (!done.received().isEmpty()) {
          emit(toUs, done.received());
        } else if (isAvailable(toUs)) {
          pull(fromSocket);
        }
      }

      private void establish(Rc4 decrypt, Rc4 encrypt) {
        this.decrypt = decrypt;
        this.encrypt = encrypt;
        established = true;
        if (isAvailable(toSocket) && !hasBeenPulled(fromUs)) {
          pull(fromUs);
        }
      }
    };
  }
}
