package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code share} and {@code get} as a user runs them: processes, a tracker, loopback. */
class ShareGetIT {

  static final Duration START = Duration.ofSeconds(60);

  @TempDir Path dir;

  private byte[] file(String name, int size) throws Exception {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    Files.write(dir.resolve(name), data);
    return data;
  }

  @Test
  void aSharedFileIsFetchedByNameAndTheHookRuns() throws Exception {
    byte[] data = file("holiday.mp4", 3_000_000);
    try (Background tracker = Background.start(dir, "tracker", "--host", "127.0.0.1", "--port", "0", "--data-dir", "t");
        Background seeder = startSeeder(tracker)) {
      String url = "udp://127.0.0.1:" + tracker.await(Background.TRACKER_UP, START).group(1) + "/announce";
      assertThat(seeder.await("published to the catalogue of (\\S+)", START).group(1)).isEqualTo(url);

      Cli.Result got = Cli.run(dir, "get", "holiday.mp4", "--tracker", url, "-o", "downloads", "--port", "0",
          "--exit-when-done", "--on-complete", "echo \"$SWARMSHARE_NAME $SWARMSHARE_INFO_HASH $SWARMSHARE_PATH\" > hook.txt")
          .succeeds();
      assertThat(got.out()).contains("done: holiday.mp4 verified");
      assertThat(Files.readAllBytes(dir.resolve("downloads/holiday.mp4"))).isEqualTo(data);
      String hook = Files.readString(dir.resolve("hook.txt")).trim();
      assertThat(hook).startsWith("holiday.mp4 ").endsWith(dir.resolve("downloads/holiday.mp4").toRealPath().toString());
      assertThat(hook.split(" ")[1]).matches("[0-9a-f]{40}");

      assertThat(seeder.stop(Duration.ofSeconds(30))).isIn(0, 143);
      assertThat(seeder.output()).as("share --quiet logs no INFO lines").doesNotContain(" INFO ");
    }
  }

  @Test
  void getExitsWithoutAShutdownWarningWhenItsTrackerHasFallenSilent() throws Exception {
    byte[] data = file("quiet.bin", 1_000_000);
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      String url = "udp://127.0.0.1:" + silent.getLocalPort() + "/announce";
      Cli.run(dir, "create", "quiet.bin", "--tracker", url, "-o", "quiet.torrent").succeeds();
      try (Background seeder = Background.start(dir, "share", "quiet.bin", "--torrent", "quiet.torrent", "--port", "0")) {
        String port = seeder.await("peer listening on \\S+:(\\d+)", START).group(1);
        Cli.Result got = Cli.run(dir, "get", "quiet.torrent", "--peer", "127.0.0.1:" + port, "-o", "downloads",
            "--port", "0", "--exit-when-done").succeeds();
        assertThat(Files.readAllBytes(dir.resolve("downloads/quiet.bin"))).isEqualTo(data);
        // Its stopped announce waits stop-announce-timeout, well inside the shutdown phase's own timeout.
        assertThat(got.out() + got.err()).doesNotContain("timed out").doesNotContain(" WARN ");
      }
    }
  }

  @Test
  void aMagnetLinkThatNoCatalogueHasIsFetchedFromItsPeers() throws Exception {
    byte[] data = file("magnet.bin", 2_000_000);
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      String url = "udp://127.0.0.1:" + silent.getLocalPort() + "/announce";
      Cli.run(dir, "create", "magnet.bin", "--tracker", url, "-o", "magnet.torrent").succeeds();
      try (Background seeder = Background.start(dir, "share", "magnet.bin", "--torrent", "magnet.torrent", "--port", "0")) {
        String port = seeder.await("peer listening on \\S+:(\\d+)", START).group(1);
        String magnet = seeder.await("(magnet:\\?\\S+)", START).group(1);
        Cli.Result got = Cli.run(dir, "get", magnet + "&x.pe=127.0.0.1:" + port, "-o", "downloads", "--port", "0",
            "--exit-when-done").succeeds();
        assertThat(got.out()).contains("from its peers").contains("done: magnet.bin verified");
        assertThat(Files.readAllBytes(dir.resolve("downloads/magnet.bin"))).isEqualTo(data);
      }
    }
    Cli.run(dir, "get", "magnet:?xt=urn:btih:" + "ab".repeat(20), "--port", "0")
        .failsWithOneLine("the magnet link names no tracker and no peer");
  }

  private Background startSeeder(Background tracker) throws Exception {
    String port = tracker.await(Background.TRACKER_UP, START).group(1);
    return Background.start(dir, "share", "holiday.mp4", "--tracker", "udp://127.0.0.1:" + port + "/announce",
        "--port", "0", "--data-dir", "torrents", "--quiet");
  }

  @Test
  void getExplainsWhatItCannotFetchInOneLine() throws Exception {
    file("x.bin", 1000);
    try (Background tracker = Background.start(dir, "tracker", "--host", "127.0.0.1", "--port", "0", "--data-dir", "t")) {
      String url = "udp://127.0.0.1:" + tracker.await(Background.TRACKER_UP, START).group(1) + "/announce";
      Cli.run(dir, "get", "nothing-like-this", "--tracker", url, "--port", "0")
          .failsWithOneLine("nothing named 'nothing-like-this' in the catalogue");
    }
    Cli.run(dir, "get", "x.bin", "--port", "0").failsWithOneLine("give --tracker URL");
    Cli.run(dir, "get", "x.bin", "--tracker", "ftp://example.org/announce", "--port", "0")
        .failsWithOneLine("ftp://example.org/announce");
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Cli.run(dir, "get", "x.bin", "--tracker", "http://127.0.0.1:" + closed + "/announce", "--port", "0")
        .failsWithOneLine("cannot reach the tracker");
    Cli.run(dir, "get", "missing.torrent", "--port", "0").failsWithOneLine("missing.torrent");
  }

  @Test
  void shareAndGetExplainBadInputInOneLine() throws Exception {
    file("y.bin", 1000);
    Cli.run(dir, "share", "no-such-file").failsWithOneLine("no-such-file: no such file or directory");
    Cli.run(dir, "create", "y.bin", "-o", "y.torrent").succeeds();
    try (ServerSocket taken = new ServerSocket(0)) {
      Cli.run(dir, "get", "y.torrent", "--port", String.valueOf(taken.getLocalPort()),
          "--tracker", "udp://127.0.0.1:9/announce").failsWithOneLine("cannot listen on TCP");
    }
    Files.writeString(dir.resolve("other.bin"), "not the same file");
    Cli.run(dir, "share", "other.bin", "--torrent", "y.torrent", "--port", "0")
        .failsWithOneLine("describes 'y.bin', but other.bin is named 'other.bin'");
  }
}
