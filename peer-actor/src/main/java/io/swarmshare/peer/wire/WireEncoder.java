package io.swarmshare.peer.wire;

import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.messages.wire.PeerWireCodec;
import java.nio.ByteBuffer;
import org.apache.pekko.util.ByteString;

/** The other direction: our handshake, and each message with its length prefix. */
public final class WireEncoder {

  private final PeerWireCodec codec;

  public WireEncoder(PeerWireCodec codec) {
    this.codec = codec;
  }

  public ByteString encode(Handshake handshake) {
    return wrap(handshake.encode());
  }

  public ByteString encode(PeerMessage message) {
    return wrap(codec.encode(message));
  }

  /** The codec's buffers are fresh and never touched again, so they are wrapped, not copied. */
  private static ByteString wrap(ByteBuffer frame) {
    return ByteString.fromArrayUnsafe(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
  }
}
