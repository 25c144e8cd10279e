package io.swarmshare.peer.wire;

import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.wire.ExtensionHandshake;
import io.swarmshare.messages.wire.MetadataCodec;
import io.swarmshare.messages.wire.MetadataMessage;
import io.swarmshare.messages.wire.PeerMessage;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * BEP 10 on one connection of a torrent we hold: our extension handshake, what the remote's says,
 * and the extended messages we answer, which today are BEP 9's requests for pieces of the info
 * dictionary (so that a client that has only a magnet link can fetch the torrent from us). A
 * remote may ask for each piece once and {@code extraRequests} more on one connection; past that
 * each request is rejected, so that a remote cannot make us send the same metadata forever.
 * Plain logic: the connection sends what it returns.
 */
public final class Extensions {

  /** The id we ask remotes to send ut_metadata messages under. */
  public static final int OUR_UT_METADATA = 1;
  /** What we call ourselves in an extension handshake ({@code v}). */
  public static final String CLIENT = "swarmshare";

  private final byte[] metadata;
  private final int maxRequests;
  private OptionalInt remoteUtMetadata = OptionalInt.empty();
  private int requestsServed;

  /** {@code metadata} is the torrent's info dictionary as its info hash was taken of; it is not copied. */
  public Extensions(byte[] metadata, int extraRequests) {
    this.metadata = metadata;
    this.maxRequests = MetadataMessage.pieceCount(metadata.length) + extraRequests;
  }

  /** Our extension handshake: ut_metadata, and the metadata's size when we have it. */
  public static PeerMessage.Extended handshake(OptionalLong metadataSize) {
    return new PeerMessage.Extended(0, new ExtensionHandshake(Map.of(ExtensionHandshake.UT_METADATA, OUR_UT_METADATA),
        metadataSize, Optional.of(CLIENT), OptionalInt.empty(), OptionalInt.empty()).encode());
  }

  public PeerMessage.Extended ourHandshake() {
    return handshake(OptionalLong.of(metadata.length));
  }

  /**
   * What to answer to {@code message}, if anything. Throws {@link MalformedMessageException} for
   * one that cannot be read, which ends the connection.
   */
  public Optional<PeerMessage> onExtended(PeerMessage.Extended message) {
    if (message.extendedId() == 0) {
      remoteUtMetadata = ExtensionHandshake.decode(message.payload()).idOf(ExtensionHandshake.UT_METADATA);
      return Optional.empty();
    }
    if (message.extendedId() != OUR_UT_METADATA) {
      return Optional.empty(); // an extension we did not offer: BEP 10 says to ignore it
    }
    if (!(MetadataCodec.decode(message.payload()) instanceof MetadataMessage.Request request)
        || remoteUtMetadata.isEmpty()) {
      // Data or a refusal we never asked for, or a request from a remote that gave us no id to answer under.
      return Optional.empty();
    }
    int piece = request.piece();
    MetadataMessage answer;
    if (piece >= MetadataMessage.pieceCount(metadata.length) || requestsServed >= maxRequests) {
      answer = new MetadataMessage.Reject(piece);
    } else {
      requestsServed++;
      int start = piece * MetadataMessage.PIECE_LENGTH;
      int length = Math.min(MetadataMessage.PIECE_LENGTH, metadata.length - start);
      answer = new MetadataMessage.Data(piece, metadata.length, ByteBuffer.wrap(metadata, start, length));
    }
    return Optional.of(new PeerMessage.Extended(remoteUtMetadata.getAsInt(), MetadataCodec.encode(answer)));
  }
}
