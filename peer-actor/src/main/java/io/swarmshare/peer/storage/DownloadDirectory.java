package io.swarmshare.peer.storage;

import io.swarmshare.messages.metainfo.FileEntry;
import io.swarmshare.messages.metainfo.Info;
import java.io.IOException;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where one torrent's files live in its download directory, and the guard that nothing is read,
 * written, moved or deleted outside it. A single-file torrent's file is {@code DIR/NAME}, a
 * multi-file one's are under {@code DIR/NAME/<path...>}.
 *
 * <p>Tracks: per file the components of its path below the directory (checked when made: every
 * one a plain name, so that the joined path stays below it), and the directory's real path,
 * resolved on first use.
 *
 * <p>Whenever a file is reached, each existing component below the directory is examined without
 * following links, and a symbolic link, or anything but a directory on the way or a regular file
 * at the end, is refused with an {@link UnsafePathException}; a file is opened with {@code
 * O_NOFOLLOW}, and the real path of its parent must be where it should be. The download directory
 * itself may be a link: the user chose it.
 *
 * <p>Thread-safe: the only mutable state, the real path, is resolved under a lock.
 */
final class DownloadDirectory implements OpenFiles.Opener {

  private final Info info;
  private final Path directory;
  /** Per file: the components of its path below the download directory, the first the name. */
  private final List<List<String>> relativePaths;
  private final Object directoryLock = new Object();
  private Path realDirectory; // guarded by directoryLock

  /**
   * The files of {@code info} under {@code directory}. Touches nothing on disk.
   *
   * @throws UnsafePathException if the torrent's name or a path component is not a plain name
   */
  DownloadDirectory(Info info, Path directory) throws UnsafePathException {
    this.info = info;
    this.directory = directory.toAbsolutePath().normalize();
    List<FileEntry> files = info.files();
    List<List<String>> relative = new ArrayList<>(files.size());
    for (FileEntry entry : files) {
      List<String> parts = new ArrayList<>(entry.path().size() + 1);
      parts.add(info.name());
      if (!info.singleFile()) {
        parts.addAll(entry.path());
      }
      checkPath(parts);
      relative.add(List.copyOf(parts));
    }
    this.relativePaths = List.copyOf(relative);
  }

  /** The download directory, absolute. */
  Path directory() {
    return directory;
  }

  /** Where file {@code file} of the torrent lives (whether or not it exists yet). */
  @Override
  public Path path(int file) {
    Path path = directory;
    for (String part : relativePaths.get(file)) {
      path = path.resolve(part);
    }
    return path;
  }

  /** Opens a file for the cache of open files, after {@link #locate} has checked its path. */
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

  /** Per file, its size on disk, or -1 if it (or the download directory) does not exist. */
  long[] sizesOnDisk() throws IOException {
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

  /** Each file's size and modification time now, for resume data; {@link ResumeData.FileStamp#ABSENT} if missing. */
  List<ResumeData.FileStamp> stamps() throws IOException {
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
   * Deletes the torrent's files, and the directories of a multi-file torrent that are left
   * empty; nothing the torrent does not name. The caller closes the files first.
   */
  void delete() throws IOException {
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

  /**
   * Moves the files that exist into {@code target} (the same torrent's files in another
   * directory), keeping their times; a file already there is not overwritten. All or nothing: on
   * a failure the files moved so far go back, and the failure is thrown. The directories left
   * empty behind are removed. The caller closes the files first.
   */
  void moveTo(DownloadDirectory target) throws IOException {
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
}
