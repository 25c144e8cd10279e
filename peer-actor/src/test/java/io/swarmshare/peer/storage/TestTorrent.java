package io.swarmshare.peer.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.metainfo.FileEntry;
import io.swarmshare.messages.metainfo.Info;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Random contents for a torrent and its Info, with real SHA-1s of those contents. */
final class TestTorrent {

  final Info info;
  final byte[] data;

  private TestTorrent(Info info, byte[] data) {
    this.info = info;
    this.data = data;
  }

  static TestTorrent single(String name, int pieceLength, int length, long seed) {
    byte[] data = randomBytes(length, seed);
    return new TestTorrent(
        new Info(name, pieceLength, hashes(data, pieceLength), List.of(new FileEntry(List.of(name), length)),
            true, false),
        data);
  }

  /** Files f0, sub/f1, sub/deeper/f2, f3, ... of the given lengths. */
  static TestTorrent multi(String name, int pieceLength, long seed, long... lengths) {
    List<FileEntry> files = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      List<String> path = switch (i % 3) {
        case 0 -> List.of("f" + i);
        case 1 -> List.of("sub", "f" + i);
        default -> List.of("sub", "deeper", "f" + i);
      };
      files.add(new FileEntry(path, lengths[i]));
    }
    return multi(name, pieceLength, seed, files);
  }

  static TestTorrent multi(String name, int pieceLength, long seed, List<FileEntry> files) {
    long total = files.stream().mapToLong(FileEntry::length).sum();
    byte[] data = randomBytes((int) total, seed);
    return new TestTorrent(new Info(name, pieceLength, hashes(data, pieceLength), files, false, false), data);
  }

  static byte[] randomBytes(int length, long seed) {
    byte[] data = new byte[length];
    new Random(seed).nextBytes(data);
    return data;
  }

  static byte[] hashes(byte[] data, int pieceLength) {
    int pieces = (data.length + pieceLength - 1) / pieceLength;
    byte[] hashes = new byte[pieces * Info.HASH_LENGTH];
    for (int i = 0; i < pieces; i++) {
      MessageDigest sha1 = sha1();
      sha1.update(data, i * pieceLength, Math.min(pieceLength, data.length - i * pieceLength));
      System.arraycopy(sha1.digest(), 0, hashes, i * Info.HASH_LENGTH, Info.HASH_LENGTH);
    }
    return hashes;
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  int pieces() {
    return info.pieceCount();
  }

  byte[] piece(int piece) {
    int from = (int) info.pieceOffset(piece);
    return Arrays.copyOfRange(data, from, from + info.pieceSize(piece));
  }

  byte[] file(int index) {
    long from = 0;
    for (int i = 0; i < index; i++) {
      from += info.files().get(i).length();
    }
    return Arrays.copyOfRange(data, (int) from, (int) (from + info.files().get(index).length()));
  }

  /** The torrent offset of file {@code index}'s first byte. */
  long fileStart(int index) {
    long from = 0;
    for (int i = 0; i < index; i++) {
      from += info.files().get(i).length();
    }
    return from;
  }

  /** Writes {@code piece} in blocks of {@code blockSize} (the last one shorter), last block first. */
  void writePiece(TorrentStorage storage, int piece, int blockSize) throws IOException {
    byte[] bytes = piece(piece);
    List<Integer> begins = new ArrayList<>();
    for (int begin = 0; begin < bytes.length; begin += blockSize) {
      begins.add(begin);
    }
    Collections.reverse(begins);
    for (int begin : begins) {
      int length = Math.min(blockSize, bytes.length - begin);
      storage.write(piece, begin, ByteBuffer.wrap(bytes, begin, length));
    }
  }

  /** Writes every piece, in an order shuffled by {@code random}. */
  void writeAll(TorrentStorage storage, int blockSize, Random random) throws IOException {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < pieces(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    for (int piece : order) {
      writePiece(storage, piece, blockSize);
    }
  }

  /** Every file on disk is byte for byte the source. */
  void assertOnDisk(TorrentStorage storage) throws IOException {
    for (int i = 0; i < info.files().size(); i++) {
      Path path = storage.path(i);
      assertThat(path).as("file %d", i).isRegularFile();
      assertThat(Files.readAllBytes(path)).as("contents of %s", path).isEqualTo(file(i));
    }
  }
}
