package io.swarmshare.peer.storage;

import io.swarmshare.messages.wire.PeerMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A torrent's write-and-verify pipeline, off the actor's thread. It tracks, per piece: how many
 * accepted blocks are not yet written, whether the piece's last block has arrived, the chain of
 * its writes (a piece's writes run one after another, pieces in parallel, so that a piece that
 * arrives in order is hashed as it is written and never read back), its running digest, and
 * whether it is being verified. The owner calls it from one thread and acts on the futures it
 * returns there too.
 */
public final class PieceWrites {

  private final TorrentStorage storage;
  private final Executor disk;
  private final Map<Integer, Integer> unwritten = new HashMap<>();
  private final Set<Integer> completeAwaitingWrites = new HashSet<>();
  private final Set<Integer> verifying = new HashSet<>();
  private final Map<Integer, CompletableFuture<Void>> chains = new HashMap<>();
  private final Map<Integer, PieceDigest> digests = new HashMap<>();

  public PieceWrites(TorrentStorage storage, Executor disk) {
    this.storage = storage;
    this.disk = disk;
  }

  /** A block of {@code piece} was accepted and will be written; {@code last} if it completes the piece. */
  public void accepted(int piece, boolean last) {
    unwritten.merge(piece, 1, Integer::sum);
    if (last) {
      completeAwaitingWrites.add(piece);
    }
  }

  /** Writes accepted blocks of one piece after the piece's earlier writes. */
  public CompletableFuture<Void> write(int piece, List<PeerMessage.Piece> blocks) {
    PieceDigest digest = digests.computeIfAbsent(piece, p -> new PieceDigest());
    CompletableFuture<Void> written = chains.getOrDefault(piece, CompletableFuture.completedFuture(null))
        .thenRunAsync(() -> {
          try {
            writeRuns(digest, piece, blocks);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, disk);
    chains.put(piece, written);
    return written;
  }

  /** Hashes the blocks in arrival order and writes each run of consecutive ones as one write. */
  private void writeRuns(PieceDigest digest, int piece, List<PeerMessage.Piece> blocks) throws IOException {
    List<ByteBuffer> run = new ArrayList<>();
    int runBegin = 0;
    int runEnd = -1;
    for (PeerMessage.Piece block : blocks) {
      digest.written(block.begin(), block.block());
      if (block.begin() != runEnd) {
        if (!run.isEmpty()) {
          storage.write(piece, runBegin, run);
        }
        run = new ArrayList<>();
        runBegin = block.begin();
        runEnd = block.begin();
      }
      run.add(block.block());
      runEnd += block.block().remaining();
    }
    if (!run.isEmpty()) {
      storage.write(piece, runBegin, run);
    }
  }

  /** Whether writes of {@code piece} are outstanding: a write that finishes for any other is stale. */
  public boolean writing(int piece) {
    return unwritten.containsKey(piece);
  }

  /**
   * {@code blocks} of {@code piece} are on disk; true when that was the piece's last outstanding
   * write and its last block has arrived, so that it is time to {@link #verify} it.
   */
  public boolean written(int piece, int blocks) {
    int left = unwritten.merge(piece, -blocks, Integer::sum);
    if (left > 0) {
      return false;
    }
    unwritten.remove(piece);
    chains.remove(piece);
    return completeAwaitingWrites.remove(piece);
  }

  /** Checks the piece against its hash, reading back only what its digest has not seen. */
  public CompletableFuture<Boolean> verify(int piece) {
    verifying.add(piece);
    PieceDigest digest = digests.remove(piece);
    return CompletableFuture.supplyAsync(() -> {
      try {
        return digest == null ? storage.verify(piece) : storage.verify(piece, digest);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, disk);
  }

  /** The check of {@code piece} finished; false if none was running (it is stale). */
  public boolean checked(int piece) {
    return verifying.remove(piece);
  }
}
