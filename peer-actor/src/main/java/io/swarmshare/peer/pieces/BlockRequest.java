package io.swarmshare.peer.pieces;

/**
 * One block to ask a peer for: the payload of a BEP 3 {@code request} (and of the matching
 * {@code cancel}). {@code begin} is a byte offset inside the piece, a multiple of
 * {@link PiecePicker#BLOCK_SIZE}; {@code length} is {@code BLOCK_SIZE} except for the last block of
 * the last piece.
 */
public record BlockRequest(int piece, int begin, int length) {

  public BlockRequest {
    if (piece < 0 || begin < 0 || length <= 0) {
      throw new IllegalArgumentException(
          "not a block: piece " + piece + ", begin " + begin + ", length " + length);
    }
  }
}
