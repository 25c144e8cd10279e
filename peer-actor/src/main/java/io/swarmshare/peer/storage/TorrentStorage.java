package io.swarmshare.peer.storage;

import io.swarmshare.messages.metainfo.FileEntry;
import io.swarmshare.messages.metainfo.FileLayout.Segment;
import io.swarmshare.messages.metainfo.FileLayout;
import io.swarmshare.messages.metainfo.Info;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The disk side of one torrent: writes and reads blocks and verifies pieces against their SHA-1.
 * A block may span several files, and zero-length files hold no bytes of any piece. Where the
 * files are, and the guard that nothing is touched outside the download directory, is its {@link
 * DownloadDirectory}'s; which pieces are on disk already, on a start, is for a {@link PieceChecker}
 * to find.
 *
 * <p>Tracks: where each file starts in the torrent, a bounded cache of open channels ({@link
 * OpenFiles}), the zero-length files already created, and a pool of reusable hashing buffers.
 *
 * <p><b>Files</b> are created (with their parent directories) by the first write that reaches
 * them; zero-length files by a write whose range touches their offset, or by {@link
 * #createEmptyFiles}. Nothing is truncated or preallocated: writes are positional, so a file with
 * holes is sparse. Reading a file that does not exist or is too short is an error ({@link
 * NoSuchFileException}, {@link EOFException}): only verified pieces are read. Verifying treats the
 * same cases as "not verified".
 *
 * <p><b>Threads.</b> Plain blocking I/O, meant for a dedicated blocking dispatcher. Safe for
 * concurrent use: positional {@link FileChannel} reads and writes do not share a file position and
 * the channel cache is synchronized, so the Download can write and verify some pieces while the
 * upload side reads others. Concurrent writes and reads of the <em>same</em> bytes give no
 * guarantee about what the read sees; the caller serves only verified pieces, which are not
 * written again. Interrupting a thread during I/O closes the channel it was using (a {@link
 * FileChannel} rule); the cache notices and reopens it, but the interrupted operation fails.
 */
public final class TorrentStorage implements Closeable {

  public static final int DEFAULT_MAX_OPEN_FILES = 64;
  /** The most bytes {@link #write(int, int, List)} joins into one write. */
  public static final int RUN_BUFFER = 1 << 20;
  /** Per thread (the blocking dispatcher's few), a direct buffer that consecutive blocks are joined in. */
  private static final ThreadLocal<ByteBuffer> RUNS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(RUN_BUFFER));
  /** The hashing read size: small enough to stay in the CPU cache between the read and the hash. */
  static final int READ_BUFFER = 256 << 10;

  private final Info info;
  private final DownloadDirectory files;
  private final FileLayout layout;
  /** starts[i] is the torrent offset of file i's first byte. */
  private final long[] starts;
  /** The indices of the zero-length files, in torrent order (so also by offset). */
  private final int[] emptyFiles;
  private final BitSet emptyFilesCreated = new BitSet(); // guarded by itself
  private final OpenFiles openFiles;
  private final ConcurrentLinkedQueue<Verifier> verifiers = new ConcurrentLinkedQueue<>();

  private TorrentStorage(Info info, Path directory, int maxOpenFiles) throws UnsafePathException {
    this.info = info;
    this.layout = info.layout();
    List<FileEntry> entries = info.files();
    if (entries.isEmpty() || (info.singleFile() && entries.size() != 1)) {
      throw new IllegalArgumentException(
          info + ": a " + (info.singleFile() ? "single" : "multi") + "-file torrent with "
              + entries.size() + " files");
    }
    long total = info.totalLength();
    if (info.pieceLength() <= 0
        || total / info.pieceLength() + (total % info.pieceLength() == 0 ? 0 : 1)
            != info.pieceCount()) {
      throw new IllegalArgumentException(info + ": " + info.pieceCount() + " piece hashes for "
          + total + " bytes in pieces of " + info.pieceLength());
    }
    this.starts = new long[entries.size()];
    int[] empty = new int[entries.size()];
    int emptyCount = 0;
    long offset = 0;
    for (int i = 0; i < entries.size(); i++) {
      FileEntry entry = entries.get(i);
      starts[i] = offset;
      offset += entry.length();
      if (entry.length() == 0) {
        empty[emptyCount++] = i;
      }
    }
    this.emptyFiles = Arrays.copyOf(empty, emptyCount);
    this.files = new DownloadDirectory(info, directory);
    this.openFiles = new OpenFiles(maxOpenFiles, this.files, "'" + info.name() + "'");
  }

  /** Storage for {@code info} under {@code directory}, with {@link #DEFAULT_MAX_OPEN_FILES}. */
  public static TorrentStorage open(Info info, Path directory) throws UnsafePathException {
    return open(info, directory, DEFAULT_MAX_OPEN_FILES);
  }

  /**
   * Storage for {@code info} under {@code directory}, keeping at most {@code maxOpenFiles} files
   * open. Touches no file: the directory and the files are created by the first writes.
   *
   * @throws UnsafePathException if the torrent's name or a path component is not a plain name
   */
  public static TorrentStorage open(Info info, Path directory, int maxOpenFiles)
      throws UnsafePathException {
    return new TorrentStorage(info, directory, maxOpenFiles);
  }

  public Info info() {
    return info;
  }

  /** The download directory, absolute. */
  public Path directory() {
    return files.directory();
  }

  /** Where file {@code fileIndex} of the torrent lives (whether or not it exists yet). */
  public Path path(int fileIndex) {
    return files.path(fileIndex);
  }

  /** Each file's size and modification time now, for resume data; {@link ResumeData.FileStamp#ABSENT} if missing. */
  public List<ResumeData.FileStamp> stamps() throws IOException {
    return files.stamps();
  }

  DownloadDirectory files() {
    return files;
  }

  /**
   * Writes the remaining bytes of {@code block} at byte {@code begin} of {@code piece}, across as
   * many files as it spans, creating files and directories as needed. The block's position and
   * limit are left as they were.
   *
   * @throws IllegalArgumentException if the piece does not exist or the block does not fit in it
   * @throws UnsafePathException if a file's path is refused
   * @throws IOException on an I/O error (a full disk, say), naming the file
   */
  public void write(int piece, int begin, ByteBuffer block) throws IOException {
    int length = block.remaining();
    long offset = torrentOffset(piece, begin, length);
    ByteBuffer source = block.duplicate();
    for (Segment segment : layout.segments(offset, length)) {
      source.limit(source.position() + segment.length());
      try (OpenFiles.Handle handle = openFiles.acquire(segment.fileIndex(), true)) {
        writeFully(handle, source, segment.fileOffset());
      }
    }
    if (length > 0) {
      createEmptyFilesBetween(offset, offset + length);
    }
  }

  /**
   * Writes consecutive blocks, the first at byte {@code begin} of {@code piece}, as one write per
   * file they span (copied together into a buffer of this thread's first), instead of one per
   * block. The blocks' positions and limits are left as they were.
   *
   * @throws IllegalArgumentException if the blocks do not fit in the piece
   * @throws UnsafePathException if a file's path is refused
   * @throws IOException on an I/O error, naming the file
   */
  public void write(int piece, int begin, List<ByteBuffer> consecutive) throws IOException {
    int length = 0;
    for (ByteBuffer b : consecutive) {
      length += b.remaining();
    }
    if (consecutive.size() == 1 || length > RUN_BUFFER) {
      int at = begin;
      for (ByteBuffer b : consecutive) {
        write(piece, at, b);
        at += b.remaining();
      }
      return;
    }
    ByteBuffer run = RUNS.get().clear();
    for (ByteBuffer b : consecutive) {
      run.put(b.duplicate());
    }
    write(piece, begin, run.flip());
  }

  /**
   * Reads {@code length} bytes from byte {@code begin} of {@code piece} into a new buffer, ready
   * to be read (position 0, limit {@code length}).
   *
   * @throws NoSuchFileException if a file of the block does not exist
   * @throws EOFException if a file of the block is shorter than the block needs
   */
  public ByteBuffer read(int piece, int begin, int length) throws IOException {
    torrentOffset(piece, begin, length);
    ByteBuffer buffer = ByteBuffer.allocate(length);
    read(piece, begin, buffer);
    return buffer.flip();
  }

  /**
   * Fills the remaining bytes of {@code into} from byte {@code begin} of {@code piece}; its
   * position ends at its limit.
   *
   * @throws NoSuchFileException if a file of the block does not exist
   * @throws EOFException if a file of the block is shorter than the block needs
   */
  public void read(int piece, int begin, ByteBuffer into) throws IOException {
    int length = into.remaining();
    long offset = torrentOffset(piece, begin, length);
    int limit = into.limit();
    try {
      for (Segment segment : layout.segments(offset, length)) {
        into.limit(into.position() + segment.length());
        try (OpenFiles.Handle handle = openFiles.acquire(segment.fileIndex(), false)) {
          readFully(handle, into, segment.fileOffset());
        }
      }
    } finally {
      into.limit(limit);
    }
  }

  /**
   * Whether the bytes of {@code piece} on disk have its SHA-1. Reads through a reusable buffer of
   * at most {@link #READ_BUFFER} bytes. A missing or short file means false.
   *
   * @throws UnsafePathException if a file's path is refused
   * @throws IOException on an I/O error other than a missing or short file
   */
  public boolean verify(int piece) throws IOException {
    torrentOffset(piece, 0, 0);
    Verifier verifier = verifiers.poll();
    if (verifier == null) {
      verifier = new Verifier();
    }
    try {
      return verifier.verify(piece);
    } finally {
      verifiers.offer(verifier);
    }
  }

  /**
   * Whether {@code piece} has its SHA-1, given a digest of its first bytes taken as they were
   * written: only the rest is read back from disk, through a buffer of at most
   * {@link #READ_BUFFER} bytes, so that a piece of 256 MiB costs no more memory than one of 256 KiB.
   *
   * @throws UnsafePathException if a file's path is refused
   * @throws IOException on an I/O error other than a missing or short file
   */
  public boolean verify(int piece, PieceDigest digest) throws IOException {
    int size = info.pieceSize(piece);
    int from = digest.hashed();
    ByteBuffer chunk = ByteBuffer.allocate(Math.min(READ_BUFFER, Math.max(0, size - from)));
    while (from < size) {
      chunk.clear().limit(Math.min(chunk.capacity(), size - from));
      try {
        read(piece, from, chunk);
      } catch (NoSuchFileException | EOFException missing) {
        return false;
      }
      from += chunk.flip().remaining();
      digest.update(chunk);
    }
    return info.pieceHashEquals(piece, digest.digest());
  }

  /**
   * Creates every zero-length file of the torrent that does not exist yet. Writes create those
   * they reach; a resumed torrent whose pieces were all on disk writes nothing, so the Download
   * calls this when it completes.
   */
  public void createEmptyFiles() throws IOException {
    for (int file : emptyFiles) {
      createEmptyFile(file);
    }
  }

  /** Closes every open file (those in use by another thread when it is done with them). */
  @Override
  public void close() throws IOException {
    openFiles.close();
  }

  /**
   * Deletes the torrent's files, and the directories of a multi-file torrent that are left
   * empty; nothing outside the download directory and nothing the torrent does not name.
   */
  public void delete() throws IOException {
    close();
    files.delete();
  }

  /**
   * Moves the torrent's files that exist into {@code directory} (as Transmission's set-location
   * with move), keeping their times, so that resume data stays true; a file already there is not
   * overwritten. All or nothing: on a failure the files moved so far go back, and the failure is
   * thrown. The directories left empty behind are removed.
   */
  public void moveTo(Path directory) throws IOException {
    close();
    files.moveTo(new DownloadDirectory(info, directory));
  }

  /** Files open now; for tests. */
  int openChannelCount() {
    return openFiles.openCount();
  }

  /** The most files ever open at once; for tests. */
  int peakOpenChannelCount() {
    return openFiles.peakOpenCount();
  }

  @Override
  public String toString() {
    return "TorrentStorage[" + info.name() + " in " + files.directory() + "]";
  }

  // ---- ranges

  /** The torrent offset of byte {@code begin} of {@code piece}, after checking the block fits. */
  private long torrentOffset(int piece, int begin, int length) {
    if (piece < 0 || piece >= info.pieceCount()) {
      throw new IllegalArgumentException("piece " + piece + " does not exist: '" + info.name()
          + "' has " + info.pieceCount() + " pieces");
    }
    int size = info.pieceSize(piece);
    if (begin < 0 || length < 0 || (long) begin + length > size) {
      throw new IllegalArgumentException("block of " + length + " bytes at " + begin
          + " does not fit in piece " + piece + " of " + size + " bytes");
    }
    return info.pieceOffset(piece) + begin;
  }

  // ---- reading and writing

  private static void writeFully(OpenFiles.Handle handle, ByteBuffer source, long position)
      throws IOException {
    long at = position;
    try {
      while (source.hasRemaining()) {
        at += handle.channel().write(source, at);
      }
    } catch (IOException e) {
      throw new IOException(
          "writing " + handle.path() + " at byte " + at + " failed: " + e.getMessage(), e);
    }
  }

  private static void readFully(OpenFiles.Handle handle, ByteBuffer into, long position)
      throws IOException {
    long at = position;
    long end = position + into.remaining();
    while (into.hasRemaining()) {
      int n;
      try {
        n = handle.channel().read(into, at);
      } catch (IOException e) {
        throw new IOException(
            "reading " + handle.path() + " at byte " + at + " failed: " + e.getMessage(), e);
      }
      if (n < 0) {
        throw new EOFException(handle.path() + ": ends at byte " + at + ", the torrent needs " + end);
      }
      at += n;
    }
  }

  /** Reads and hashes whole pieces through one buffer; one thread at a time. */
  private final class Verifier {
    private final MessageDigest sha1 = newSha1();
    private final byte[] digest = new byte[Info.HASH_LENGTH];
    // Direct, so the kernel copies into it once; a heap buffer costs the JDK a second copy.
    private final ByteBuffer buffer =
        ByteBuffer.allocateDirect(Math.min(info.pieceLength(), READ_BUFFER));

    boolean verify(int piece) throws IOException {
      sha1.reset();
      for (Segment segment : layout.segments(info.pieceOffset(piece), info.pieceSize(piece))) {
        OpenFiles.Handle handle;
        try {
          handle = openFiles.acquire(segment.fileIndex(), false);
        } catch (NoSuchFileException missing) {
          return false;
        }
        try (handle) {
          long position = segment.fileOffset();
          long end = position + segment.length();
          while (position < end) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
            try {
              readFully(handle, buffer, position);
            } catch (EOFException shorter) {
              return false;
            }
            position += buffer.position();
            sha1.update(buffer.flip());
          }
        }
      }
      try {
        sha1.digest(digest, 0, digest.length);
      } catch (DigestException e) {
        throw new IllegalStateException(e);
      }
      return info.pieceHashEquals(piece, digest);
    }
  }

  // ---- zero-length files

  private void createEmptyFilesBetween(long from, long to) throws IOException {
    int i = firstEmptyFileAtOrAfter(from);
    for (; i < emptyFiles.length && starts[emptyFiles[i]] <= to; i++) {
      createEmptyFile(emptyFiles[i]);
    }
  }

  private int firstEmptyFileAtOrAfter(long offset) {
    int low = 0;
    int high = emptyFiles.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (starts[emptyFiles[mid]] < offset) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  private void createEmptyFile(int file) throws IOException {
    synchronized (emptyFilesCreated) {
      if (emptyFilesCreated.get(file)) {
        return;
      }
    }
    try (OpenFiles.Handle ignored = openFiles.acquire(file, true)) {
      // Opening for writing creates it.
    }
    synchronized (emptyFilesCreated) {
      emptyFilesCreated.set(file);
    }
  }

  private static MessageDigest newSha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }
}
