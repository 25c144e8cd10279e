package io.swarmshare.peer.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that after a crash or a power cut at any moment it holds either the old bytes
 * or the new ones, never a mix or a stump: the bytes go to a temporary file beside it, are forced
 * to the disk, and the temporary file is renamed over the target; then the directory is forced,
 * so that the rename itself is durable.
 */
public final class AtomicFile {

  private AtomicFile() {}

  public static void write(Path target, byte[] bytes) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path directory = absolute.getParent();
    if (directory == null || !Files.isDirectory(directory)) {
      throw new NoSuchFileException(String.valueOf(directory), null, "no such directory");
    }
    Path temporary = Files.createTempFile(directory, "." + absolute.getFileName(), ".part");
    try {
      try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
    forceDirectory(directory);
  }

  /** Forces a directory's entries to disk; where a directory cannot be opened (not on Linux), it is left to the OS. */
  static void forceDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException notSupported) {
      // Some platforms cannot open a directory as a channel: the rename stands, durable later.
    }
  }
}
