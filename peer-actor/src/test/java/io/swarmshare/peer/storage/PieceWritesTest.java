package io.swarmshare.peer.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.wire.PeerMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PieceWritesTest {

  static final int BLOCK = 16384;

  @TempDir Path dir;
  final ExecutorService disk = Executors.newFixedThreadPool(2);
  final TestTorrent torrent = TestTorrent.single("f.bin", 4 * BLOCK, 10 * BLOCK + 100, 7);

  @AfterEach
  void stop() {
    disk.shutdownNow();
  }

  List<PeerMessage.Piece> blocks(int piece, byte[] bytes, int... indexes) {
    List<PeerMessage.Piece> out = new ArrayList<>();
    for (int i : indexes) {
      int begin = i * BLOCK;
      out.add(new PeerMessage.Piece(piece, begin, ByteBuffer.wrap(bytes, begin, Math.min(BLOCK, bytes.length - begin))));
    }
    return out;
  }

  @Test
  void aPieceIsReadyToVerifyOnlyWhenItsLastBlockArrivedAndEveryWriteIsDone() throws Exception {
    try (TorrentStorage storage = TorrentStorage.open(torrent.info, dir)) {
      PieceWrites writes = new PieceWrites(storage, disk);
      byte[] piece = torrent.piece(0);
      writes.accepted(0, false);
      writes.accepted(0, false);
      writes.write(0, blocks(0, piece, 0, 1)).get(10, TimeUnit.SECONDS);
      assertThat(writes.written(0, 2)).as("two of four blocks").isFalse();
      writes.accepted(0, false);
      writes.accepted(0, true);
      writes.write(0, blocks(0, piece, 2, 3)).get(10, TimeUnit.SECONDS);
      assertThat(writes.writing(0)).isTrue();
      assertThat(writes.written(0, 2)).isTrue();
      assertThat(writes.writing(0)).isFalse();
      assertThat(writes.verify(0).get(10, TimeUnit.SECONDS)).isTrue();
      assertThat(writes.checked(0)).isTrue();
      assertThat(writes.checked(0)).as("a second answer is stale").isFalse();
    }
  }

  @Test
  void blocksOutOfOrderAndTheShortLastPieceVerify() throws Exception {
    try (TorrentStorage storage = TorrentStorage.open(torrent.info, dir)) {
      PieceWrites writes = new PieceWrites(storage, disk);
      int last = torrent.pieces() - 1;
      byte[] piece = torrent.piece(last);
      writes.accepted(last, false);
      writes.accepted(last, false);
      writes.accepted(last, true);
      writes.write(last, blocks(last, piece, 2, 0));
      writes.write(last, blocks(last, piece, 1)).get(10, TimeUnit.SECONDS);
      assertThat(writes.written(last, 3)).isTrue();
      assertThat(writes.verify(last).get(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aCorruptBlockFailsTheCheck() throws Exception {
    try (TorrentStorage storage = TorrentStorage.open(torrent.info, dir)) {
      PieceWrites writes = new PieceWrites(storage, disk);
      byte[] piece = torrent.piece(1).clone();
      piece[BLOCK + 5] ^= 1;
      for (int i = 0; i < 4; i++) {
        writes.accepted(1, i == 3);
      }
      writes.write(1, blocks(1, piece, 0, 1, 2, 3)).get(10, TimeUnit.SECONDS);
      assertThat(writes.written(1, 4)).isTrue();
      assertThat(writes.verify(1).get(10, TimeUnit.SECONDS)).isFalse();
    }
  }

  @Test
  void writesOfOnePieceRunInTheOrderTheyWereQueued() throws Exception {
    try (TorrentStorage storage = TorrentStorage.open(torrent.info, dir)) {
      PieceWrites writes = new PieceWrites(storage, disk);
      byte[] good = torrent.piece(0);
      byte[] bad = new byte[good.length];
      for (int i = 0; i < 4; i++) {
        writes.accepted(0, false);
      }
      // The same block twice: the second (good) write must land last.
      writes.write(0, blocks(0, bad, 0, 1, 2, 3));
      writes.write(0, blocks(0, good, 0, 1, 2, 3)).get(10, TimeUnit.SECONDS);
      ByteBuffer read = storage.read(0, 0, good.length);
      byte[] bytes = new byte[read.remaining()];
      read.get(bytes);
      assertThat(bytes).isEqualTo(good);
    }
  }

  @Test
  void aWriteForAPieceItDoesNotExpectIsStale() throws IOException {
    try (TorrentStorage storage = TorrentStorage.open(torrent.info, dir)) {
      PieceWrites writes = new PieceWrites(storage, disk);
      assertThat(writes.writing(2)).isFalse();
      assertThat(writes.checked(2)).isFalse();
    }
  }
}
