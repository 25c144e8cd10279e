package io.swarmshare.peer.pieces;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The per-block state of one piece that is being downloaded (libtorrent's {@code downloading_piece}):
 * exists only from the first request of one of its blocks until the piece is verified, fails its
 * hash, or has neither a received block nor an outstanding request left. Tracks, per block:
 *
 * <ul>
 *   <li>who it is outstanding from: up to {@code slotsPerBlock} peers (one outside endgame);
 *   <li>who delivered it, once received (so that a failed hash can name its contributors).
 * </ul>
 *
 * and the counts the picker needs without a scan: blocks received, blocks free (neither received
 * nor requested), requests outstanding. Two flat arrays, no object per block.
 */
final class PartialPiece<P> {

  final int piece;
  final int size;
  final int blockCount;
  private final int slotsPerBlock;
  /** {@code requesters[block * slotsPerBlock + k]}: a peer the block is outstanding from, or null. */
  private final Object[] requesters;
  /** {@code deliveredBy[block]}: the peer whose data we hold for the block, or null if none yet. */
  private final Object[] deliveredBy;

  private int received;
  private int free;
  private int requests;

  PartialPiece(int piece, int size, int slotsPerBlock) {
    this.piece = piece;
    this.size = size;
    this.blockCount = PiecePicker.blockCount(size);
    this.slotsPerBlock = slotsPerBlock;
    this.requesters = new Object[blockCount * slotsPerBlock];
    this.deliveredBy = new Object[blockCount];
    this.free = blockCount;
  }

  int received() {
    return received;
  }

  int free() {
    return free;
  }

  int requests() {
    return requests;
  }

  boolean isComplete() {
    return received == blockCount;
  }

  /** Nothing received and nothing outstanding: the picker drops it, so it costs nothing. */
  boolean isIdle() {
    return received == 0 && requests == 0;
  }

  BlockRequest request(int block) {
    int begin = block * PiecePicker.BLOCK_SIZE;
    return new BlockRequest(piece, begin, Math.min(PiecePicker.BLOCK_SIZE, size - begin));
  }

  boolean isReceived(int block) {
    return deliveredBy[block] != null;
  }

  boolean isFree(int block) {
    return deliveredBy[block] == null && requesterCount(block) == 0;
  }

  int requesterCount(int block) {
    int n = 0;
    for (int k = block * slotsPerBlock, end = k + slotsPerBlock; k < end; k++) {
      if (requesters[k] != null) {
        n++;
      }
    }
    return n;
  }

  boolean isRequestedBy(int block, P peer) {
    for (int k = block * slotsPerBlock, end = k + slotsPerBlock; k < end; k++) {
      if (requesters[k] != null && requesters[k].equals(peer)) {
        return true;
      }
    }
    return false;
  }

  /** Whether one more peer may be asked for the block: not received, a slot left, not asked already. */
  boolean canAlsoRequest(int block, P peer) {
    return !isReceived(block) && requesterCount(block) < slotsPerBlock && !isRequestedBy(block, peer);
  }

  void addRequest(int block, P peer) {
    if (!canAlsoRequest(block, peer)) {
      throw new IllegalStateException("block " + block + " of piece " + piece + " cannot be requested");
    }
    if (requesterCount(block) == 0) {
      free--;
    }
    for (int k = block * slotsPerBlock; ; k++) {
      if (requesters[k] == null) {
        requesters[k] = peer;
        break;
      }
    }
    requests++;
  }

  /** Forgets that the block is outstanding from {@code peer}; false if it was not. */
  boolean removeRequest(int block, P peer) {
    for (int k = block * slotsPerBlock, end = k + slotsPerBlock; k < end; k++) {
      if (requesters[k] != null && requesters[k].equals(peer)) {
        requesters[k] = null;
        requests--;
        if (!isReceived(block) && requesterCount(block) == 0) {
          free++;
        }
        return true;
      }
    }
    return false;
  }

  /** Forgets every request outstanding from {@code peer}; returns how many there were. */
  int removeRequests(P peer) {
    int removed = 0;
    for (int block = 0; block < blockCount && requests > 0; block++) {
      if (removeRequest(block, peer)) {
        removed++;
      }
    }
    return removed;
  }

  /**
   * Records the block as delivered by {@code peer}, which must have been asked for it; returns the
   * other peers it was also outstanding from, whose requests are dropped (the caller cancels them).
   */
  @SuppressWarnings("unchecked")
  List<P> receive(int block, P peer) {
    List<P> others = List.of();
    for (int k = block * slotsPerBlock, end = k + slotsPerBlock; k < end; k++) {
      Object r = requesters[k];
      if (r != null) {
        if (!r.equals(peer)) {
          if (others.isEmpty()) {
            others = new ArrayList<>(slotsPerBlock - 1);
          }
          others.add((P) r);
        }
        requesters[k] = null;
        requests--;
      }
    }
    deliveredBy[block] = Objects.requireNonNull(peer);
    received++;
    return others;
  }

  /** The distinct peers whose data we hold for this piece, in block order. */
  @SuppressWarnings("unchecked")
  Set<P> contributors() {
    Set<P> peers = new LinkedHashSet<>();
    for (Object p : deliveredBy) {
      if (p != null) {
        peers.add((P) p);
      }
    }
    return peers;
  }
}
