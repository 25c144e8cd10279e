package io.swarmshare.peer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.peer.storage.ResumeData.FileStamp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeDataTest {

  @TempDir Path dir;

  /** Three files of 40,000, 30,000 and 50,000 bytes in pieces of 16 KiB: piece 2 spans f0 and sub/f1. */
  final TestTorrent torrent = TestTorrent.multi("album", 16384, 3, 40_000, 30_000, 50_000);

  @Test
  void encodesAndDecodesWhatItHolds() {
    Bitfield verified = new Bitfield(torrent.pieces());
    verified.set(0);
    verified.set(5);
    ResumeData data = new ResumeData(verified, List.of(new FileStamp(40_000, 1), FileStamp.ABSENT,
        new FileStamp(50_000, 3)));
    assertThat(ResumeData.decode(data.encode(), torrent.info)).isEqualTo(data);
  }

  @Test
  void aVanishedFileIsNotTrusted() throws Exception {
    try (TorrentStorage storage = TorrentStorage.open(torrent.info, dir)) {
      for (int piece = 0; piece < torrent.pieces(); piece++) {
        torrent.writePiece(storage, piece, 16384);
      }
      ResumeData saved = new ResumeData(Bitfield.full(torrent.pieces()), storage.stamps());
      Files.delete(dir.resolve("album/sub/deeper/f2"));
      assertThat(pieces(saved.trusted(torrent.info, storage.stamps()))).containsExactly(0, 1, 2, 3);
    }
  }

  @Test
  void resumeDataOfAnotherTorrentOrBrokenBytesAreRefusedInOneLine() {
    ResumeData other = new ResumeData(new Bitfield(3), List.of(FileStamp.ABSENT));
    assertThatThrownBy(() -> ResumeData.decode(other.encode(), torrent.info))
        .isInstanceOf(MalformedMessageException.class).hasMessage("resume data for 3 pieces, not 8");
    byte[] good = new ResumeData(new Bitfield(8), List.of(FileStamp.ABSENT, FileStamp.ABSENT, FileStamp.ABSENT))
        .encode();
    assertThatThrownBy(() -> ResumeData.decode(Arrays.copyOf(good, good.length - 3), torrent.info))
        .isInstanceOf(MalformedMessageException.class).hasMessageStartingWith("resume data is not bencoded");
    assertThatThrownBy(() -> ResumeData.decode("i42e".getBytes(), torrent.info))
        .isInstanceOf(MalformedMessageException.class).hasMessage("resume data is not a dictionary");
  }

  @Test
  void anAtomicWriteReplacesTheFileWholeAndLeavesNoTemporaryFile() throws Exception {
    Path target = dir.resolve("state");
    AtomicFile.write(target, "one".getBytes());
    AtomicFile.write(target, "two".getBytes());
    assertThat(Files.readString(target)).isEqualTo("two");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  static List<Integer> pieces(Bitfield bits) {
    List<Integer> set = new java.util.ArrayList<>();
    for (int p = bits.nextSet(0); p >= 0; p = bits.nextSet(p + 1)) {
      set.add(p);
    }
    return set;
  }
}
