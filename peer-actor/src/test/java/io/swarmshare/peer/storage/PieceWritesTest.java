package io.swarmshare.peer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.wire.PeerMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
  void theWriteOfAPiecesLastBlockFinishesAfterItsEarlierWritesAndThePieceVerifies() throws Exception {
    try (TorrentStorage storage = TorrentStorage.open(torrent.info, dir)) {
      PieceWrites writes = new PieceWrites(storage, disk);
      byte[] piece = torrent.piece(0);
      CompletableFuture<Void> first = writes.write(0, blocks(0, piece, 0, 1));
      writes.write(0, blocks(0, piece, 2, 3)).get(10, TimeUnit.SECONDS);
      assertThat(first).as("queued before the last").isCompleted();
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
      writes.write(last, blocks(last, piece, 2, 0));
      writes.write(last, blocks(last, piece, 1)).get(10, TimeUnit.SECONDS);
      assertThat(writes.verify(last).get(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aFailedWriteFailsThePiecesLaterWritesAndLeavesOtherPiecesAlone() throws Exception {
    Files.createDirectories(dir.resolve("f.bin"));   // a directory where the file should be: no write can land
    try (TorrentStorage storage = TorrentStorage.open(torrent.info, dir)) {
      PieceWrites writes = new PieceWrites(storage, disk);
      byte[] piece = torrent.piece(0);
      CompletableFuture<Void> failed = writes.write(0, blocks(0, piece, 0));
      CompletableFuture<Void> after = writes.write(0, blocks(0, piece, 1));
      assertThatThrownBy(() -> after.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
      assertThat(failed).isCompletedExceptionally();
    }
  }

  @Test
  void aPieceThatFailedItsCheckIsWrittenAgainInAFreshChain() throws Exception {
    try (TorrentStorage storage = TorrentStorage.open(torrent.info, dir)) {
      PieceWrites writes = new PieceWrites(storage, disk);
      byte[] good = torrent.piece(1);
      byte[] bad = good.clone();
      bad[3] ^= 1;
      writes.write(1, blocks(1, bad, 0, 1, 2, 3)).get(10, TimeUnit.SECONDS);
      assertThat(writes.verify(1).get(10, TimeUnit.SECONDS)).isFalse();
      assertThat(writes.checked(1)).isTrue();
      writes.write(1, blocks(1, good, 0, 1, 2, 3)).get(10, TimeUnit.SECONDS);
      assertThat(writes.verify(1).get(10, TimeUnit.SECONDS)).as("hashed afresh, not on top of the bad digest").isTrue();
    }
  }

  @Test
  void aCorruptBlockFailsTheCheck() throws Exception {
    try (TorrentStorage storage = TorrentStorage.open(torrent.info, dir)) {
      PieceWrites writes = new PieceWrites(storage, disk);
      byte[] piece = torrent.piece(1).clone();
      piece[BLOCK + 5] ^= 1;
      writes.write(1, blocks(1, piece, 0, 1, 2, 3)).get(10, TimeUnit.SECONDS);
      assertThat(writes.verify(1).get(10, TimeUnit.SECONDS)).isFalse();
    }
  }

  @Test
  void writesOfOnePieceRunInTheOrderTheyWereQueued() throws Exception {
    try (TorrentStorage storage = TorrentStorage.open(torrent.info, dir)) {
      PieceWrites writes = new PieceWrites(storage, disk);
      byte[] good = torrent.piece(0);
      byte[] bad = new byte[good.length];
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
  void aCheckItDidNotStartIsStale() throws IOException {
    try (TorrentStorage storage = TorrentStorage.open(torrent.info, dir)) {
      PieceWrites writes = new PieceWrites(storage, disk);
      assertThat(writes.checked(2)).isFalse();
    }
  }
}
