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
 * A torrent's write-and-verify pipeline, off the actor's thread. It keeps, per piece, the chain of
 * its writes (a piece's writes run one after another, pieces in parallel, so that a piece that
 * arrives in order is hashed as it is written and never read back), its running digest, and
 * whether it is being verified. Because a piece's writes run in the order they were queued, the
 * write that carries a piece's last block finishes after all the others: its owner need hear only
 * of that one (and of failures) to know when to {@link #verify}. The owner calls it from one
 * thread; the futures it returns complete on the disk's.
 */
public final class PieceWrites {

  private final TorrentStorage storage;
  private final Executor disk;
  private final Set<Integer> verifying = new HashSet<>();
  private final Map<Integer, CompletableFuture<Void>> chains = new HashMap<>();
  private final Map<Integer, PieceDigest> digests = new HashMap<>();

  public PieceWrites(TorrentStorage storage, Executor disk) {
    this.storage = storage;
    this.disk = disk;
  }

  /**
   * Writes blocks of one piece after the piece's earlier writes; the future fails if this write or
   * an earlier one of the piece failed.
   */
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

  /**
   * Checks the piece against its hash, reading back only what its digest has not seen; called once
   * every write of the piece has finished. Writes of the piece after this start a new chain.
   */
  public CompletableFuture<Boolean> verify(int piece) {
    verifying.add(piece);
    chains.remove(piece);
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
