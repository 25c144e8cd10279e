package io.swarmshare.messages.wire;

import java.nio.ByteBuffer;

/**
 * BEP 9's {@code ut_metadata} messages, the payload of an extended message: a request for one
 * 16 KiB piece of the info dictionary, the piece itself (a dictionary followed by the raw bytes),
 * or a refusal. Piece {@code i} covers bytes {@code [i * 16 KiB, (i + 1) * 16 KiB)}; only the last
 * may be shorter. {@link MetadataCodec} reads and writes them.
 */
public sealed interface MetadataMessage {

  int PIECE_LENGTH = 16 * 1024;

  int piece();

  record Request(int piece) implements MetadataMessage {}

  /** A piece of the metadata; {@code totalSize} is the whole dictionary's. */
  record Data(int piece, long totalSize, ByteBuffer bytes) implements MetadataMessage {
    public Data {
      bytes = bytes.slice();
    }

    @Override
    public ByteBuffer bytes() {
      return bytes.duplicate();
    }

    @Override
    public String toString() {
      return "Data[piece=" + piece + ", totalSize=" + totalSize + ", " + bytes.remaining() + " bytes]";
    }
  }

  record Reject(int piece) implements MetadataMessage {}

  /** How many pieces metadata of {@code size} bytes has. */
  static int pieceCount(long size) {
    return (int) ((size + PIECE_LENGTH - 1) / PIECE_LENGTH);
  }
}
