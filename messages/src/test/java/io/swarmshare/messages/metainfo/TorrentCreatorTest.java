package io.swarmshare.messages.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorrentCreatorTest {

  @TempDir Path dir;

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] sha1(byte[] data, int from, int to) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-1");
    md.update(data, from, to - from);
    return md.digest();
  }

  @Test
  void hashesEveryPieceOfASingleFile() throws Exception {
    byte[] data = random(100_000, 1);
    Path file = Files.write(dir.resolve("data.bin"), data);
    Metainfo m = TorrentCreator.of(file).pieceLength(32768).creationDate(Optional.empty()).create();
    Info info = m.info();
    assertThat(info.name()).isEqualTo("data.bin");
    assertThat(info.singleFile()).isTrue();
    assertThat(info.pieceCount()).isEqualTo(4);
    for (int p = 0; p < 4; p++) {
      assertThat(info.pieceHash(p)).isEqualTo(sha1(data, p * 32768, Math.min(data.length, (p + 1) * 32768)));
    }
    assertThat(MetainfoParser.parse(m.encode())).isEqualTo(m);
  }

  @Test
  void writesExactlyTheKeysMktorrentWritesForOneFile() throws Exception {
    Path file = Files.write(dir.resolve("f"), random(20000, 2));
    Metainfo m = TorrentCreator.of(file).pieceLength(16384).create();
    String info = new String(m.infoBytes(), StandardCharsets.ISO_8859_1);
    assertThat(info).startsWith("d6:lengthi20000e4:name1:f12:piece lengthi16384e6:pieces40:");
    assertThat(m.infoBytes()).hasSize("d6:lengthi20000e4:name1:f12:piece lengthi16384e6:pieces40:".length() + 40 + 1);
  }

  @Test
  void laysOutADirectoryInPathOrderWithPiecesAcrossFiles() throws Exception {
    Path root = Files.createDirectories(dir.resolve("album"));
    byte[] a = random(10_000, 3);
    byte[] b = random(30_000, 4);
    byte[] c = random(5, 5);
    Files.createDirectories(root.resolve("sub"));
    Files.write(root.resolve("sub/b.bin"), b);
    Files.write(root.resolve("a.bin"), a);
    Files.write(root.resolve("sub-c.bin"), c);
    Files.write(root.resolve("empty"), new byte[0]);
    Metainfo m = TorrentCreator.of(root).pieceLength(16384).create();
    // "sub-c.bin" sorts before "sub/b.bin": '-' is 0x2d and '/' is 0x2f.
    assertThat(m.info().files()).extracting(FileEntry::joinedPath)
        .containsExactly("a.bin", "empty", "sub-c.bin", "sub/b.bin");
    byte[] all = new byte[a.length + c.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(c, 0, all, a.length, c.length);
    System.arraycopy(b, 0, all, a.length + c.length, b.length);
    for (int p = 0; p < m.info().pieceCount(); p++) {
      assertThat(m.info().pieceHash(p))
          .isEqualTo(sha1(all, p * 16384, Math.min(all.length, (p + 1) * 16384)));
    }
  }

  @Test
  void givesTheSameHashesOnAnyNumberOfThreads() throws Exception {
    Path file = Files.write(dir.resolve("big"), random(3_000_000, 6));
    byte[] one = TorrentCreator.of(file).pieceLength(16384).threads(1).create().info().pieceHashes();
    byte[] four = TorrentCreator.of(file).pieceLength(16384).threads(4).create().info().pieceHashes();
    assertThat(Arrays.equals(one, four)).isTrue();
  }

  @Test
  void putsEachTrackerInItsOwnTier() throws Exception {
    Path file = Files.write(dir.resolve("f"), random(100, 7));
    Metainfo one = TorrentCreator.of(file).trackers(List.of("udp://a:1/announce")).create();
    assertThat(one.announce()).contains("udp://a:1/announce");
    assertThat(one.announceList()).isEmpty();
    Metainfo two = TorrentCreator.of(file).trackers(List.of("udp://a:1/announce", "http://b:2/announce")).create();
    assertThat(two.announceList()).containsExactly(List.of("udp://a:1/announce"), List.of("http://b:2/announce"));
  }

  @Test
  void choosesAPieceLengthAimingAtAThousandToTwoThousandPieces() {
    assertThat(TorrentCreator.defaultPieceLength(1)).isEqualTo(16384);
    assertThat(TorrentCreator.defaultPieceLength(2000L * 16384)).isEqualTo(16384);
    assertThat(TorrentCreator.defaultPieceLength(2000L * 16384 + 1)).isEqualTo(32768);
    assertThat(TorrentCreator.defaultPieceLength(4L << 30)).isEqualTo(4 << 20);
    assertThat(TorrentCreator.defaultPieceLength(1L << 50)).isEqualTo(16 << 20);
    for (long size = 40L << 20; size < (30L << 30); size = size * 3 / 2) {
      long pieces = (size + TorrentCreator.defaultPieceLength(size) - 1) / TorrentCreator.defaultPieceLength(size);
      assertThat(pieces).isBetween(1000L, 2000L);
    }
  }

  @Test
  void refusesBadInput() throws IOException {
    assertThatThrownBy(() -> TorrentCreator.of(dir.resolve("missing")).create())
        .isInstanceOf(NoSuchFileException.class);
    Path empty = Files.createDirectories(dir.resolve("nothing"));
    assertThatThrownBy(() -> TorrentCreator.of(empty).create())
        .isInstanceOf(IOException.class).hasMessageContaining("holds no data");
    Path file = Files.write(dir.resolve("f"), new byte[10]);
    assertThatThrownBy(() -> TorrentCreator.of(file).pieceLength(1000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
    assertThatThrownBy(() -> TorrentCreator.of(file).pieceLength(32 << 20))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesFileNamesThatNoTorrentMayHold() throws IOException {
    Path root = Files.createDirectories(dir.resolve("r"));
    Files.write(root.resolve("back\\slash"), new byte[10]);
    assertThatThrownBy(() -> TorrentCreator.of(root).create())
        .hasMessageContaining("contains a path separator");
  }

  @Test
  void refusesFilesWhoseNamesHoldControlCharacters() throws IOException {
    Path root = Files.createDirectories(dir.resolve("ctl"));
    Files.write(root.resolve("title\u001b[2J.txt"), new byte[10]);
    assertThatThrownBy(() -> TorrentCreator.of(root).create())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("a component contains the control character U+001B");
    Path named = Files.write(dir.resolve("bell\u0007"), new byte[10]);
    assertThatThrownBy(() -> TorrentCreator.of(named).create())
        .hasMessageContaining("the name contains the control character U+0007");
  }

  @Test
  void refusesFilesThatACaseInsensitiveFileSystemWouldTakeForOne() throws IOException {
    Path root = Files.createDirectories(dir.resolve("case"));
    Files.createDirectories(root.resolve("Docs"));
    Files.createDirectories(root.resolve("docs"));
    Files.write(root.resolve("Docs/A.txt"), new byte[10]);
    Files.write(root.resolve("docs/b.txt"), new byte[10]);
    assertThat(TorrentCreator.of(root).create().info().files()).hasSize(2);
    Files.write(root.resolve("docs/a.txt"), new byte[10]);
    assertThatThrownBy(() -> TorrentCreator.of(root).create())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("file 'docs/a.txt' and file 'Docs/A.txt' differ only in case");
  }
}
