package io.swarmshare.peer.storage;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.metainfo.FileEntry;
import io.swarmshare.messages.metainfo.FileLayout.Segment;
import io.swarmshare.messages.metainfo.FileLayout;
import io.swarmshare.messages.metainfo.Info;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The disk side of one torrent: writes and reads blocks, verifies pieces against their SHA-1 and
 * finds, on resume, the pieces already on disk. A single-file torrent lives at {@code DIR/NAME}, a
 * multi-file one under {@code DIR/NAME/<path...>}; a block may span several files, and
 * zero-length files hold no bytes of any piece.
 *
 * <p>Tracks: the path of every file (checked when the storage opens: every component a plain
 * name), the download directory's real path (resolved on first use), a bounded cache of open
 * channels ({@link OpenFiles}), the zero-length files already created, and a pool of reusable
 * hashing buffers.
 *
 * <p><b>Paths.</b> Nothing is read or written outside the download directory: besides the names
 * checked at open, every time a file is opened each existing component below the directory is
 * examined without following links, and a symbolic link, or anything but a directory on the way
 * or a regular file at the end, is refused with an {@link UnsafePathException}; the file itself is
 * opened with {@code O_NOFOLLOW}, and the real path of its parent must be where it should be. The
 * download directory itself may be a link: the user chose it.
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
  /** How many bytes of consecutive pieces one {@link #checkExisting} worker takes at a time. */
  private static final int CHECK_BATCH_BYTES = 8 << 20;

  private final Info info;
  private final Path directory;
  /** Per file: the components of its path below the download directory, the first the name. */
  private final List<List<String>> relativePaths;
  private final FileLayout layout;
  /** starts[i] is the torrent offset of file i's first byte. */
  private final long[] starts;
  /** The indices of the zero-length files, in torrent order (so also by offset). */
  private final int[] emptyFiles;
  private final BitSet emptyFilesCreated = new BitSet(); // guarded by itself
  private final OpenFiles openFiles;
  private final ConcurrentLinkedQueue<Verifier> verifiers = new ConcurrentLinkedQueue<>();
  private final Object directoryLock = new Object();
  private Path realDirectory; // guarded by directoryLock

  private TorrentStorage(Info info, Path directory, int maxOpenFiles) throws UnsafePathException {
    this.info = info;
    this.directory = directory.toAbsolutePath().normalize();
    this.layout = info.layout();
    List<FileEntry> files = info.files();
    if (files.isEmpty() || (info.singleFile() && files.size() != 1)) {
      throw new IllegalArgumentException(
          info + ": a " + (info.singleFile() ? "single" : "multi") + "-file torrent with "
              + files.size() + " files");
    }
    long total = info.totalLength();
    if (info.pieceLength() <= 0
        || total / info.pieceLength() + (total % info.pieceLength() == 0 ? 0 : 1)
            != info.pieceCount()) {
      throw new IllegalArgumentException(info + ": " + info.pieceCount() + " piece hashes for "
          + total + " bytes in pieces of " + info.pieceLength());
    }
    List<List<String>> relative = new ArrayList<>(files.size());
    this.starts = new long[files.size()];
    int[] empty = new int[files.size()];
    int emptyCount = 0;
    long offset = 0;
    for (int i = 0; i < files.size(); i++) {
      FileEntry entry = files.get(i);
      List<String> parts = new ArrayList<>(entry.path().size() + 1);
      parts.add(info.name());
      if (!info.singleFile()) {
        parts.addAll(entry.path());
      }
      checkPath(parts);
      relative.add(List.copyOf(parts));
      starts[i] = offset;
      offset += entry.length();
      if (entry.length() == 0) {
        empty[emptyCount++] = i;
      }
    }
    this.relativePaths = List.copyOf(relative);
    this.emptyFiles = Arrays.copyOf(empty, emptyCount);
    this.openFiles = new OpenFiles(maxOpenFiles, new Opener(), "'" + info.name() + "'");
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
    return directory;
  }

  /** Where file {@code fileIndex} of the torrent lives (whether or not it exists yet). */
  public Path path(int fileIndex) {
    Path path = directory;
    for (String part : relativePaths.get(fileIndex)) {
      path = path.resolve(part);
    }
    return path;
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

  /** {@link #checkExisting(int)} on as many threads as there are processors. */
  public Bitfield checkExisting() throws IOException {
    return checkExisting(Runtime.getRuntime().availableProcessors());
  }

  /** What a check found, and how many bytes it read and hashed to find it. */
  public record Check(Bitfield have, long hashedBytes) {}

  /**
   * Checks the pieces on disk that are not {@code trusted} already (from resume data), on as
   * many threads as there are processors; trusted pieces count as verified without being read.
   */
  public Check checkExisting(Bitfield trusted) throws IOException {
    return check(trusted, Runtime.getRuntime().availableProcessors());
  }

  /** Whether any piece that is not {@code trusted} has its bytes on disk, so that a check would hash something. */
  public boolean needsCheck(Bitfield trusted) throws IOException {
    long[] sizes = sizesOnDisk();
    for (int piece = trusted.nextClear(0); piece >= 0 && piece < info.pieceCount(); piece = trusted.nextClear(piece + 1)) {
      if (allPresent(piece, sizes)) {
        return true;
      }
    }
    return false;
  }

  /** Each file's size and modification time now, for resume data; {@link ResumeData.FileStamp#ABSENT} if missing. */
  public List<ResumeData.FileStamp> stamps() throws IOException {
    List<ResumeData.FileStamp> stamps = new ArrayList<>(relativePaths.size());
    for (int file = 0; file < relativePaths.size(); file++) {
      BasicFileAttributes attributes;
      try {
        attributes = locate(file, false).attributes();
      } catch (NoSuchFileException missing) {
        attributes = null;
      }
      stamps.add(attributes == null ? ResumeData.FileStamp.ABSENT
          : new ResumeData.FileStamp(attributes.size(), attributes.lastModifiedTime().toMillis()));
    }
    return stamps;
  }

  /**
   * The pieces already on disk with the right hash, for resuming. First looks at every file once
   * (its size, without opening it) and skips, without reading, each piece that lies partly in a
   * missing or too short file; then verifies the rest. Verifying runs on up to {@code threads}
   * threads of its own, each taking batches of 8 MiB of consecutive pieces, so the disk still sees
   * nearly sequential reads while hashing uses every core; each thread reads through one buffer of
   * at most {@link #READ_BUFFER} bytes. Small jobs (one batch) run on the calling thread. Creates
   * nothing, not even the download directory.
   *
   * @throws UnsafePathException if a file's path is refused
   * @throws IOException on an I/O error other than a missing or short file
   */
  public Bitfield checkExisting(int threads) throws IOException {
    return check(new Bitfield(info.pieceCount()), threads).have();
  }

  private Check check(Bitfield trusted, int threads) throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    long[] sizes = sizesOnDisk();
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
        verified[candidates[i]] = verify(candidates[i]);
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
    for (int file = 0; file < relativePaths.size(); file++) {
      try {
        Located located = locate(file, false);
        if (located.attributes() != null) {
          Files.delete(located.path());
        }
      } catch (NoSuchFileException gone) {
        // a parent is gone already
      }
    }
    removeEmptyDirectories();
  }

  /** A multi-file torrent's directories that hold nothing any more, deepest first. */
  private void removeEmptyDirectories() throws IOException {
    if (info.singleFile()) {
      return;
    }
    Path top = realDirectory(false).resolve(info.name());
    List<Path> directories;
    try (var walk = Files.walk(top)) {
      directories = walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .sorted(Comparator.reverseOrder()).toList();
    } catch (NoSuchFileException gone) {
      return;
    }
    for (Path d : directories) {
      try (var entries = Files.list(d)) {
        if (entries.findAny().isEmpty()) {
          Files.delete(d);
        }
      }
    }
  }

  /**
   * Moves the torrent's files that exist into {@code directory} (as Transmission's set-location
   * with move), keeping their times, so that resume data stays true; a file already there is not
   * overwritten. All or nothing: on a failure the files moved so far go back, and the failure is
   * thrown. The directories left empty behind are removed.
   */
  public void moveTo(Path directory) throws IOException {
    close();
    try (TorrentStorage target = open(info, directory)) {
      List<Path[]> moved = new ArrayList<>();
      try {
        for (int file = 0; file < relativePaths.size(); file++) {
          Located from;
          try {
            from = locate(file, false);
          } catch (NoSuchFileException absent) {
            continue;
          }
          if (from.attributes() == null) {
            continue;
          }
          Path to = target.locate(file, true).path();
          Files.move(from.path(), to);
          moved.add(new Path[] {from.path(), to});
        }
      } catch (IOException e) {
        for (int i = moved.size() - 1; i >= 0; i--) {
          try {
            Files.move(moved.get(i)[1], moved.get(i)[0]);
          } catch (IOException stuck) {
            e.addSuppressed(stuck);
          }
        }
        throw e;
      }
    }
    removeEmptyDirectories();
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
    return "TorrentStorage[" + info.name() + " in " + directory + "]";
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

  private boolean allPresent(int piece, long[] sizes) {
    for (Segment s : layout.segments(info.pieceOffset(piece), info.pieceSize(piece))) {
      if (sizes[s.fileIndex()] < s.fileOffset() + s.length()) {
        return false;
      }
    }
    return true;
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
                verified[candidates[i]] = verify(candidates[i]);
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

  // ---- paths

  /** Refuses anything but plain names, then checks the joined path stays where it should. */
  private void checkPath(List<String> parts) throws UnsafePathException {
    String shown = directory + "/" + String.join("/", parts);
    for (String part : parts) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")
          || part.indexOf('/') >= 0 || part.indexOf('\\') >= 0 || part.indexOf('\0') >= 0) {
        throw new UnsafePathException(shown.replace("\0", "\\0"),
            "the torrent path component '" + part.replace("\0", "\\0")
                + "' is not a plain file name");
      }
    }
    Path path = directory;
    try {
      for (String part : parts) {
        path = path.resolve(part);
      }
    } catch (InvalidPathException e) {
      throw new UnsafePathException(shown, "not a valid path here: " + e.getReason());
    }
    if (!path.normalize().startsWith(directory)
        || path.getNameCount() != directory.getNameCount() + parts.size()) {
      throw new UnsafePathException(path, "resolves outside the download directory " + directory);
    }
  }

  /** The download directory's real path, creating it first if asked. */
  private Path realDirectory(boolean create) throws IOException {
    synchronized (directoryLock) {
      if (realDirectory == null) {
        if (create) {
          Files.createDirectories(directory);
        }
        try {
          realDirectory = directory.toRealPath();
        } catch (NoSuchFileException e) {
          throw new NoSuchFileException(directory.toString(), null, "the download directory does not exist");
        }
      }
      return realDirectory;
    }
  }

  /** A file's path after checking its parents, and its attributes (null if it does not exist). */
  private record Located(Path path, BasicFileAttributes attributes) {}

  /**
   * Walks from the download directory to file {@code file}, looking at each component without
   * following links: a symbolic link, or a non-directory on the way, is refused. With {@code
   * createParents}, missing directories are created; without, a missing one is a {@link
   * NoSuchFileException}. The file itself may be absent; if present it must be a regular file.
   */
  private Located locate(int file, boolean createParents) throws IOException {
    Path base = realDirectory(createParents);
    List<String> parts = relativePaths.get(file);
    Path current = base;
    for (int i = 0; i < parts.size() - 1; i++) {
      current = current.resolve(parts.get(i));
      BasicFileAttributes attributes = attributes(current);
      if (attributes == null) {
        if (!createParents) {
          throw new NoSuchFileException(path(file).toString(), null, "not on disk: "
              + current + " does not exist");
        }
        try {
          Files.createDirectory(current);
        } catch (FileAlreadyExistsException raced) {
          // Someone made it meanwhile: examined below like any other.
        }
        attributes = attributes(current);
        if (attributes == null) {
          throw new NoSuchFileException(current.toString(), null, "vanished just after being created");
        }
      }
      if (attributes.isSymbolicLink()) {
        throw symbolicLink(current, base);
      }
      if (!attributes.isDirectory()) {
        throw new FileSystemException(current.toString(), null,
            "is not a directory, but the torrent has files under it");
      }
    }
    if (!current.equals(base)) {
      // No component was a link when looked at; the real path catches one swapped in since.
      Path real = current.toRealPath();
      if (!real.equals(current)) {
        throw new UnsafePathException(current, "resolves to " + real + ", refusing to follow it");
      }
    }
    Path target = current.resolve(parts.get(parts.size() - 1));
    BasicFileAttributes attributes = attributes(target);
    if (attributes != null) {
      if (attributes.isSymbolicLink()) {
        throw symbolicLink(target, base);
      }
      if (attributes.isDirectory()) {
        throw new FileSystemException(target.toString(), null,
            "is a directory, where the torrent has a file");
      }
      if (!attributes.isRegularFile()) {
        throw new UnsafePathException(target, "is not a regular file");
      }
    }
    return new Located(target, attributes);
  }

  private static UnsafePathException symbolicLink(Path path, Path base) {
    return new UnsafePathException(path,
        "is a symbolic link; refusing to follow it out of the download directory " + base);
  }

  private static BasicFileAttributes attributes(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Per file, its size on disk, or -1 if it (or the download directory) does not exist. */
  private long[] sizesOnDisk() throws IOException {
    long[] sizes = new long[relativePaths.size()];
    for (int file = 0; file < sizes.length; file++) {
      if (info.files().get(file).length() == 0) {
        sizes[file] = 0;
        continue;
      }
      try {
        BasicFileAttributes attributes = locate(file, false).attributes();
        sizes[file] = attributes == null ? -1 : attributes.size();
      } catch (NoSuchFileException missing) {
        sizes[file] = -1;
      }
    }
    return sizes;
  }

  /** Opens files for the cache, after {@link #locate} has checked their paths. */
  private final class Opener implements OpenFiles.Opener {
    @Override
    public FileChannel open(int file, boolean write) throws IOException {
      Located located = locate(file, write);
      if (!write && located.attributes() == null) {
        throw new NoSuchFileException(located.path().toString(), null, "not on disk");
      }
      // NOFOLLOW_LINKS: a link put in place since locate() looked is refused by the kernel.
      return write
          ? FileChannel.open(located.path(), StandardOpenOption.READ, StandardOpenOption.WRITE,
              StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS)
          : FileChannel.open(located.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Path path(int file) {
      return TorrentStorage.this.path(file);
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
