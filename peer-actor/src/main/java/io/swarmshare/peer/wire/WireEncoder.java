package io.swarmshare.peer.wire;

import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.messages.wire.PeerWireCodec;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** The other direction: our handshake, then each message with its length prefix. */
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

  /** Bytes for the socket: {@code handshake} first, then the messages as they come. */
  public Flow<PeerMessage, ByteString, NotUsed> flow(Handshake handshake) {
    return Flow.<PeerMessage>create().map(this::encode).prepend(Source.single(encode(handshake)));
  }
}
