package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code swarmshare daemon --watch-dir}: a .torrent dropped there is added and renamed .added, a
 * broken one renamed .invalid and named in the log, and one still being written is not read
 * half-written.
 */
class WatchDirIT {

  static final Duration START = DaemonIT.START;
  /**
   * How long a file must keep its size and time to be taken: the test writes a file's second half
   * within this long of seeing a look find the first half, which takes it milliseconds.
   */
  static final String WATCH_INTERVAL = "swarmshare.daemon.watch-interval=5s";

  @TempDir Path dir;

  /** A .torrent of a file of random bytes kept under downloads/, made by the create command; its bytes. */
  byte[] torrentFor(String name, int size) throws Exception {
    Path data = Files.createDirectories(dir.resolve("downloads")).resolve(name);
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    Files.write(data, bytes);
    Cli.run(dir, "create", data.toString(), "-o", name + ".torrent", "--piece-length", "65536").succeeds();
    return Files.readAllBytes(dir.resolve(name + ".torrent"));
  }

  List<String> names(DaemonIT.Rpc rpc) throws Exception {
    JsonNode torrents = rpc.call("{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"name\"]}}").path("torrents");
    List<String> names = new ArrayList<>();
    torrents.forEach(t -> names.add(t.path("name").asText()));
    return names;
  }

  @Test
  void droppedTorrentsAreAddedBrokenOnesSetAsideAndHalfWrittenOnesWaitedFor() throws Exception {
    byte[] dropped = torrentFor("dropped.bin", 300_000);
    byte[] slow = torrentFor("slow.bin", 200_000);
    Path watch = dir.resolve("watch");
    try (Background daemon = Background.start(dir, List.of(WATCH_INTERVAL), "daemon", "--verbose",
        "--data-dir", "state", "--download-dir", "downloads", "--port", "0", "--rpc-port", "0",
        "--watch-dir", "watch")) {
      String port = daemon.await(DaemonIT.UP, START).group(1);
      DaemonIT.Rpc rpc = new DaemonIT.Rpc(port);
      String remote = "http://127.0.0.1:" + port + "/transmission/rpc";
      assertThat(watch).isDirectory();

      Files.write(watch.resolve("dropped.torrent"), dropped);
      Files.writeString(watch.resolve("x.torrent"), "no bencode here");
      Files.writeString(watch.resolve("readme.txt"), "not a .torrent: left alone");
      Awaitility.await().atMost(START).until(() -> Files.exists(watch.resolve("dropped.torrent.added"))
          && Files.exists(watch.resolve("x.torrent.invalid")));
      assertThat(names(rpc)).containsExactly("dropped.bin");
      Awaitility.await().atMost(START).untilAsserted(() -> assertThat(
          Cli.run(dir, "remote", "--rpc", remote, "list").succeeds().out())
          .containsPattern("1\\s+100.0%\\s+seeding.*dropped\\.bin"));
      daemon.await("WARN .*watch-dir: x\\.torrent is not a torrent that can be added \\(invalid or corrupt torrent "
          + "file: .*\\); renamed x\\.torrent\\.invalid", START);
      assertThat(watch.resolve("readme.txt")).exists();

      // A slow writer: the first half, then, once a look has seen it, the second.
      int half = slow.length / 2;
      int from = daemon.lines();
      Files.write(watch.resolve("slow.torrent"), Arrays.copyOfRange(slow, 0, half));
      daemon.await("DEBUG .*watch-dir: settling .*slow\\.torrent \\(" + half + " bytes\\)", START, from);
      Files.write(watch.resolve("slow.torrent"), Arrays.copyOfRange(slow, half, slow.length),
          StandardOpenOption.APPEND);
      Awaitility.await().atMost(START).until(() -> Files.exists(watch.resolve("slow.torrent.added")));
      assertThat(watch.resolve("slow.torrent.invalid")).as("never taken half-written").doesNotExist();
      assertThat(watch.resolve("slow.torrent.added")).hasBinaryContent(slow);
      assertThat(names(rpc)).containsExactlyInAnyOrder("dropped.bin", "slow.bin");

      // The first torrent again, under another name: held already, renamed .added, said at INFO.
      Files.write(watch.resolve("again.torrent"), dropped);
      daemon.await("INFO .*watch-dir: again\\.torrent is dropped\\.bin \\([0-9a-f]{40}\\), which the daemon holds "
          + "already; renamed again\\.torrent\\.added", START);
      assertThat(watch.resolve("again.torrent.added")).exists();
      assertThat(names(rpc)).containsExactlyInAnyOrder("dropped.bin", "slow.bin");
      assertThat(daemon.output().lines().filter(l -> l.contains("WARN") && l.contains("watch-dir")))
          .as("one WARN line, for the broken file").singleElement().asString().contains("x.torrent");
      assertThat(daemon.stop(Duration.ofSeconds(30))).isIn(0, 143);
    }
  }
}
