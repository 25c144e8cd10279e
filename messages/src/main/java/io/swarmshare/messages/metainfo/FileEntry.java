package io.swarmshare.messages.metainfo;

import java.util.List;

/**
 * One file of a torrent: its path relative to the torrent's directory (for a single-file torrent,
 * just the name) and its length in bytes. Paths are validated before they exist here, by
 * {@link TorrentNames}: no empty, {@code .} or {@code ..} components, separators, control
 * characters or components over 255 bytes, and no two paths that differ only in case.
 */
public record FileEntry(List<String> path, long length) {

  public FileEntry {
    path = List.copyOf(path);
  }

  /** The path joined with {@code /}, for display and sorting. */
  public String joinedPath() {
    return String.join("/", path);
  }
}
