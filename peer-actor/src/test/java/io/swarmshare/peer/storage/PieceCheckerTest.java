package io.swarmshare.peer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.metainfo.FileLayout.Segment;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is on disk at a start: trusted from resume data, skipped when a file is short, hashed otherwise. */
class PieceCheckerTest {

  @TempDir Path dir;

  /** Three files of 40,000, 30,000 and 50,000 bytes in pieces of 16 KiB: piece 2 spans f0 and sub/f1. */
  final TestTorrent torrent = TestTorrent.multi("album", 16384, 3, 40_000, 30_000, 50_000);

  @Test
  void unchangedFilesAreTrustedAndAChangedFileHasItsPiecesCheckedAgain() throws Exception {
    try (TorrentStorage storage = TorrentStorage.open(torrent.info, dir)) {
      for (int piece = 0; piece < torrent.pieces(); piece++) {
        torrent.writePiece(storage, piece, 16384);
      }
      Bitfield all = Bitfield.full(torrent.pieces());
      ResumeData saved = new ResumeData(all, storage.stamps());
      assertThat(saved.trusted(torrent.info, storage.stamps())).isEqualTo(all);
      PieceChecker checker = new PieceChecker(storage);
      assertThat(checker.needsCheck(all)).isFalse();

      // sub/f1 (bytes 40,000 to 70,000 of the torrent: pieces 2, 3 and 4) is touched.
      Path f1 = dir.resolve("album/sub/f1");
      Files.setLastModifiedTime(f1, FileTime.fromMillis(Files.getLastModifiedTime(f1).toMillis() + 5_000));
      Bitfield trusted = saved.trusted(torrent.info, storage.stamps());
      assertThat(setPieces(trusted)).containsExactly(0, 1, 5, 6, 7);
      assertThat(checker.needsCheck(trusted)).isTrue();
      PieceChecker.Check check = checker.checkExisting(trusted);
      assertThat(check.have()).isEqualTo(all);
      assertThat(check.hashedBytes()).as("pieces 2, 3 and 4 only").isEqualTo(3 * 16384);
    }
  }

  @Test
  void resumesWithExactlyThePiecesOnDiskAndNotACorruptedOne() throws IOException {
    TestTorrent t = TestTorrent.multi("t", 4096, 10, 10_000, 7000, 0, 12_000, 3000);
    int[] written = {0, 3, 4, 7};
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      for (int piece : written) {
        t.writePiece(storage, piece, 1500);
      }
    }

    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      assertThat(setPieces(new PieceChecker(storage).checkExisting(1))).containsExactly(written);
      assertThat(new PieceChecker(storage).checkExisting(4)).isEqualTo(new PieceChecker(storage).checkExisting(1));
    }

    // One byte of piece 3 flipped on disk.
    Segment s = t.info.layout().segments(t.info.pieceOffset(3) + 100, 1).get(0);
    flipByte(dir.resolve("t").resolve(String.join("/", t.info.files().get(s.fileIndex()).path())),
        s.fileOffset());
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      assertThat(storage.verify(3)).isFalse();
      assertThat(setPieces(new PieceChecker(storage).checkExisting())).containsExactly(0, 4, 7);
    }
  }

  @Test
  void skipsPiecesInATruncatedFile() throws IOException {
    TestTorrent t = TestTorrent.multi("t", 4096, 11, 10_000, 10_000);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      t.writeAll(storage, 4096, new Random(12));
      assertThat(new PieceChecker(storage).checkExisting()).isEqualTo(Bitfield.full(t.pieces()));
    }
    try (FileChannel f = FileChannel.open(dir.resolve("t/sub/f1"), StandardOpenOption.WRITE)) {
      f.truncate(5000); // torrent bytes 10,000 + 5,000 on are gone: pieces 3 and 4
    }
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      assertThat(setPieces(new PieceChecker(storage).checkExisting())).containsExactly(0, 1, 2);
      assertThat(storage.verify(4)).isFalse();
    }
  }

  @Test
  void checksOnSeveralThreadsWithTheSameAnswerAsOne() throws IOException {
    // 20 MiB in 256 KiB pieces: three 8 MiB batches, so three workers.
    int pieceLength = 256 << 10;
    TestTorrent t = TestTorrent.multi("big", pieceLength, 13, 7_000_000, 0, 6_000_000, 7_971_520);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      for (int piece = 0; piece < t.pieces(); piece++) {
        if (piece % 7 != 3) {
          t.writePiece(storage, piece, 1 << 20);
        }
      }
    }
    Segment s = t.info.layout().segments(t.info.pieceOffset(40) + 5, 1).get(0);
    flipByte(dir.resolve("big").resolve(String.join("/", t.info.files().get(s.fileIndex()).path())),
        s.fileOffset());

    int[] expected = IntStream.range(0, t.pieces()).filter(p -> p % 7 != 3 && p != 40).toArray();
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      assertThat(setPieces(new PieceChecker(storage).checkExisting(4))).containsExactly(expected);
      assertThat(setPieces(new PieceChecker(storage).checkExisting(1))).containsExactly(expected);
    }
  }

  @Test
  void resumeDataOnDiskIsTrustedWhereItsFilesAreUnchangedAndNoneOrBrokenIsNot(@TempDir Path state) throws Exception {
    try (TorrentStorage storage = TorrentStorage.open(torrent.info, dir)) {
      for (int piece = 0; piece < torrent.pieces(); piece++) {
        torrent.writePiece(storage, piece, 16384);
      }
      PieceChecker checker = new PieceChecker(storage);
      Path resume = state.resolve("album.resume");
      assertThat(checker.trusted(resume).isEmpty()).as("no resume data yet").isTrue();

      AtomicFile.write(resume, new ResumeData(Bitfield.full(torrent.pieces()), storage.stamps()).encode());
      assertThat(checker.trusted(resume)).isEqualTo(Bitfield.full(torrent.pieces()));
      Files.delete(dir.resolve("album/sub/deeper/f2"));
      assertThat(setPieces(checker.trusted(resume))).containsExactly(0, 1, 2, 3);

      Files.writeString(resume, "i42e");
      assertThatThrownBy(() -> checker.trusted(resume)).isInstanceOf(MalformedMessageException.class);
    }
  }

  static int[] setPieces(Bitfield bitfield) {
    return IntStream.range(0, bitfield.pieceCount()).filter(bitfield::get).toArray();
  }

  static void flipByte(Path file, long position) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(position);
      int b = f.read();
      f.seek(position);
      f.write(b ^ 0x01);
    }
  }
}
