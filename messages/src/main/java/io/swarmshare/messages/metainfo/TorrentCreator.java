package io.swarmshare.messages.metainfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Makes a v1 torrent from a file or a directory. A directory's regular files are taken in the
 * byte order of their paths (as mktorrent does), without following symbolic links. For a single
 * file the info dictionary has exactly mktorrent's keys, so the same file, name and piece length
 * give the same info hash.
 */
public final class TorrentCreator {

  public static final int MIN_PIECE_LENGTH = 16 * 1024;
  public static final int MAX_PIECE_LENGTH = 16 * 1024 * 1024;
  /** Past this many pieces the default piece length doubles: it aims at 1,000-2,000 pieces. */
  private static final long TARGET_MAX_PIECES = 2000;

  private final Path root;
  private Optional<Integer> pieceLength = Optional.empty();
  private List<String> trackers = List.of();
  private Optional<String> comment = Optional.empty();
  private String createdBy = "swarmshare";
  private Optional<Instant> creationDate = Optional.of(Instant.now());
  private int threads = Runtime.getRuntime().availableProcessors();

  private TorrentCreator(Path root) {
    this.root = root;
  }

  public static TorrentCreator of(Path fileOrDirectory) {
    return new TorrentCreator(fileOrDirectory);
  }

  /** A power of two from 16 KiB to 16 MiB. */
  public TorrentCreator pieceLength(int bytes) {
    if (bytes < MIN_PIECE_LENGTH || bytes > MAX_PIECE_LENGTH || Integer.bitCount(bytes) != 1) {
      throw new IllegalArgumentException(
          "piece length must be a power of two from 16 KiB (16384) to 16 MiB (16777216), got " + bytes);
    }
    this.pieceLength = Optional.of(bytes);
    return this;
  }

  /** Each tracker its own tier, in order (BEP 12); the first is also {@code announce}. */
  public TorrentCreator trackers(List<String> urls) {
    this.trackers = List.copyOf(urls);
    return this;
  }

  public TorrentCreator comment(String text) {
    this.comment = Optional.of(text);
    return this;
  }

  public TorrentCreator createdBy(String client) {
    this.createdBy = client;
    return this;
  }

  /** Empty leaves the date out, which makes the whole file reproducible. */
  public TorrentCreator creationDate(Optional<Instant> date) {
    this.creationDate = date;
    return this;
  }

  public TorrentCreator threads(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + count);
    }
    this.threads = count;
    return this;
  }

  /** The smallest power of two from 16 KiB to 16 MiB that keeps the piece count at 2,000 or less. */
  public static int defaultPieceLength(long totalLength) {
    int length = MIN_PIECE_LENGTH;
    while (length < MAX_PIECE_LENGTH && totalLength > TARGET_MAX_PIECES * length) {
      length <<= 1;
    }
    return length;
  }

  public Metainfo create() throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(root.toString(), null, "no such file or directory");
    }
    Path absolute = root.toAbsolutePath().normalize();
    Path fileName = absolute.getFileName();
    if (fileName == null) {
      throw new IOException(root + ": cannot share a file system root; name a file or directory in it");
    }
    String name = fileName.toString();
    boolean singleFile = Files.isRegularFile(absolute);
    List<Path> paths;
    List<FileEntry> files = new ArrayList<>();
    if (singleFile) {
      paths = List.of(absolute);
      files.add(new FileEntry(List.of(name), Files.size(absolute)));
    } else if (Files.isDirectory(absolute)) {
      paths = regularFiles(absolute);
      for (Path p : paths) {
        List<String> parts = new ArrayList<>();
        absolute.relativize(p).forEach(part -> parts.add(part.toString()));
        files.add(new FileEntry(parts, Files.size(p)));
      }
    } else {
      throw new IOException(root + " is neither a regular file nor a directory");
    }
    checkNames(name, singleFile ? List.of() : files);
    FileLayout layout = new FileLayout(files);
    if (layout.totalLength() == 0) {
      throw new IOException(root + " holds no data: a torrent needs at least one non-empty file");
    }
    int length = pieceLength.orElseGet(() -> defaultPieceLength(layout.totalLength()));
    byte[] hashes = new PieceHasher(paths, layout, length).hashAll(threads);
    Info info = new Info(name, length, hashes, files, singleFile, false);
    Metainfo created = Metainfo.of(info, trackers, comment, Optional.of(createdBy), creationDate);
    // Names that are fine on this file system may not be in a torrent (a backslash, say): read
    // the result back so that we never hand out a torrent that we, or others, would refuse.
    MetainfoParser.parse(created.encode());
    return created;
  }

  /** Refuses, before any hashing, the names that {@link MetainfoParser} would refuse. */
  private void checkNames(String name, List<FileEntry> files) throws IOException {
    Optional<String> problem = TorrentNames.problem(name).map(p -> "the name " + p);
    TorrentNames.Paths paths = new TorrentNames.Paths();
    for (int i = 0; i < files.size() && problem.isEmpty(); i++) {
      List<String> path = files.get(i).path();
      String where = "file '" + String.join("/", path) + "'";
      for (int k = 0; k < path.size() && problem.isEmpty(); k++) {
        problem = TorrentNames.problem(path.get(k)).map(p -> where + ": a component " + p);
      }
      if (problem.isEmpty()) {
        problem = paths.add("file", path);
      }
    }
    if (problem.isPresent()) {
      throw new IOException(root + ": cannot make a torrent of it: " + problem.get());
    }
  }

  private static List<Path> regularFiles(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .sorted(Comparator.comparing(p -> pathBytes(directory.relativize(p)), Arrays::compareUnsigned))
          .toList();
    }
  }

  private static byte[] pathBytes(Path relative) {
    List<String> parts = new ArrayList<>();
    relative.forEach(part -> parts.add(part.toString()));
    return String.join("/", parts).getBytes(StandardCharsets.UTF_8);
  }
}
