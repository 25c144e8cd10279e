package io.swarmshare.peer.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.Bitfield;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class TorrentStoragePropertiesTest {

  /**
   * Any layout (empty files included), piece length, block size and write order: the files on
   * disk are the source, every piece verifies, and a fresh storage finds them all on resume.
   */
  @Property(tries = 150)
  void writingEveryPieceInAnyOrderReproducesTheFiles(
      @ForAll @Size(min = 1, max = 7) List<@IntRange(min = 0, max = 3000) Integer> lengths,
      @ForAll @IntRange(min = 1, max = 2048) int pieceLength,
      @ForAll @IntRange(min = 1, max = 700) int blockSize,
      @ForAll @IntRange(min = 1, max = 4) int maxOpenFiles,
      @ForAll long seed) throws IOException {
    long[] ls = lengths.stream().mapToLong(Integer::longValue).toArray();
    Assume.that(Stream.of(lengths.toArray(Integer[]::new)).mapToInt(Integer::intValue).sum() > 0);
    TestTorrent t = TestTorrent.multi("p", pieceLength, seed, ls);
    Path dir = Files.createTempDirectory("storage-property");
    try {
      try (TorrentStorage storage = TorrentStorage.open(t.info, dir, maxOpenFiles)) {
        t.writeAll(storage, blockSize, new Random(seed));
        t.assertOnDisk(storage);
        assertThat(storage.peakOpenChannelCount()).isLessThanOrEqualTo(maxOpenFiles);
      }
      try (TorrentStorage storage = TorrentStorage.open(t.info, dir, maxOpenFiles)) {
        assertThat(new PieceChecker(storage).checkExisting(2)).isEqualTo(Bitfield.full(t.pieces()));
        int piece = new Random(seed).nextInt(t.pieces());
        assertThat(TorrentStorageTest.bytes(storage.read(piece, 0, t.info.pieceSize(piece))))
            .isEqualTo(t.piece(piece));
      }
    } finally {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
