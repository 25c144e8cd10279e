package io.swarmshare.peer.pieces;

import java.util.List;

/**
 * What {@link PiecePicker#blockReceived} made of a {@code piece} message.
 *
 * @param status what the block was to us; only {@link Status#ACCEPTED} data is to be written
 * @param pieceComplete every block of the piece has now been received: hash it, then call
 *     {@link PiecePicker#pieceVerified} or {@link PiecePicker#pieceFailed}
 * @param cancelFrom the other peers that were asked for this same block (endgame): send each a
 *     {@code cancel} for it; the picker has already forgotten those requests
 */
public record BlockReceipt<P>(Status status, boolean pieceComplete, List<P> cancelFrom) {

  public enum Status {
    /** Requested from this peer and still needed: write it. */
    ACCEPTED,
    /**
     * Already received from someone else, or the piece is already verified. The normal outcome
     * of a cancel or a timeout that crossed the data on the wire: drop it, don't blame the peer.
     */
    REDUNDANT,
    /**
     * A real block we still need, but not one we have asked this peer for (never asked, or the
     * request already timed out or was cancelled). Dropped; count it against the peer rather than
     * disconnect at once, since a late reply to a timed-out request looks the same.
     */
    UNSOLICITED,
    /** Not a block of this torrent at all (piece out of range, misaligned, wrong length). */
    INVALID
  }

  public BlockReceipt {
    cancelFrom = List.copyOf(cancelFrom);
  }

  public boolean accepted() {
    return status == Status.ACCEPTED;
  }

  static <P> BlockReceipt<P> accepted(boolean pieceComplete, List<P> cancelFrom) {
    return new BlockReceipt<>(Status.ACCEPTED, pieceComplete, cancelFrom);
  }

  static <P> BlockReceipt<P> rejected(Status status) {
    return new BlockReceipt<>(status, false, List.of());
  }
}
