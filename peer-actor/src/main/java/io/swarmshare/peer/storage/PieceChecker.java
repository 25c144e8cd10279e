package io.swarmshare.peer.storage;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.metainfo.FileLayout.Segment;
import io.swarmshare.messages.metainfo.Info;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds, on a start or a recheck, the pieces of one torrent already on disk with the right hash:
 * those that resume data lets it trust ({@link ResumeData#trusted}) count as verified unread, a
 * piece that lies partly in a missing or too short file is skipped unread, and the rest are
 * hashed through the storage. Tracks nothing between calls: each looks at the files afresh.
 */
public final class PieceChecker {

  /** How many bytes of consecutive pieces one worker takes at a time. */
  private static final int CHECK_BATCH_BYTES = 8 << 20;

  private final TorrentStorage storage;
  private final Info info;

  public PieceChecker(TorrentStorage storage) {
    this.storage = storage;
    this.info = storage.info();
  }

  /** What a check found, and how many bytes it read and hashed to find it. */
  public record Check(Bitfield have, long hashedBytes) {}

  /** {@link #checkExisting(int)} on as many threads as there are processors. */
  public Bitfield checkExisting() throws IOException {
    return checkExisting(Runtime.getRuntime().availableProcessors());
  }

  /**
   * Checks the pieces on disk that are not {@code trusted} already (from resume data), on as
   * many threads as there are processors; trusted pieces count as verified without being read.
   */
  public Check checkExisting(Bitfield trusted) throws IOException {
    return check(trusted, Runtime.getRuntime().availableProcessors());
  }

  /**
   * The pieces already on disk with the right hash, for resuming. First looks at every file once
   * (its size, without opening it) and skips, without reading, each piece that lies partly in a
   * missing or too short file; then verifies the rest. Verifying runs on up to {@code threads}
   * threads of its own, each taking batches of 8 MiB of consecutive pieces, so the disk still sees
   * nearly sequential reads while hashing uses every core; each thread reads through one buffer of
   * at most {@link TorrentStorage#READ_BUFFER} bytes. Small jobs (one batch) run on the calling
   * thread. Creates nothing, not even the download directory.
   *
   * @throws UnsafePathException if a file's path is refused
   * @throws IOException on an I/O error other than a missing or short file
   */
  public Bitfield checkExisting(int threads) throws IOException {
    return check(new Bitfield(info.pieceCount()), threads).have();
  }

  /**
   * The pieces that the resume data in {@code resumeFile} lets a start take as verified without
   * hashing them: those it saved as verified whose files are unchanged since. None if there is no
   * such file.
   *
   * @throws MalformedMessageException if the file holds no resume data of this torrent
   */
  public Bitfield trusted(Path resumeFile) throws IOException {
    if (!Files.exists(resumeFile)) {
      return new Bitfield(info.pieceCount());
    }
    return ResumeData.decode(Files.readAllBytes(resumeFile), info).trusted(info, storage.stamps());
  }

  /** Whether any piece that is not {@code trusted} has its bytes on disk, so that a check would hash something. */
  public boolean needsCheck(Bitfield trusted) throws IOException {
    long[] sizes = storage.files().sizesOnDisk();
    for (int piece = trusted.nextClear(0); piece >= 0 && piece < info.pieceCount(); piece = trusted.nextClear(piece + 1)) {
      if (allPresent(piece, sizes)) {
        return true;
      }
    }
    return false;
  }

  private Check check(Bitfield trusted, int threads) throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    long[] sizes = storage.files().sizesOnDisk();
    int pieces = info.pieceCount();
    int[] candidates = new int[pieces];
    int count = 0;
    long hashed = 0;
    for (int piece = 0; piece < pieces; piece++) {
      if (!trusted.get(piece) && allPresent(piece, sizes)) {
        candidates[count++] = piece;
        hashed += info.pieceSize(piece);
      }
    }
    boolean[] verified = new boolean[pieces];
    int batch = Math.max(1, CHECK_BATCH_BYTES / info.pieceLength());
    int workers = (int) Math.min(threads, (count + (long) batch - 1) / batch);
    if (workers <= 1) {
      for (int i = 0; i < count; i++) {
        verified[candidates[i]] = storage.verify(candidates[i]);
      }
    } else {
      verifyInParallel(Arrays.copyOf(candidates, count), batch, workers, verified);
    }
    Bitfield bitfield = trusted.copy();
    for (int piece = 0; piece < pieces; piece++) {
      if (verified[piece]) {
        bitfield.set(piece);
      }
    }
    return new Check(bitfield, hashed);
  }

  private boolean allPresent(int piece, long[] sizes) {
    for (Segment s : info.layout().segments(info.pieceOffset(piece), info.pieceSize(piece))) {
      if (sizes[s.fileIndex()] < s.fileOffset() + s.length()) {
        return false;
      }
    }
    return true;
  }

  private void verifyInParallel(int[] candidates, int batch, int workers, boolean[] verified)
      throws IOException {
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "storage-check-" + threadNumber.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> running = new ArrayList<>(workers);
      for (int w = 0; w < workers; w++) {
        running.add(pool.submit(() -> {
          for (int first = next.getAndAdd(batch);
              first < candidates.length && !failed.get();
              first = next.getAndAdd(batch)) {
            for (int i = first; i < Math.min(candidates.length, first + batch); i++) {
              try {
                verified[candidates[i]] = storage.verify(candidates[i]);
              } catch (IOException e) {
                failed.set(true);
                throw new UncheckedIOException(e);
              }
            }
          }
          return null;
        }));
      }
      // Wait for every worker, even after a failure: none may still read once this returns.
      ExecutionException failure = null;
      for (Future<?> worker : running) {
        try {
          worker.get();
        } catch (ExecutionException e) {
          failed.set(true);
          if (failure == null) {
            failure = e;
          }
        }
      }
      if (failure != null) {
        if (failure.getCause() instanceof UncheckedIOException io) {
          throw io.getCause();
        }
        if (failure.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException("checking " + info.name() + " failed", failure.getCause());
      }
    } catch (InterruptedException e) {
      failed.set(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while checking " + info.name());
    } finally {
      // shutdown, not shutdownNow: interrupting a reader would close a shared channel.
      pool.shutdown();
    }
  }
}
