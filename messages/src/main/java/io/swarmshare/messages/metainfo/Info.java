package io.swarmshare.messages.metainfo;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The {@code info} dictionary of a v1 torrent: what the info hash names. The piece hashes are the
 * concatenation of one 20-byte SHA-1 per piece. Immutable.
 */
public final class Info {

  public static final int HASH_LENGTH = 20;

  private final String name;
  private final int pieceLength;
  private final byte[] pieceHashes;
  private final List<FileEntry> files;
  private final boolean singleFile;
  private final boolean isPrivate;
  private final long totalLength;

  public Info(
      String name,
      int pieceLength,
      byte[] pieceHashes,
      List<FileEntry> files,
      boolean singleFile,
      boolean isPrivate) {
    this.name = name;
    this.pieceLength = pieceLength;
    this.pieceHashes = pieceHashes.clone();
    this.files = List.copyOf(files);
    this.singleFile = singleFile;
    this.isPrivate = isPrivate;
    this.totalLength = files.stream().mapToLong(FileEntry::length).sum();
  }

  public String name() {
    return name;
  }

  public int pieceLength() {
    return pieceLength;
  }

  public byte[] pieceHashes() {
    return pieceHashes.clone();
  }

  /** The files in torrent order; a single-file torrent has one, whose path is its name. */
  public List<FileEntry> files() {
    return files;
  }

  public boolean singleFile() {
    return singleFile;
  }

  public boolean isPrivate() {
    return isPrivate;
  }

  public long totalLength() {
    return totalLength;
  }

  public int pieceCount() {
    return pieceHashes.length / HASH_LENGTH;
  }

  public byte[] pieceHash(int piece) {
    Objects.checkIndex(piece, pieceCount());
    return Arrays.copyOfRange(pieceHashes, piece * HASH_LENGTH, (piece + 1) * HASH_LENGTH);
  }

  /** Whether {@code hash} is the expected SHA-1 of {@code piece}, without copying. */
  public boolean pieceHashEquals(int piece, byte[] hash) {
    Objects.checkIndex(piece, pieceCount());
    int from = piece * HASH_LENGTH;
    return Arrays.equals(pieceHashes, from, from + HASH_LENGTH, hash, 0, hash.length);
  }

  /** The length of {@code piece}: the piece length, except for a shorter last piece. */
  public int pieceSize(int piece) {
    Objects.checkIndex(piece, pieceCount());
    return (int) Math.min(pieceLength, totalLength - (long) piece * pieceLength);
  }

  /** The torrent offset of the first byte of {@code piece}. */
  public long pieceOffset(int piece) {
    Objects.checkIndex(piece, pieceCount());
    return (long) piece * pieceLength;
  }

  public FileLayout layout() {
    return new FileLayout(files);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Info other
        && name.equals(other.name)
        && pieceLength == other.pieceLength
        && Arrays.equals(pieceHashes, other.pieceHashes)
        && files.equals(other.files)
        && singleFile == other.singleFile
        && isPrivate == other.isPrivate;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, pieceLength, Arrays.hashCode(pieceHashes), files, singleFile, isPrivate);
  }

  @Override
  public String toString() {
    return "Info[" + name + ", " + pieceCount() + " pieces of " + pieceLength + ", "
        + files.size() + " files]";
  }
}
