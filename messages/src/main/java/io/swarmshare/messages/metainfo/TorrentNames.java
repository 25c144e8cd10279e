package io.swarmshare.messages.metainfo;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a torrent's name and the components of its paths may be, so that each lands as itself
 * under the download directory on any common file system: not empty, not {@code .} or {@code ..},
 * no separator, no control character (C0, DEL, C1), at most {@link #MAX_NAME_BYTES} bytes of
 * UTF-8; and no two paths that one case-insensitive file system would take for the same.
 * Read by {@link MetainfoParser} and {@link TorrentCreator}. The reasons quote names as they are:
 * whoever prints one escapes it (MalformedMessageException does).
 */
public final class TorrentNames {

  /** The longest name ext4, XFS, APFS and NTFS all take (NTFS counts 255 UTF-16 units). */
  public static final int MAX_NAME_BYTES = 255;

  private TorrentNames() {}

  /** Why {@code name} cannot be a torrent's name or a path component, if it cannot. */
  static Optional<String> problem(String name) {
    if (name.isEmpty()) {
      return Optional.of("is empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        return Optional.of(String.format("contains the control character U+%04X", (int) c));
      }
    }
    if (name.equals(".") || name.equals("..")) {
      return Optional.of("is '" + name + "', which would leave the torrent's directory");
    }
    if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
      return Optional.of("'" + name + "' contains a path separator");
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_NAME_BYTES) {
      return Optional.of(
          "is " + bytes + " bytes of UTF-8, more than the " + MAX_NAME_BYTES + " a name may have");
    }
    return Optional.empty();
  }

  /**
   * The name a case-insensitive file system would see: canonically composed (NFC, as macOS
   * compares) and case-folded (upper then lower case, which folds {@code ß} with {@code ss} too).
   */
  static String folded(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFC)
        .toUpperCase(Locale.ROOT)
        .toLowerCase(Locale.ROOT);
  }

  /**
   * The paths of a torrent's files, added one by one, to find two that would collide: the same
   * path twice, a file where another path needs a directory, or two that differ only in case
   * (directories that differ only in case merge, which loses nothing). Walked component by
   * component, in time linear in each path's length.
   */
  static final class Paths {

    private final Node root = new Node(null, null, false);

    /** The collision {@code path} (called {@code where}) makes with a path added before, if any. */
    Optional<String> add(String where, List<String> path) {
      Node directory = root;
      for (int k = 0; k < path.size(); k++) {
        boolean last = k == path.size() - 1;
        String key = folded(path.get(k));
        Node existing = directory.children.get(key);
        if (existing == null) {
          Node created = new Node(where, path, last);
          directory.children.put(key, created);
          directory = created;
        } else if (!last && !existing.file) {
          directory = existing;
        } else {
          return Optional.of(collision(where, path, k, existing));
        }
      }
      return Optional.empty();
    }

    private static String collision(String where, List<String> path, int k, Node existing) {
      String mine = where + " '" + joined(path) + "'";
      if (!path.subList(0, k + 1).equals(existing.path.subList(0, k + 1))) {
        return mine + " and " + existing.where + " '" + joined(existing.path)
            + "' differ only in case, so a case-insensitive file system would take them for one";
      }
      if (existing.file) {
        return k == path.size() - 1
            ? mine + " is used twice"
            : mine + " is inside '" + joined(path.subList(0, k + 1)) + "', which is a file";
      }
      return mine + " is used twice";
    }

    private static String joined(List<String> path) {
      return String.join("/", path);
    }

    /** A file or directory: the first path that named it, and what a directory holds. */
    private static final class Node {
      final String where;
      final List<String> path;
      final boolean file;
      final Map<String, Node> children;

      Node(String where, List<String> path, boolean file) {
        this.where = where;
        this.path = path;
        this.file = file;
        this.children = file ? Map.of() : new HashMap<>();
      }
    }
  }
}
