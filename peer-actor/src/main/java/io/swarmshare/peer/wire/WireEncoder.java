package io.swarmshare.peer.wire;

import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.messages.wire.PeerWireCodec;
import org.apache.pekko.util.ByteString;

/** The other direction: our handshake, and each message with its length prefix. */
public final class WireEncoder {

  private final PeerWireCodec codec;

  public WireEncoder(PeerWireCodec codec) {
    this.codec = codec;
  }

  public ByteString encode(Handshake handshake) {
    return ByteString.fromByteBuffer(handshake.encode());
  }

  public ByteString encode(PeerMessage message) {
    return ByteString.fromByteBuffer(codec.encode(message));
  }
}
