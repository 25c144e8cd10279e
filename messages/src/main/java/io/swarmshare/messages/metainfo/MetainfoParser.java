package io.swarmshare.messages.metainfo;

import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.bencode.BDict;
import io.swarmshare.messages.bencode.BInteger;
import io.swarmshare.messages.bencode.BList;
import io.swarmshare.messages.bencode.BString;
import io.swarmshare.messages.bencode.BValue;
import io.swarmshare.messages.bencode.BencodeDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and validates a v1 .torrent. Everything a peer later trusts is checked here: sizes are
 * positive and consistent with the piece hashes, and every path stays inside the torrent's
 * directory (no empty, {@code .} or {@code ..} components, separators, NUL, or two files that
 * would land on one path). Errors name the field, e.g. {@code info.files[2].path[0]}.
 */
public final class MetainfoParser {

  /** Larger pieces than this are not used by any real client, and each costs a buffer. */
  public static final int MAX_PIECE_LENGTH = 256 * 1024 * 1024;

  /** Real torrents are well under a few MiB; larger files are refused before being read. */
  public static final int MAX_TORRENT_SIZE = 32 * 1024 * 1024;

  private MetainfoParser() {}

  /** Reads and parses a .torrent file, refusing one larger than {@link #MAX_TORRENT_SIZE}. */
  public static Metainfo read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_TORRENT_SIZE) {
      throw new MalformedMessageException(
          "invalid torrent: " + size + " bytes is larger than the " + MAX_TORRENT_SIZE + " a torrent may have");
    }
    return parse(Files.readAllBytes(file));
  }

  public static Metainfo parse(byte[] torrent) {
    BValue root = BencodeDecoder.decode(torrent);
    BDict top = dict(root, "the torrent");
    BValue infoValue = required(top, "info", "the torrent");
    Info info = parseInfo(dict(infoValue, "info"));
    BValue.Span span = infoValue.span().orElseThrow();
    byte[] infoBytes = new byte[span.length()];
    System.arraycopy(torrent, span.start(), infoBytes, 0, infoBytes.length);
    return new Metainfo(
        info,
        infoBytes,
        optionalText(top, "announce"),
        announceList(top),
        optionalText(top, "comment"),
        optionalText(top, "created by"),
        top.get("creation date").map(v -> instant(integer(v, "creation date"), "creation date")),
        urlList(top));
  }

  /**
   * The torrent for an info dictionary fetched from peers (BEP 9), whose bytes are kept exactly as
   * they came (they hashed to the magnet link's info hash), with the link's {@code trackers}, each
   * its own tier as a magnet link's are.
   */
  public static Metainfo fromMetadata(byte[] infoBytes, List<String> trackers) {
    if (infoBytes.length > MAX_TORRENT_SIZE) {
      throw invalid("invalid torrent: metadata of " + infoBytes.length + " bytes is larger than the "
          + MAX_TORRENT_SIZE + " a torrent may have");
    }
    Info info = parseInfo(dict(BencodeDecoder.decode(infoBytes), "info"));
    return new Metainfo(info, infoBytes.clone(), trackers.stream().findFirst(),
        trackers.size() > 1 ? trackers.stream().map(List::of).toList() : List.of(),
        Optional.empty(), Optional.empty(), Optional.empty(), List.of());
  }

  /** Validates an info dictionary on its own, as BEP 9 metadata exchange delivers it. */
  public static Info parseInfo(BDict dict) {
    String name = pathComponent(required(dict, "name", "info"), "info.name");
    long pieceLength = integer(required(dict, "piece length", "info"), "info.piece length");
    if (pieceLength <= 0 || pieceLength > MAX_PIECE_LENGTH) {
      throw invalid("info.piece length must be between 1 and " + MAX_PIECE_LENGTH + ", got " + pieceLength);
    }
    byte[] pieces = string(required(dict, "pieces", "info"), "info.pieces").bytes();
    if (pieces.length % Info.HASH_LENGTH != 0) {
      throw invalid("info.pieces is " + pieces.length + " bytes, not a multiple of 20");
    }
    boolean isPrivate = dict.get("private").map(v -> integer(v, "info.private") == 1).orElse(false);

    boolean hasLength = dict.containsKey("length");
    boolean hasFiles = dict.containsKey("files");
    if (hasLength == hasFiles) {
      throw invalid("info must have exactly one of 'length' (one file) or 'files' (several)");
    }
    List<FileEntry> files =
        hasLength
            ? List.of(new FileEntry(List.of(name), length(dict.get("length").orElseThrow(), "info.length")))
            : files(dict.get("files").orElseThrow());

    long total = 0;
    for (FileEntry f : files) {
      if (f.length() > Long.MAX_VALUE - total) {
        throw invalid("the files' lengths add up to more than 2^63 bytes");
      }
      total += f.length();
    }
    if (total == 0) {
      throw invalid("the torrent holds no data (total length 0)");
    }
    long expectedPieces = total / pieceLength + (total % pieceLength == 0 ? 0 : 1);
    if (expectedPieces != pieces.length / Info.HASH_LENGTH) {
      throw invalid(
          "info.pieces has " + pieces.length / Info.HASH_LENGTH + " hashes, but " + total
              + " bytes in pieces of " + pieceLength + " need " + expectedPieces);
    }
    return new Info(name, (int) pieceLength, pieces, files, hasLength, isPrivate);
  }

  private static List<FileEntry> files(BValue value) {
    List<BValue> items = list(value, "info.files").items();
    if (items.isEmpty()) {
      throw invalid("info.files is empty");
    }
    List<FileEntry> files = new ArrayList<>(items.size());
    TorrentNames.Paths paths = new TorrentNames.Paths();
    for (int i = 0; i < items.size(); i++) {
      String where = "info.files[" + i + "]";
      BDict file = dict(items.get(i), where);
      long length = length(required(file, "length", where), where + ".length");
      List<BValue> parts = list(required(file, "path", where), where + ".path").items();
      if (parts.isEmpty()) {
        throw invalid(where + ".path is empty");
      }
      List<String> path = new ArrayList<>(parts.size());
      for (int j = 0; j < parts.size(); j++) {
        path.add(pathComponent(parts.get(j), where + ".path[" + j + "]"));
      }
      Optional<String> collision = paths.add(where + ".path", path);
      if (collision.isPresent()) {
        throw invalid(collision.get());
      }
      files.add(new FileEntry(path, length));
    }
    return files;
  }

  /** A file or directory name that cannot lead anywhere but where it is put. */
  static String pathComponent(BValue value, String where) {
    String text =
        string(value, where).utf8().orElseThrow(() -> invalid(where + " is not valid UTF-8"));
    Optional<String> problem = TorrentNames.problem(text);
    if (problem.isPresent()) {
      throw invalid(where + " " + problem.get());
    }
    return text;
  }

  private static List<List<String>> announceList(BDict top) {
    Optional<BValue> value = top.get("announce-list");
    if (value.isEmpty()) {
      return List.of();
    }
    List<List<String>> tiers = new ArrayList<>();
    List<BValue> items = list(value.get(), "announce-list").items();
    for (int i = 0; i < items.size(); i++) {
      List<BValue> urls = list(items.get(i), "announce-list[" + i + "]").items();
      List<String> tier = new ArrayList<>();
      for (int j = 0; j < urls.size(); j++) {
        tier.add(text(urls.get(j), "announce-list[" + i + "][" + j + "]"));
      }
      if (!tier.isEmpty()) {
        tiers.add(tier);
      }
    }
    return tiers;
  }

  /** BEP 19 allows a single URL or a list of them. */
  private static List<String> urlList(BDict top) {
    Optional<BValue> value = top.get("url-list");
    if (value.isEmpty()) {
      return List.of();
    }
    if (value.get() instanceof BString) {
      String url = text(value.get(), "url-list");
      return url.isEmpty() ? List.of() : List.of(url);
    }
    List<BValue> items = list(value.get(), "url-list").items();
    List<String> urls = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      urls.add(text(items.get(i), "url-list[" + i + "]"));
    }
    return urls;
  }

  private static Optional<String> optionalText(BDict dict, String key) {
    return dict.get(key).map(v -> text(v, key));
  }

  private static BValue required(BDict dict, String key, String where) {
    return dict.get(key).orElseThrow(() -> invalid(where + " has no '" + key + "'"));
  }

  private static BDict dict(BValue value, String where) {
    if (value instanceof BDict d) {
      return d;
    }
    throw invalid(where + " must be a dictionary, got " + value.kind());
  }

  private static BList list(BValue value, String where) {
    if (value instanceof BList l) {
      return l;
    }
    throw invalid(where + " must be a list, got " + value.kind());
  }

  private static BString string(BValue value, String where) {
    if (value instanceof BString s) {
      return s;
    }
    throw invalid(where + " must be a string, got " + value.kind());
  }

  private static String text(BValue value, String where) {
    return string(value, where).utf8().orElseThrow(() -> invalid(where + " is not valid UTF-8"));
  }

  private static long integer(BValue value, String where) {
    if (value instanceof BInteger i) {
      return i.value();
    }
    throw invalid(where + " must be an integer, got " + value.kind());
  }

  /** Seconds since the epoch, within the range of {@link Instant}. */
  private static Instant instant(long seconds, String where) {
    if (seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
      throw invalid(where + " " + seconds + " is not a date (years -1000000000..1000000000)");
    }
    return Instant.ofEpochSecond(seconds);
  }

  private static long length(BValue value, String where) {
    long length = integer(value, where);
    if (length < 0) {
      throw invalid(where + " must not be negative, got " + length);
    }
    return length;
  }

  private static MalformedMessageException invalid(String message) {
    return new MalformedMessageException("invalid torrent: " + message);
  }
}
