package io.swarmshare.peer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.metainfo.FileEntry;
import io.swarmshare.messages.metainfo.FileLayout.Segment;
import io.swarmshare.messages.metainfo.Info;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorrentStorageTest {

  @TempDir Path dir;

  @Test
  void writesASingleFileTorrentInRandomOrderByteForByte() throws IOException {
    TestTorrent t = TestTorrent.single("movie.bin", 16384, 100_000, 1);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      t.writeAll(storage, 5000, new Random(2));
      assertThat(storage.path(0)).isEqualTo(dir.resolve("movie.bin"));
      t.assertOnDisk(storage);
      for (int piece = 0; piece < t.pieces(); piece++) {
        assertThat(storage.verify(piece)).as("piece %d", piece).isTrue();
        assertThat(bytes(storage.read(piece, 0, t.info.pieceSize(piece)))).isEqualTo(t.piece(piece));
      }
    }
    assertThat(Files.list(dir)).containsExactly(dir.resolve("movie.bin"));
  }

  @Test
  void writesAMultiFileTorrentWithBlocksThatSpanFiles() throws IOException {
    TestTorrent t = TestTorrent.multi("album", 4096, 3, 3000, 1, 0, 20_000, 777, 0, 16384, 5);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      t.writeAll(storage, 1000, new Random(4));
      assertThat(storage.path(2)).isEqualTo(dir.resolve("album/sub/deeper/f2"));
      t.assertOnDisk(storage);
      for (int piece = 0; piece < t.pieces(); piece++) {
        assertThat(storage.verify(piece)).as("piece %d", piece).isTrue();
      }
      assertThat(new PieceChecker(storage).checkExisting()).isEqualTo(Bitfield.full(t.pieces()));
    }
  }

  @Test
  void splitsOneBlockAcrossThreeFiles() throws IOException {
    TestTorrent t = TestTorrent.multi("t", 16, 5, 4, 3, 5);
    assertThat(t.info.layout().segments(2, 8))
        .containsExactly(new Segment(0, 2, 2), new Segment(1, 0, 3), new Segment(2, 0, 3));
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      storage.write(0, 2, ByteBuffer.wrap(t.data, 2, 8));

      byte[] d = t.data;
      assertThat(Files.readAllBytes(storage.path(0))).containsExactly(0, 0, d[2], d[3]);
      assertThat(Files.readAllBytes(storage.path(1))).containsExactly(d[4], d[5], d[6]);
      assertThat(Files.readAllBytes(storage.path(2))).containsExactly(d[7], d[8], d[9]);
      assertThat(bytes(storage.read(0, 2, 8))).isEqualTo(Arrays.copyOfRange(d, 2, 10));
      assertThat(storage.verify(0)).isFalse();

      storage.write(0, 0, ByteBuffer.wrap(t.data, 0, 2));
      storage.write(0, 10, ByteBuffer.wrap(t.data, 10, 2));
      assertThat(storage.verify(0)).isTrue();
      t.assertOnDisk(storage);
    }
  }

  @Test
  void createsZeroLengthFilesWhenAWriteReachesThemAndOnRequest() throws IOException {
    // Empty files at the start, between two pieces' worth of data, side by side, and at the end.
    TestTorrent t = TestTorrent.multi("t", 8, 6, 0, 10, 0, 0, 10, 0);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      t.writePiece(storage, 0, 8); // bytes 0..8: the empty file at 0 and f1
      assertThat(storage.path(0)).isRegularFile();
      assertThat(storage.path(1)).isRegularFile();
      assertThat(storage.path(2)).doesNotExist();
      assertThat(storage.path(5)).doesNotExist();

      t.writeAll(storage, 3, new Random(7));
      t.assertOnDisk(storage);
      for (int empty : new int[] {0, 2, 3, 5}) {
        assertThat(Files.size(storage.path(empty))).isZero();
      }
      // A block over the boundary at which the empty files sit reads straight across them.
      assertThat(bytes(storage.read(1, 0, 8))).isEqualTo(t.piece(1));
    }

    // A resumed torrent whose pieces are all on disk writes nothing: createEmptyFiles fills in.
    Files.delete(dir.resolve("t/f3"));
    Files.delete(dir.resolve("t/sub/deeper/f5"));
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      assertThat(new PieceChecker(storage).checkExisting()).isEqualTo(Bitfield.full(t.pieces()));
      storage.createEmptyFiles();
      t.assertOnDisk(storage);
    }
  }

  @Test
  void createsEachFileOnlyWithItsFirstWriteAndNeverPreallocates() throws IOException {
    Path downloads = dir.resolve("downloads");
    TestTorrent t = TestTorrent.multi("t", 4096, 8, 5000, 5000, 5000);
    try (TorrentStorage storage = TorrentStorage.open(t.info, downloads)) {
      assertThat(downloads).doesNotExist();
      assertThat(storage.verify(0)).isFalse();
      assertThat(new PieceChecker(storage).checkExisting().isEmpty()).isTrue();
      assertThat(downloads).doesNotExist();

      t.writePiece(storage, 0, 16384);
      assertThat(storage.path(0)).isRegularFile();
      assertThat(Files.size(storage.path(0))).isEqualTo(4096);
      assertThat(storage.path(1)).doesNotExist();
      assertThat(storage.path(2)).doesNotExist();
      assertThat(storage.path(2).getParent()).doesNotExist();

      assertThat(storage.verify(0)).isTrue();
      assertThat(storage.verify(1)).isFalse(); // f0 is short, f1 missing
      assertThat(storage.verify(2)).isFalse();
      assertThatThrownBy(() -> storage.read(2, 0, 100))
          .isInstanceOf(NoSuchFileException.class)
          .hasMessageContaining(storage.path(1).toString());
      assertThatThrownBy(() -> storage.read(1, 0, 100))
          .isInstanceOf(EOFException.class)
          .hasMessageContaining(storage.path(0).toString());
    }
  }

  @Test
  void writesTheLastPieceAloneIntoASparseFileOfTheFullLength() throws IOException {
    TestTorrent t = TestTorrent.single("s", 16384, 50_000, 9);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      int last = t.pieces() - 1;
      t.writePiece(storage, last, 16384);
      assertThat(Files.size(storage.path(0))).isEqualTo(50_000);
      assertThat(storage.verify(last)).isTrue();
      assertThat(storage.verify(0)).isFalse(); // a hole reads as zeros, which do not hash right
      assertThat(new PieceChecker(storage).checkExisting().nextSet(0)).isEqualTo(last);
      assertThat(new PieceChecker(storage).checkExisting().cardinality()).isEqualTo(1);
    }
  }

  @Test
  void refusesBlocksOutsideTheirPiece() throws IOException {
    TestTorrent t = TestTorrent.single("s", 1000, 2500, 14); // pieces of 1000, 1000, 500
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      assertThatThrownBy(() -> storage.write(3, 0, ByteBuffer.allocate(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("piece 3 does not exist: 's' has 3 pieces");
      assertThatThrownBy(() -> storage.read(-1, 0, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("piece -1 does not exist");
      assertThatThrownBy(() -> storage.write(2, 400, ByteBuffer.allocate(101)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("block of 101 bytes at 400 does not fit in piece 2 of 500 bytes");
      assertThatThrownBy(() -> storage.write(0, -1, ByteBuffer.allocate(1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> storage.read(0, 0, -1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> storage.read(0, 999, 2))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> storage.read(0, Integer.MAX_VALUE, Integer.MAX_VALUE))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> storage.verify(3)).isInstanceOf(IllegalArgumentException.class);
      // Nothing was written by any of them.
      assertThat(dir.resolve("s")).doesNotExist();

      storage.write(2, 0, ByteBuffer.wrap(t.piece(2)));
      assertThat(storage.read(2, 500, 0).remaining()).isZero();
    }
  }

  @Test
  void leavesTheCallersBuffersWhereTheyWere() throws IOException {
    TestTorrent t = TestTorrent.multi("t", 100, 15, 30, 30, 40);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      ByteBuffer block = ByteBuffer.allocate(120);
      block.position(10).put(t.data, 0, 100).position(10).limit(110);
      storage.write(0, 0, block);
      assertThat(block.position()).isEqualTo(10);
      assertThat(block.limit()).isEqualTo(110);

      ByteBuffer into = ByteBuffer.allocateDirect(64);
      into.position(4).limit(54); // 50 bytes from byte 20 of the piece: f0, f1 and f2
      storage.read(0, 20, into);
      assertThat(into.position()).isEqualTo(54);
      assertThat(into.limit()).isEqualTo(54);
      into.position(4);
      byte[] got = new byte[50];
      into.get(got);
      assertThat(got).isEqualTo(Arrays.copyOfRange(t.data, 20, 70));
    }
  }

  @Test
  void refusesToWorkOnceClosed() throws IOException {
    TestTorrent t = TestTorrent.single("s", 100, 100, 16);
    TorrentStorage storage = TorrentStorage.open(t.info, dir);
    storage.write(0, 0, ByteBuffer.wrap(t.data));
    assertThat(storage.openChannelCount()).isEqualTo(1);
    storage.close();
    storage.close();
    assertThat(storage.openChannelCount()).isZero();
    assertThatThrownBy(() -> storage.read(0, 0, 10))
        .isInstanceOf(IOException.class)
        .hasMessage("the storage of 's' is closed");
  }

  @Test
  void reportsADirectoryWhereAFileShouldBeWithItsPath() throws IOException {
    TestTorrent t = TestTorrent.multi("t", 100, 17, 50, 50);
    Files.createDirectories(dir.resolve("t/sub/f1"));
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      assertThatThrownBy(() -> storage.write(0, 0, ByteBuffer.wrap(t.data)))
          .isInstanceOf(FileSystemException.class)
          .hasMessage(dir.resolve("t/sub/f1") + ": is a directory, where the torrent has a file");
      assertThatThrownBy(() -> new PieceChecker(storage).checkExisting()).isInstanceOf(FileSystemException.class);
    }
  }

  @Test
  void reportsAFileWhereADirectoryShouldBeWithItsPath() throws IOException {
    TestTorrent t = TestTorrent.multi("t", 100, 18, 50, 50);
    Files.createDirectories(dir.resolve("t"));
    Files.writeString(dir.resolve("t/sub"), "in the way");
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      assertThatThrownBy(() -> storage.write(0, 0, ByteBuffer.wrap(t.data)))
          .isInstanceOf(FileSystemException.class)
          .hasMessage(dir.resolve("t/sub") + ": is not a directory, but the torrent has files under it");
    }
  }

  @Test
  void keepsNoMoreFilesOpenThanAskedWithTwoHundredFiles() throws IOException {
    long[] lengths = new long[200];
    Arrays.fill(lengths, 1000);
    TestTorrent t = TestTorrent.multi("many", 4096, 19, lengths);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir, 8)) {
      t.writeAll(storage, 3000, new Random(20));
      for (int piece = 0; piece < t.pieces(); piece++) {
        assertThat(storage.verify(piece)).isTrue();
        assertThat(bytes(storage.read(piece, 0, t.info.pieceSize(piece)))).isEqualTo(t.piece(piece));
      }
      assertThat(new PieceChecker(storage).checkExisting(2)).isEqualTo(Bitfield.full(t.pieces()));
      t.assertOnDisk(storage);
      assertThat(storage.openChannelCount()).isEqualTo(8);
      assertThat(storage.peakOpenChannelCount()).isEqualTo(8);
      storage.close();
      assertThat(storage.openChannelCount()).isZero();
    }
  }

  @Test
  void writesVerifiesAndReadsDifferentPiecesFromSeveralThreads() throws Exception {
    long[] lengths = new Random(21).longs(60, 0, 3000).toArray();
    TestTorrent t = TestTorrent.multi("busy", 1024, 22, lengths);
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir, 3)) {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        int worker = w;
        workers.add(pool.submit(() -> {
          for (int piece = worker; piece < t.pieces(); piece += threads) {
            t.writePiece(storage, piece, 300);
            assertThat(storage.verify(piece)).as("piece %d", piece).isTrue();
            // Read back a piece another thread finished a while ago, if any.
            int other = piece - threads - 1;
            if (other >= 0 && storage.verify(other)) {
              assertThat(bytes(storage.read(other, 0, t.info.pieceSize(other)))).isEqualTo(t.piece(other));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : workers) {
        f.get(60, TimeUnit.SECONDS);
      }
      t.assertOnDisk(storage);
      assertThat(storage.peakOpenChannelCount()).isLessThanOrEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
  }

  static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  @Test
  void verifiesAPieceOf256MiBThroughABoundedBuffer(@TempDir Path dir) throws Exception {
    int pieceLength = 256 << 20;
    // A sparse file of zeros: a legal piece size, and no disk to speak of.
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("huge.bin").toFile(), "rw")) {
      f.setLength(pieceLength);
    }
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    byte[] zeros = new byte[1 << 20];
    for (int i = 0; i < pieceLength / zeros.length; i++) {
      sha1.update(zeros);
    }
    Info info = new Info("huge.bin", pieceLength, sha1.digest(),
        List.of(new FileEntry(List.of("huge.bin"), pieceLength)), true, false);
    try (TorrentStorage storage = TorrentStorage.open(info, dir)) {
      // A block that arrived out of order: the digest has hashed nothing, the whole piece is read back.
      PieceDigest digest = new PieceDigest();
      digest.written(16384, ByteBuffer.allocate(16384));
      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long before = threads.getCurrentThreadAllocatedBytes();
      assertThat(storage.verify(0, digest)).isTrue();
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      assertThat(allocated).as("bytes allocated to verify a 256 MiB piece").isLessThan(8L << 20);
    }
  }

}
