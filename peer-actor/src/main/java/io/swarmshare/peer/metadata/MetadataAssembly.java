package io.swarmshare.peer.metadata;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.wire.MetadataMessage;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.BitSet;
import java.util.Optional;

/**
 * A torrent's info dictionary put together from BEP 9 pieces one remote sends: every piece must
 * agree on the total size and have its exact length (16 KiB, the last one the rest), and the whole
 * must hash to the info hash the magnet link named. Plain logic; the connection feeds it.
 */
public final class MetadataAssembly {

  private final InfoHash infoHash;
  private final byte[] bytes;
  private final int pieces;
  private final BitSet received;

  /** For metadata of {@code size} bytes, which the remote's extension handshake announced. */
  public MetadataAssembly(InfoHash infoHash, int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("metadata of " + size + " bytes");
    }
    this.infoHash = infoHash;
    this.bytes = new byte[size];
    this.pieces = MetadataMessage.pieceCount(size);
    this.received = new BitSet(pieces);
  }

  public int pieceCount() {
    return pieces;
  }

  /**
   * Takes one piece. Throws {@link MalformedMessageException} for a piece that does not fit: out of
   * range, of the wrong length, or for another total size than announced.
   */
  public void accept(MetadataMessage.Data data) {
    if (data.totalSize() != bytes.length) {
      throw new MalformedMessageException("metadata piece " + data.piece() + " says the total is " + data.totalSize()
          + " bytes, not the " + bytes.length + " announced");
    }
    int piece = data.piece();
    if (piece >= pieces) {
      throw new MalformedMessageException("metadata piece " + piece + " of " + pieces);
    }
    int start = piece * MetadataMessage.PIECE_LENGTH;
    int length = Math.min(MetadataMessage.PIECE_LENGTH, bytes.length - start);
    ByteBuffer in = data.bytes();
    if (in.remaining() != length) {
      throw new MalformedMessageException("metadata piece " + piece + " has " + in.remaining() + " bytes, not "
          + length);
    }
    in.get(bytes, start, length);
    received.set(piece);
  }

  public boolean complete() {
    return received.cardinality() == pieces;
  }

  /** The whole dictionary once every piece came and it hashes to the info hash; empty if it does not. */
  public Optional<byte[]> verified() {
    if (!complete()) {
      throw new IllegalStateException(received.cardinality() + " of " + pieces + " metadata pieces arrived");
    }
    return InfoHash.of(sha1(bytes)).equals(infoHash) ? Optional.of(bytes.clone()) : Optional.empty();
  }

  private static byte[] sha1(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-1", e);
    }
  }
}
