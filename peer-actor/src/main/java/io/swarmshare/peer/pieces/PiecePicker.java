package io.swarmshare.peer.pieces;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.metainfo.Info;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * Decides which blocks to request from which peer, for one torrent (libtorrent's
 * {@code piece_picker}): partial pieces first, then rarest first with a random tie-break, and an
 * endgame once every missing block has been asked for. Tracks exactly:
 *
 * <ul>
 *   <li>{@code have}: the pieces we hold verified (from disk at start, then by {@link #pieceVerified});
 *   <li>{@code availability[piece]}: how many connected peers have the piece;
 *   <li>per connected peer: its bitfield and how many of its pieces we lack (so that
 *       {@link #interesting} is O(1)); dropped by {@link #peerGone};
 *   <li>per piece being downloaded (a {@link PartialPiece}): per block who it is outstanding from
 *       and who delivered it. A piece gets one at its first request and loses it when verified,
 *       when its hash fails, or when it has neither data nor requests left, so memory is
 *       O(pieces + blocks in flight): nothing per block for pieces nobody is downloading;
 *   <li>per piece that failed its hash: the connected peers that contributed to it, which are
 *       asked for that piece only when they have nothing else to give (dropped on verification
 *       and, per peer, by {@link #peerGone}).
 * </ul>
 *
 * <p>A peer is any key with {@code equals}/{@code hashCode} (the Download uses the remote address
 * and port). Not thread-safe: the Download actor owns one per torrent and calls it from its own
 * thread only.
 *
 * <p>Flow for the caller: {@link #peerHas}/{@link #peerHasPiece} on bitfield/have messages;
 * {@link #pick} when a peer unchokes us or has room in its request pipeline; {@link #blockReceived}
 * on each piece message (write ACCEPTED data, send the cancels it lists, verify the piece when it
 * says complete); then {@link #pieceVerified} or {@link #pieceFailed}; {@link #requestTimedOut},
 * {@link #requestCancelled} and {@link #releaseRequests} (choked) when requests die, and
 * {@link #peerGone} on disconnect.
 */
public final class PiecePicker<P> {

  /** Bytes per request: 16 KiB, what every client asks for and the most most clients serve. */
  public static final int BLOCK_SIZE = 16 * 1024;

  /** In endgame, how many peers one block may be outstanding from at once. */
  public static final int ENDGAME_REQUESTS_PER_BLOCK = 2;

  private final long totalLength;
  private final int pieceLength;
  private final int pieceCount;
  private final Random random;

  private final Bitfield have;
  private long haveBytes;
  private final int[] availability;
  private final Map<P, PeerState> peers = new HashMap<>();
  /** Pieces being downloaded, oldest first: the order in which partial pieces are finished. */
  private final Map<Integer, PartialPiece<P>> partials = new LinkedHashMap<>();
  /** Pieces whose hash failed -> the connected peers that had contributed to them. */
  private final Map<Integer, Set<P>> suspects = new TreeMap<>();
  /** Scratch for the rarest-first scan (single-threaded, so one is enough). */
  private final int[] candidates;

  /** What we know of one connected peer. */
  private static final class PeerState {
    final Bitfield has;
    /** How many pieces the peer has that we lack: it is interesting while this is above zero. */
    int wanted;

    PeerState(Bitfield has) {
      this.has = has;
    }
  }

  /** A picker for {@code info}'s pieces, starting from the pieces already verified on disk. */
  public PiecePicker(Info info, Bitfield verified, Random random) {
    this(info.totalLength(), info.pieceLength(), verified, random);
    if (info.pieceCount() != pieceCount) {
      throw new IllegalArgumentException(
          "info has " + info.pieceCount() + " piece hashes but its length makes " + pieceCount + " pieces");
    }
  }

  /**
   * A picker for a torrent of {@code totalLength} bytes cut into pieces of {@code pieceLength}
   * (the last one shorter), starting from {@code verified} (copied), the pieces already on disk.
   */
  public PiecePicker(long totalLength, int pieceLength, Bitfield verified, Random random) {
    if (totalLength < 0 || pieceLength <= 0) {
      throw new IllegalArgumentException("bad geometry: length " + totalLength + ", piece length " + pieceLength);
    }
    long count = (totalLength + pieceLength - 1) / pieceLength;
    if (count != verified.pieceCount()) {
      throw new IllegalArgumentException(
          "a bitfield of " + verified.pieceCount() + " pieces for a torrent of " + count + " pieces");
    }
    this.totalLength = totalLength;
    this.pieceLength = pieceLength;
    this.pieceCount = (int) count;
    this.random = Objects.requireNonNull(random);
    this.have = verified.copy();
    this.availability = new int[pieceCount];
    this.candidates = new int[pieceCount];
    for (int i = have.nextSet(0); i >= 0; i = have.nextSet(i + 1)) {
      haveBytes += pieceSize(i);
    }
  }

  // ---- geometry ------------------------------------------------------------------------------

  public int pieceCount() {
    return pieceCount;
  }

  /** The length of {@code piece}: the piece length, except for a shorter last piece. */
  public int pieceSize(int piece) {
    Objects.checkIndex(piece, pieceCount);
    return (int) Math.min(pieceLength, totalLength - (long) piece * pieceLength);
  }

  static int blockCount(int pieceSize) {
    return (pieceSize + BLOCK_SIZE - 1) / BLOCK_SIZE;
  }

  // ---- availability ---------------------------------------------------------------------------

  /**
   * The peer's bitfield message (or BEP 6 have-all/have-none as a full/empty bitfield). Replaces
   * whatever we knew of the peer's pieces. The bitfield is copied.
   *
   * @throws IllegalArgumentException if it is not a bitfield of this torrent's piece count
   */
  public void peerHas(P peer, Bitfield pieces) {
    if (pieces.pieceCount() != pieceCount) {
      throw new IllegalArgumentException(
          "a bitfield of " + pieces.pieceCount() + " pieces for a torrent of " + pieceCount);
    }
    PeerState old = peers.get(peer);
    if (old != null) {
      forEachSet(old.has, i -> availability[i]--);
    }
    PeerState state = new PeerState(pieces.copy());
    forEachSet(state.has, i -> {
      availability[i]++;
      if (!have.get(i)) {
        state.wanted++;
      }
    });
    peers.put(Objects.requireNonNull(peer), state);
  }

  /**
   * The peer's have message. A peer we have not heard of yet (one that sent no bitfield, as a peer
   * with no pieces may) is registered here.
   *
   * @throws IllegalArgumentException if {@code piece} is out of range
   */
  public void peerHasPiece(P peer, int piece) {
    if (piece < 0 || piece >= pieceCount) {
      throw new IllegalArgumentException("have for piece " + piece + " of a torrent of " + pieceCount);
    }
    PeerState state = peers.computeIfAbsent(Objects.requireNonNull(peer), p -> new PeerState(new Bitfield(pieceCount)));
    if (!state.has.get(piece)) {
      state.has.set(piece);
      availability[piece]++;
      if (!have.get(piece)) {
        state.wanted++;
      }
    }
  }

  /**
   * The peer disconnected: its pieces no longer count towards availability, every block
   * outstanding from it becomes requestable again, and everything the picker kept about it goes.
   * (Which peer delivered the blocks we already hold is kept with those blocks until their piece
   * is verified or fails, so that a failing piece still names a contributor that left.)
   */
  public void peerGone(P peer) {
    PeerState state = peers.remove(peer);
    if (state != null) {
      forEachSet(state.has, i -> availability[i]--);
    }
    releaseRequests(peer);
    for (Iterator<Set<P>> it = suspects.values().iterator(); it.hasNext(); ) {
      Set<P> set = it.next();
      if (set.remove(peer) && set.isEmpty()) {
        it.remove();
      }
    }
  }

  /** How many pieces {@code peer} said it has. */
  public int piecesOf(P peer) {
    PeerState state = peers.get(peer);
    return state == null ? 0 : state.has.cardinality();
  }

  /** How many connected peers have {@code piece}. */
  public int availability(int piece) {
    Objects.checkIndex(piece, pieceCount);
    return availability[piece];
  }

  /** Whether the peer has a piece we lack: whether we should be interested in it. */
  public boolean interesting(P peer) {
    PeerState state = peers.get(peer);
    return state != null && state.wanted > 0;
  }

  // ---- picking --------------------------------------------------------------------------------

  /**
   * Up to {@code max} blocks to request from {@code peer} now, in the order to send them. Only
   * blocks of pieces the peer has and we lack; never a block outstanding from another peer,
   * except in {@linkplain #isEndgame endgame}. The blocks are recorded as outstanding from the
   * peer until they arrive, time out, are cancelled or released, or the peer goes.
   *
   * <p>Order: blocks of partial pieces (oldest first), then new pieces rarest first (random among
   * the equally rare), then pieces whose hash failed with this peer's data in them, then, in
   * endgame, blocks already outstanding from other peers.
   */
  public List<BlockRequest> pick(P peer, int max) {
    PeerState state = peers.get(peer);
    if (state == null || max <= 0 || state.wanted == 0) {
      return List.of();
    }
    List<BlockRequest> picked = new ArrayList<>(Math.min(max, 64));

    for (PartialPiece<P> partial : partials.values()) {
      if (picked.size() >= max) {
        break;
      }
      if (partial.free() > 0 && state.has.get(partial.piece) && !isSuspect(partial.piece, peer)) {
        takeFree(partial, peer, max, picked);
      }
    }
    if (picked.size() < max) {
      startRarest(peer, state, max, picked);
    }
    if (picked.size() < max && !suspects.isEmpty()) {
      pickSuspectPieces(peer, state, max, picked);
    }
    if (picked.size() < max && isEndgame()) {
      pickEndgame(peer, state, max, picked);
    }
    return picked;
  }

  /**
   * Endgame: every block we lack has been requested from someone (no piece is untouched and no
   * partial piece has a free block), but some are still outstanding. {@link #pick} may then ask
   * another peer for a block too, so that one slow peer does not hold up the end of the download.
   */
  public boolean isEndgame() {
    int missing = pieceCount - have.cardinality();
    if (missing == 0 || partials.size() < missing) {
      return false;
    }
    for (PartialPiece<P> partial : partials.values()) {
      if (partial.free() > 0) {
        return false;
      }
    }
    return true;
  }

  private void takeFree(PartialPiece<P> partial, P peer, int max, List<BlockRequest> picked) {
    for (int block = 0; block < partial.blockCount && picked.size() < max && partial.free() > 0; block++) {
      if (partial.isFree(block)) {
        partial.addRequest(block, peer);
        picked.add(partial.request(block));
      }
    }
  }

  /** Starts untouched pieces the peer has, lowest availability first, random among equals. */
  private void startRarest(P peer, PeerState state, int max, List<BlockRequest> picked) {
    while (picked.size() < max) {
      int rarest = Integer.MAX_VALUE;
      int n = 0;
      for (int i = state.has.nextSet(0); i >= 0; i = state.has.nextSet(i + 1)) {
        if (have.get(i) || partials.containsKey(i) || isSuspect(i, peer)) {
          continue;
        }
        int a = availability[i];
        if (a < rarest) {
          rarest = a;
          n = 0;
        }
        if (a == rarest) {
          candidates[n++] = i;
        }
      }
      if (n == 0) {
        return;
      }
      // Pieces started below become partial, so the next scan moves on to the next rarest.
      while (n > 0 && picked.size() < max) {
        int k = random.nextInt(n);
        int piece = candidates[k];
        candidates[k] = candidates[--n];
        takeFree(startPiece(piece), peer, max, picked);
      }
    }
  }

  /** Last resort for a peer: pieces that failed their hash with its data in them. */
  private void pickSuspectPieces(P peer, PeerState state, int max, List<BlockRequest> picked) {
    for (Map.Entry<Integer, Set<P>> e : suspects.entrySet()) {
      if (picked.size() >= max) {
        return;
      }
      int piece = e.getKey();
      if (!e.getValue().contains(peer) || !state.has.get(piece) || have.get(piece)) {
        continue;
      }
      PartialPiece<P> partial = partials.get(piece);
      if (partial == null) {
        partial = startPiece(piece);
      }
      takeFree(partial, peer, max, picked);
    }
  }

  private void pickEndgame(P peer, PeerState state, int max, List<BlockRequest> picked) {
    for (PartialPiece<P> partial : partials.values()) {
      if (!state.has.get(partial.piece) || isSuspect(partial.piece, peer) || partial.isComplete()) {
        continue;
      }
      for (int block = 0; block < partial.blockCount; block++) {
        if (picked.size() >= max) {
          return;
        }
        if (partial.canAlsoRequest(block, peer)) {
          partial.addRequest(block, peer);
          picked.add(partial.request(block));
        }
      }
    }
  }

  private PartialPiece<P> startPiece(int piece) {
    PartialPiece<P> partial = new PartialPiece<>(piece, pieceSize(piece), ENDGAME_REQUESTS_PER_BLOCK);
    partials.put(piece, partial);
    return partial;
  }

  private boolean isSuspect(int piece, P peer) {
    if (suspects.isEmpty()) {
      return false;
    }
    Set<P> set = suspects.get(piece);
    return set != null && set.contains(peer);
  }

  // ---- requests ending ------------------------------------------------------------------------

  /**
   * A piece message from {@code peer}. Says whether to write the data, whether the piece is now
   * complete (verify it), and which other peers to cancel the same block with (endgame).
   */
  public BlockReceipt<P> blockReceived(P peer, int piece, int begin, int length) {
    int block = blockIndex(piece, begin, length);
    if (block < 0) {
      return BlockReceipt.rejected(BlockReceipt.Status.INVALID);
    }
    if (have.get(piece)) {
      return BlockReceipt.rejected(BlockReceipt.Status.REDUNDANT);
    }
    PartialPiece<P> partial = partials.get(piece);
    if (partial == null) {
      return BlockReceipt.rejected(BlockReceipt.Status.UNSOLICITED);
    }
    if (partial.isReceived(block)) {
      return BlockReceipt.rejected(BlockReceipt.Status.REDUNDANT);
    }
    if (!partial.isRequestedBy(block, peer)) {
      return BlockReceipt.rejected(BlockReceipt.Status.UNSOLICITED);
    }
    List<P> others = partial.receive(block, peer);
    return BlockReceipt.accepted(partial.isComplete(), others);
  }

  /** A request to {@code peer} timed out: the block may be asked of anyone again. */
  public boolean requestTimedOut(P peer, int piece, int begin) {
    return dropRequest(peer, piece, begin);
  }

  /** We cancelled a request, or the peer rejected it (BEP 6): the block may be asked of anyone again. */
  public boolean requestCancelled(P peer, int piece, int begin) {
    return dropRequest(peer, piece, begin);
  }

  /**
   * Forgets every request outstanding from {@code peer}, keeping what it has: for a choke, after
   * which (without BEP 6) a peer drops the requests it had queued. Returns how many there were.
   */
  public int releaseRequests(P peer) {
    int released = 0;
    for (Iterator<PartialPiece<P>> it = partials.values().iterator(); it.hasNext(); ) {
      PartialPiece<P> partial = it.next();
      if (partial.requests() > 0) {
        released += partial.removeRequests(peer);
        if (partial.isIdle()) {
          it.remove();
        }
      }
    }
    return released;
  }

  private boolean dropRequest(P peer, int piece, int begin) {
    if (piece < 0 || piece >= pieceCount || begin < 0 || begin % BLOCK_SIZE != 0) {
      return false;
    }
    PartialPiece<P> partial = partials.get(piece);
    int block = begin / BLOCK_SIZE;
    if (partial == null || block >= partial.blockCount || !partial.removeRequest(block, peer)) {
      return false;
    }
    if (partial.isIdle()) {
      partials.remove(piece);
    }
    return true;
  }

  /** The block index for these coordinates, or -1 if they are not exactly a block of this torrent. */
  private int blockIndex(int piece, int begin, int length) {
    if (piece < 0 || piece >= pieceCount || begin < 0 || begin % BLOCK_SIZE != 0) {
      return -1;
    }
    int size = pieceSize(piece);
    if (begin >= size || length != Math.min(BLOCK_SIZE, size - begin)) {
      return -1;
    }
    return begin / BLOCK_SIZE;
  }

  // ---- verification ---------------------------------------------------------------------------

  /**
   * The piece passed its hash check (or was found whole on disk): we have it. Any request still
   * outstanding for it is forgotten (its data will come back {@code REDUNDANT}).
   */
  public void pieceVerified(int piece) {
    Objects.checkIndex(piece, pieceCount);
    partials.remove(piece);
    suspects.remove(piece);
    if (have.get(piece)) {
      return;
    }
    have.set(piece);
    haveBytes += pieceSize(piece);
    for (PeerState state : peers.values()) {
      if (state.has.get(piece)) {
        state.wanted--;
      }
    }
  }

  /**
   * The piece failed its hash check: its blocks are thrown away and it can be picked again.
   * Returns the distinct peers whose data was in it, in block order, for the caller to keep score
   * (and ban a peer whose data keeps failing). Those that are still connected are asked for this
   * piece again only when they have nothing else we want. Any request still outstanding for the
   * piece is forgotten.
   */
  public Set<P> pieceFailed(int piece) {
    Objects.checkIndex(piece, pieceCount);
    PartialPiece<P> partial = partials.remove(piece);
    if (partial == null || have.get(piece)) {
      return Set.of();
    }
    Set<P> contributors = partial.contributors();
    for (P peer : contributors) {
      if (peers.containsKey(peer)) {
        suspects.computeIfAbsent(piece, k -> new LinkedHashSet<>()).add(peer);
      }
    }
    return contributors;
  }

  // ---- progress -------------------------------------------------------------------------------

  public boolean isComplete() {
    return have.isComplete();
  }

  /** A copy of the pieces we have verified (for our bitfield message and the resume check). */
  public Bitfield have() {
    return have.copy();
  }

  public boolean has(int piece) {
    return have.get(piece);
  }

  public int piecesHave() {
    return have.cardinality();
  }

  /** Pieces with blocks requested or received but not yet verified. */
  public int piecesDownloading() {
    return partials.size();
  }

  /**
   * A new bitfield of the pieces in progress: blocks of them requested or received (and maybe
   * written and being hashed), not yet verified. A piece whose requests all died before any of its
   * data came, or whose hash failed, is missing again; a verified one is in {@link #have} instead.
   */
  public Bitfield inProgress() {
    Bitfield bits = new Bitfield(pieceCount);
    for (int piece : partials.keySet()) {
      bits.set(piece);
    }
    return bits;
  }

  /** Bytes not yet verified: the tracker's {@code left}. */
  public long missingBytes() {
    return totalLength - haveBytes;
  }

  public long verifiedBytes() {
    return haveBytes;
  }

  /** Blocks requested and not yet delivered, counting endgame duplicates. */
  public int outstandingRequests() {
    int n = 0;
    for (PartialPiece<P> partial : partials.values()) {
      n += partial.requests();
    }
    return n;
  }

  // ---- for tests: the sizes of everything that could grow -------------------------------------

  int trackedPeers() {
    return peers.size();
  }

  int partialPieces() {
    return partials.size();
  }

  int suspectEntries() {
    int n = 0;
    for (Set<P> set : suspects.values()) {
      n += set.size();
    }
    return n;
  }

  private static void forEachSet(Bitfield bits, IntConsumer action) {
    for (int i = bits.nextSet(0); i >= 0; i = bits.nextSet(i + 1)) {
      action.accept(i);
    }
  }
}
