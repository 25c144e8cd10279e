package io.swarmshare.peer.storage;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * Storage refused a path because using it could read or write outside the download directory: a
 * torrent name or path component that is not a plain file name, a symbolic link on the way, or
 * something that is not a regular file where the torrent has a file. The message is one line,
 * {@code PATH: reason}.
 */
public final class UnsafePathException extends FileSystemException {

  private static final long serialVersionUID = 1L;

  public UnsafePathException(Path path, String reason) {
    super(path.toString(), null, reason);
  }

  public UnsafePathException(String path, String reason) {
    super(path, null, reason);
  }
}
