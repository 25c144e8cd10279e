package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes killed with {@code kill -9} in the middle of a transfer, as real processes on loopback:
 * the rest of the swarm carries on and no byte is lost or fetched twice.
 */
class ProcessFaultIT {

  static final Duration START = Duration.ofSeconds(60);
  static final Duration TRANSFER = Duration.ofSeconds(180);
  /** A progress line of {@code get}, written every 5 s: the pieces verified so far. */
  static final String PROGRESS = "fault\\.bin: +[0-9.]+% \\((\\d+)/(\\d+) pieces";
  static final String DONE = "done: fault\\.bin verified";
  static final int SIZE = 12 << 20;
  static final int PIECE = 256 << 10;

  @TempDir Path dir;

  byte[] file() throws Exception {
    byte[] data = new byte[SIZE];
    new Random(11).nextBytes(data);
    Files.createDirectories(dir.resolve("seed"));
    Files.write(dir.resolve("seed/fault.bin"), data);
    Cli.run(dir, "create", "seed/fault.bin", "-o", "fault.torrent", "--piece-length", String.valueOf(PIECE))
        .succeeds();
    return data;
  }

  static Background tracker(Path dir, String port) throws Exception {
    return Background.start(dir, List.of("swarmshare.tracker.announce-interval=2s",
        "swarmshare.tracker.min-announce-interval=1s"), "tracker", "--host", "127.0.0.1", "--port", port,
        "--data-dir", "tracker");
  }

  /** A seeder of fault.bin whose upload is capped, so that a transfer lasts long enough to be cut. */
  Background seeder(String url, String name, String uploadLimit) throws Exception {
    Path seedDir = Files.createDirectories(dir.resolve(name));
    if (!Files.exists(seedDir.resolve("fault.bin"))) {
      Files.copy(dir.resolve("seed/fault.bin"), seedDir.resolve("fault.bin"));
    }
    Background seeder = Background.start(seedDir, "share", "fault.bin", "--torrent", "../fault.torrent",
        "--tracker", url, "--port", "0", "--data-dir", "torrents", "--upload-limit", uploadLimit);
    seeder.await("seeding fault\\.bin", START);
    return seeder;
  }

  /** Waits for a progress line that counts at least {@code pieces} verified; returns its count. */
  static int awaitVerified(Background leecher, int pieces) throws InterruptedException {
    int from = 0;
    while (true) {
      Matcher progress = leecher.await(PROGRESS, TRANSFER, from);
      int verified = Integer.parseInt(progress.group(1));
      if (verified >= pieces) {
        return verified;
      }
      from = leecher.lines();
    }
  }

  Background leecher(String url) throws Exception {
    return Background.start(dir, "get", "fault.torrent", "--tracker", url, "-o", "downloads", "--port", "0",
        "--exit-when-done");
  }

  @Test
  void aLeecherCompletesWhenOneOfItsTwoSeedersIsKilled() throws Exception {
    byte[] data = file();
    try (Background tracker = tracker(dir, "0")) {
      String url = "udp://127.0.0.1:" + tracker.await(Background.TRACKER_UP, START).group(1) + "/announce";
      try (Background doomed = seeder(url, "seed-a", "512 KiB"); Background survivor = seeder(url, "seed-b", "512 KiB");
          Background leecher = leecher(url)) {
        int before = awaitVerified(leecher, 1);
        assertThat(before).as("pieces verified when the seeder is killed").isLessThan(SIZE / PIECE);
        doomed.kill();

        leecher.await(DONE, TRANSFER);
        assertThat(leecher.exitCode(START)).isZero();
        assertThat(Files.readAllBytes(dir.resolve("downloads/fault.bin"))).isEqualTo(data);
      }
    }
  }

  @Test
  void aKilledLeecherRestartedOnItsDirectoryFetchesOnlyWhatItHadNotVerified() throws Exception {
    byte[] data = file();
    try (Background tracker = tracker(dir, "0")) {
      String url = "udp://127.0.0.1:" + tracker.await(Background.TRACKER_UP, START).group(1) + "/announce";
      try (Background seeder = seeder(url, "seed-a", "1 MiB")) {
        int verifiedBeforeKill;
        try (Background first = leecher(url)) {
          verifiedBeforeKill = awaitVerified(first, 1);
          first.kill();
        }
        assertThat(verifiedBeforeKill).isLessThan(SIZE / PIECE);

        try (Background second = leecher(url)) {
          Matcher found = second.await("fault\\.bin: (\\d+) of (\\d+) pieces on disk", START);
          int onDisk = Integer.parseInt(found.group(1));
          assertThat(onDisk).as("pieces found on disk").isGreaterThanOrEqualTo(verifiedBeforeKill);
          long fetched = Long.parseLong(second.await("download complete, (\\d+) bytes fetched", TRANSFER).group(1));
          assertThat(fetched).as("bytes fetched after the restart").isEqualTo(SIZE - (long) onDisk * PIECE);
          second.await(DONE, TRANSFER);
          assertThat(second.exitCode(START)).isZero();
        }
        assertThat(Files.readAllBytes(dir.resolve("downloads/fault.bin"))).isEqualTo(data);
      }
    }
  }

  @Test
  void transfersOutliveAKilledTrackerWhichGetsItsPeersAndCatalogueBack() throws Exception {
    byte[] data = file();
    Background tracker = tracker(dir, "0");
    try {
      String port = tracker.await(Background.TRACKER_UP, START).group(1);
      String url = "udp://127.0.0.1:" + port + "/announce";
      try (Background seeder = seeder(url, "seed-a", "512 KiB"); Background leecher = leecher(url)) {
        seeder.await("published to the catalogue of", START);
        awaitVerified(leecher, 1);
        tracker.kill();

        // The open connection carries on without the tracker: two progress lines later, more is verified.
        int mark = leecher.lines();
        int first = Integer.parseInt(leecher.await(PROGRESS, TRANSFER, mark).group(1));
        int second = Integer.parseInt(leecher.await(PROGRESS, TRANSFER, leecher.lines()).group(1));
        assertThat(second).as("pieces verified while the tracker is down").isGreaterThan(first);

        tracker = tracker(dir, port);
        tracker.await(Background.TRACKER_UP, START);
        // Both peers announce again (every 2 s here) and the catalogue was kept on disk. The new
        // tracker's counts are its own (soft state): two peers listed, or, when the leecher finished
        // first and its `get` stopped announcing, the seeder listed and the leecher's completion counted.
        Awaitility.await().atMost(TRANSFER).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          String listing = Cli.run(dir, "list", "--tracker", url).succeeds().out();
          Matcher row = Pattern.compile("fault\\.bin\\s+\\S+ \\S+\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)").matcher(listing);
          assertThat(row.find()).as(listing).isTrue();
          int listed = Integer.parseInt(row.group(1)) + Integer.parseInt(row.group(2));
          int completed = Integer.parseInt(row.group(3));
          assertThat(listed == 2 || listed == 1 && completed == 1).as(listing).isTrue();
        });
        leecher.await(DONE, TRANSFER);
        assertThat(leecher.exitCode(START)).isZero();
        assertThat(Files.readAllBytes(dir.resolve("downloads/fault.bin"))).isEqualTo(data);
      }
    } finally {
      tracker.close();
    }
  }
}
