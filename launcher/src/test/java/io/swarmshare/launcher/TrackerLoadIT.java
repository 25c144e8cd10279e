package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our tracker as a process under the load generator for 60 s: six 10 s rounds of 16 announces in
 * flight from the same 10,000 peers. Every round must be answered without an error, and the live
 * heap (after a full GC) must not grow once the peers are registered. The rates are printed, not
 * asserted: timing is for the benchmark.
 */
class TrackerLoadIT {

  static final int ROUNDS = 6;

  @TempDir Path dir;

  @Test
  void sixtySecondsOfAnnouncesAreAllAnsweredAndTheLiveHeapStaysFlat() throws Exception {
    // The whole load comes from 127.0.0.1: per-address limits raised to fit it, as bench/tracker.sh does.
    List<String> fit = List.of("swarmshare.tracker.per-address.max-peers=10000",
        "swarmshare.tracker.per-address.udp-rate=1000000000", "swarmshare.tracker.per-address.udp-burst=1000000000");
    try (Background tracker = Background.start(dir, fit, "tracker", "--host", "127.0.0.1", "--port", "0",
        "--data-dir", "tracker")) {
      String port = tracker.await(Background.TRACKER_UP, Duration.ofSeconds(60)).group(1);
      List<Long> liveHeapKiB = new ArrayList<>();
      for (int round = 1; round <= ROUNDS; round++) {
        Cli.Result load = Cli.exec(dir, List.of(java("java"), "-cp", Cli.jar().toAbsolutePath().toString(),
            "io.swarmshare.launcher.bench.TrackerLoad", "--port", port, "--window", "16", "--seconds", "10",
            "--warmup", "1", "--peers", "10000", "--torrents", "1000")).succeeds();
        String line = load.out().strip();
        assertThat(field(line, "errors")).as(line).isZero();
        assertThat(field(line, "announces")).as(line).isPositive();
        liveHeapKiB.add(liveHeapKiB(tracker.pid()));
        System.out.printf("round %d: %s live_heap_kib=%d%n", round, line, liveHeapKiB.get(round - 1));
      }
      // The first round registers the 10,000 peers; from then on they only announce again.
      assertThat(liveHeapKiB.get(ROUNDS - 1) - liveHeapKiB.get(1)).as("live heap growth (KiB) after round 2: %s",
          liveHeapKiB).isLessThan(16 * 1024);
    }
  }

  static long field(String line, String name) {
    Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(line);
    assertThat(m.find()).as(name + " in " + line).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** The tracker's heap in use after a full collection, as jcmd reports it. */
  static long liveHeapKiB(long pid) throws Exception {
    Cli.exec(Path.of("."), List.of(java("jcmd"), String.valueOf(pid), "GC.run")).succeeds();
    String info = Cli.exec(Path.of("."), List.of(java("jcmd"), String.valueOf(pid), "GC.heap_info")).succeeds().out();
    Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
    assertThat(used.find()).as(info).isTrue();
    return Long.parseLong(used.group(1));
  }

  static String java(String tool) {
    return Path.of(System.getProperty("java.home"), "bin", tool).toString();
  }
}
