package io.swarmshare.messages.metainfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes the SHA-1 of every piece of a set of files laid end to end. Workers take batches of
 * consecutive pieces in file order, so the disk sees nearly sequential reads, and each reads
 * through one buffer of {@link #READ_BUFFER} bytes: memory stays at threads times that,
 * whatever the size of the files.
 */
public final class PieceHasher {

  /** Small enough to stay in the CPU cache between the read and the hash. */
  static final int READ_BUFFER = 256 << 10;
  private static final int BATCH_BYTES = 8 << 20;

  private final List<Path> paths;
  private final FileLayout layout;
  private final int pieceLength;

  /** {@code paths} are the files of {@code layout}, in the same order. */
  public PieceHasher(List<Path> paths, FileLayout layout, int pieceLength) {
    if (paths.size() != layout.files().size()) {
      throw new IllegalArgumentException(paths.size() + " paths for " + layout.files().size() + " files");
    }
    this.paths = List.copyOf(paths);
    this.layout = layout;
    this.pieceLength = pieceLength;
  }

  public int pieceCount() {
    long total = layout.totalLength();
    return (int) (total / pieceLength + (total % pieceLength == 0 ? 0 : 1));
  }

  /** The concatenated 20-byte hashes of all pieces, computed on {@code threads} threads. */
  public byte[] hashAll(int threads) throws IOException {
    int pieces = pieceCount();
    byte[] hashes = new byte[pieces * Info.HASH_LENGTH];
    int batch = Math.max(1, BATCH_BYTES / pieceLength);
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "piece-hasher");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> workers = new ArrayList<>(threads);
      for (int i = 0; i < threads; i++) {
        workers.add(pool.submit(() -> {
          try (Worker worker = new Worker()) {
            for (int first = next.getAndAdd(batch); first < pieces; first = next.getAndAdd(batch)) {
              for (int piece = first; piece < Math.min(pieces, first + batch); piece++) {
                worker.hash(piece, hashes);
              }
            }
          } catch (IOException e) {
            next.set(pieces);
            throw new UncheckedIOException(e);
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw new IllegalStateException("hashing failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while hashing", e);
    } finally {
      pool.shutdownNow();
    }
    return hashes;
  }

  /** One thread's digest, buffer and open file. */
  private final class Worker implements AutoCloseable {
    private final MessageDigest sha1 = newSha1();
    // Direct, so the kernel copies into it once; a heap buffer costs the JDK a second copy.
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(Math.min(pieceLength, READ_BUFFER));
    private int openFile = -1;
    private FileChannel channel;

    void hash(int piece, byte[] hashes) throws IOException {
      long offset = (long) piece * pieceLength;
      int size = (int) Math.min(pieceLength, layout.totalLength() - offset);
      for (FileLayout.Segment segment : layout.segments(offset, size)) {
        FileChannel file = channel(segment.fileIndex());
        long position = segment.fileOffset();
        long end = position + segment.length();
        while (position < end) {
          buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
          int n = file.read(buffer, position);
          if (n < 0) {
            throw new IOException(
                paths.get(segment.fileIndex()) + " is shorter than expected: did it change while being hashed?");
          }
          sha1.update(buffer.flip());
          position += n;
        }
      }
      try {
        sha1.digest(hashes, piece * Info.HASH_LENGTH, Info.HASH_LENGTH);
      } catch (DigestException e) {
        throw new IllegalStateException(e);
      }
    }

    private FileChannel channel(int fileIndex) throws IOException {
      if (fileIndex != openFile) {
        close();
        channel = FileChannel.open(paths.get(fileIndex), StandardOpenOption.READ);
        openFile = fileIndex;
      }
      return channel;
    }

    @Override
    public void close() throws IOException {
      if (channel != null) {
        channel.close();
        channel = null;
        openFile = -1;
      }
    }
  }

  static MessageDigest newSha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }
}
