package io.swarmshare.peer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.swarmshare.messages.metainfo.FileEntry;
import io.swarmshare.messages.metainfo.Info;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Nothing is ever read, written, moved or deleted outside the download directory. */
class DownloadDirectoryTest {

  @TempDir Path dir;
  @TempDir Path outside;

  @Test
  void refusesAMultiFileTorrentWhoseDirectoryIsALinkOutside() throws IOException {
    TestTorrent t = TestTorrent.multi("t", 100, 1, 150, 50);
    Files.createSymbolicLink(dir.resolve("t"), outside);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      assertThatThrownBy(() -> storage.write(0, 0, ByteBuffer.wrap(t.piece(0))))
          .isInstanceOf(UnsafePathException.class)
          .hasMessage(dir.toRealPath().resolve("t")
              + ": is a symbolic link; refusing to follow it out of the download directory "
              + dir.toRealPath());
      assertThatThrownBy(() -> storage.verify(0)).isInstanceOf(UnsafePathException.class);
      assertThatThrownBy(() -> new PieceChecker(storage).checkExisting()).isInstanceOf(UnsafePathException.class);
      assertThatThrownBy(() -> storage.read(0, 0, 10)).isInstanceOf(UnsafePathException.class);
    }
    assertThat(Files.list(outside)).isEmpty();
  }

  @Test
  void refusesASingleFileThatIsALinkOutside() throws IOException {
    TestTorrent t = TestTorrent.single("s", 100, 150, 2);
    Path victim = outside.resolve("victim");
    Files.writeString(victim, "precious");
    Files.createSymbolicLink(dir.resolve("s"), victim);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      assertThatThrownBy(() -> storage.write(0, 0, ByteBuffer.wrap(t.piece(0))))
          .isInstanceOf(UnsafePathException.class)
          .hasMessageContaining("symbolic link");
      assertThatThrownBy(() -> storage.read(0, 0, 8)).isInstanceOf(UnsafePathException.class);
    }
    assertThat(victim).hasContent("precious");
  }

  @Test
  void refusesADanglingLinkWithoutCreatingItsTarget() throws IOException {
    TestTorrent t = TestTorrent.single("s", 100, 150, 3);
    Files.createSymbolicLink(dir.resolve("s"), outside.resolve("new"));
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      assertThatThrownBy(() -> storage.write(0, 0, ByteBuffer.wrap(t.piece(0))))
          .isInstanceOf(UnsafePathException.class);
      assertThatThrownBy(() -> new PieceChecker(storage).checkExisting()).isInstanceOf(UnsafePathException.class);
    }
    assertThat(Files.list(outside)).isEmpty();
  }

  @Test
  void refusesALinkedSubdirectoryDeeperDown() throws IOException {
    TestTorrent t = TestTorrent.multi("t", 100, 4, 50, 50, 50);
    Files.createDirectories(dir.resolve("t"));
    Files.createSymbolicLink(dir.resolve("t/sub"), outside);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      storage.write(0, 0, ByteBuffer.wrap(t.piece(0), 0, 50)); // f0, beside the link: fine
      assertThatThrownBy(() -> storage.write(0, 50, ByteBuffer.wrap(t.piece(0), 50, 50)))
          .isInstanceOf(UnsafePathException.class)
          .hasMessageStartingWith(dir.toRealPath().resolve("t/sub") + ": is a symbolic link");
    }
    assertThat(Files.list(outside)).isEmpty();
  }

  @Test
  void followsADownloadDirectoryThatIsItselfALink() throws IOException {
    // The user chose the download directory; a link there is theirs to make.
    TestTorrent t = TestTorrent.multi("t", 100, 5, 150, 50);
    Path link = dir.resolve("downloads");
    Files.createSymbolicLink(link, outside);
    try (TorrentStorage storage = TorrentStorage.open(t.info, link)) {
      t.writeAll(storage, 64, new Random(6));
      t.assertOnDisk(storage);
    }
    assertThat(outside.resolve("t/sub/f1")).isRegularFile();
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", ".", "", "a/b", "a\\b", "a\0b", "/etc"})
  void refusesATorrentNameThatIsNotAPlainName(String name) {
    Info info = new Info(name, 100, new byte[20], List.of(new FileEntry(List.of(name), 10)), true, false);
    assertThatThrownBy(() -> TorrentStorage.open(info, dir))
        .isInstanceOf(UnsafePathException.class)
        .hasMessageContaining("is not a plain file name")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\0"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", ".", "", "x/../..", "a\0b"})
  void refusesAFilePathComponentThatIsNotAPlainName(String component) {
    Info info = new Info("t", 100, new byte[20],
        List.of(new FileEntry(List.of("ok"), 5), new FileEntry(List.of("d", component), 5)), false, false);
    assertThatThrownBy(() -> TorrentStorage.open(info, dir))
        .isInstanceOf(UnsafePathException.class)
        .hasMessageStartingWith(dir + "/t/d/")
        .hasMessageContaining("is not a plain file name");
  }

  @Test
  void refusesSomethingOtherThanARegularFileWithoutHanging() throws Exception {
    Path fifo = dir.resolve("s");
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    } catch (IOException e) {
      assumeTrue(false, "no mkfifo here");
      return;
    }
    assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
    TestTorrent t = TestTorrent.single("s", 100, 150, 7);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      assertThatThrownBy(() -> storage.write(0, 0, ByteBuffer.wrap(t.piece(0))))
          .isInstanceOf(UnsafePathException.class)
          .hasMessage(dir.toRealPath().resolve("s") + ": is not a regular file");
      assertThatThrownBy(() -> storage.verify(0)).isInstanceOf(UnsafePathException.class);
    }
  }

  @Test
  void movesEveryFileOrNoneAndLeavesNoEmptyDirectoriesBehind() throws IOException {
    TestTorrent t = TestTorrent.multi("t", 100, 8, 150, 50, 70);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      t.writeAll(storage, 64, new Random(9));
    }
    Path target = outside.resolve("target");
    Files.createDirectories(target.resolve("t/sub/deeper"));
    Files.writeString(target.resolve("t/sub/deeper/f2"), "in the way");
    DownloadDirectory from = new DownloadDirectory(t.info, dir);
    assertThatThrownBy(() -> from.moveTo(new DownloadDirectory(t.info, target)))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(target.resolve("t/f0")).as("moved back").doesNotExist();
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      t.assertOnDisk(storage);
    }

    Files.delete(target.resolve("t/sub/deeper/f2"));
    from.moveTo(new DownloadDirectory(t.info, target));
    try (TorrentStorage storage = TorrentStorage.open(t.info, target)) {
      t.assertOnDisk(storage);
    }
    assertThat(dir.resolve("t")).doesNotExist();
  }

  @Test
  void deletesOnlyTheFilesTheTorrentNames() throws IOException {
    TestTorrent t = TestTorrent.multi("t", 100, 10, 150, 50);
    try (TorrentStorage storage = TorrentStorage.open(t.info, dir)) {
      t.writeAll(storage, 64, new Random(11));
    }
    Files.writeString(dir.resolve("t/sub/mine"), "not the torrent's");
    new DownloadDirectory(t.info, dir).delete();
    assertThat(dir.resolve("t/f0")).doesNotExist();
    assertThat(dir.resolve("t/sub/f1")).doesNotExist();
    assertThat(dir.resolve("t/sub/mine")).hasContent("not the torrent's");
  }
}
