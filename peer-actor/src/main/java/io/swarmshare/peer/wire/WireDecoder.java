package io.swarmshare.peer.wire;

import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerWireCodec;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Turns a connection's bytes into the remote's handshake (68 bytes, not length-prefixed) and then
 * its messages (4-byte big-endian length, then the payload). It reads from the socket only when
 * downstream asks for the next message and no whole message is buffered, so it never holds more
 * than one partial frame and one chunk: backpressure reaches TCP. A connection that is not
 * BitTorrent fails at its first byte; a frame longer than the maximum fails at its length prefix,
 * before any of it is buffered.
 */
public final class WireDecoder extends GraphStage<FlowShape<ByteString, Inbound>> {

  private static final int PROTOCOL_NAME_LENGTH = 19;

  private final Inlet<ByteString> in = Inlet.create("WireDecoder.in");
  private final Outlet<Inbound> out = Outlet.create("WireDecoder.out");
  private final FlowShape<ByteString, Inbound> shape = FlowShape.of(in, out);
  private final PeerWireCodec codec;

  public WireDecoder(PeerWireCodec codec) {
    this.codec = codec;
  }

  @Override
  public FlowShape<ByteString, Inbound> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      private ByteString buffer = ByteString.emptyByteString();
      private boolean greeted;
      private boolean finishing;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            buffer = buffer.concat(grab(in));
            next();
          }

          @Override
          public void onUpstreamFinish() {
            finishing = true;
            if (isAvailable(out)) {
              next();
            }
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            next();
          }
        });
      }

      private void next() {
        Inbound item;
        try {
          item = parse();
        } catch (MalformedMessageException e) {
          failStage(e);
          return;
        }
        if (item != null) {
          push(out, item);
        } else if (finishing) {
          if (buffer.isEmpty()) {
            completeStage();
          } else {
            failStage(new MalformedMessageException(
                "the connection closed in the middle of a " + (greeted ? "message" : "handshake")));
          }
        } else if (!hasBeenPulled(in)) {
          pull(in);
        }
      }

      /** The next whole handshake or message in the buffer, or null if more bytes are needed. */
      private Inbound parse() {
        if (!greeted) {
          if (!buffer.isEmpty() && buffer.apply(0) != PROTOCOL_NAME_LENGTH) {
            Handshake.decode(buffer.asByteBuffer());
          }
          if (buffer.size() < Handshake.LENGTH) {
            return null;
          }
          Handshake handshake = Handshake.decode(buffer.take(Handshake.LENGTH).asByteBuffer());
          buffer = buffer.drop(Handshake.LENGTH);
          greeted = true;
          return new Inbound.Greeting(handshake);
        }
        if (buffer.size() < PeerWireCodec.LENGTH_PREFIX) {
          return null;
        }
        long length = ((buffer.apply(0) & 0xffL) << 24) | ((buffer.apply(1) & 0xffL) << 16)
            | ((buffer.apply(2) & 0xffL) << 8) | (buffer.apply(3) & 0xffL);
        if (length > codec.maxFrameLength()) {
          throw new MalformedMessageException(
              "a frame announces " + length + " bytes, more than the " + codec.maxFrameLength() + " allowed");
        }
        int total = PeerWireCodec.LENGTH_PREFIX + (int) length;
        if (buffer.size() < total) {
          return null;
        }
        ByteString payload = buffer.slice(PeerWireCodec.LENGTH_PREFIX, total);
        buffer = buffer.drop(total);
        return new Inbound.Message(codec.decode(payload.asByteBuffer()));
      }
    };
  }
}
