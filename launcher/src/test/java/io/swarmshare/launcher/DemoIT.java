package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code swarmshare demo}, the README's first command, as a newcomer runs it. */
class DemoIT {

  @TempDir Path dir;

  @Test
  void theDemoSwarmVerifiesEveryCopyAndExitsZero() throws Exception {
    Cli.Result demo = Cli.run(dir, "demo", "--size", "8M", "--dir", "run").succeeds();
    assertThat(demo.out()).contains("tracker   udp://127.0.0.1:", "demo: every copy is verified and byte-identical");
    assertThat(demo.out().lines().filter(l -> l.matches("leecher-\\d .*verified, byte-identical")).count())
        .isEqualTo(3);
    byte[] original = Files.readAllBytes(dir.resolve("run/seeder/sample.bin"));
    for (int i = 1; i <= 3; i++) {
      assertThat(Files.readAllBytes(dir.resolve("run/leecher-" + i + "/sample.bin"))).isEqualTo(original);
    }
    assertThat(demo.err()).as("quiet unless --verbose").doesNotContain(" INFO ");
  }

  @Test
  void verboseShowsTheNodesLogs() throws Exception {
    Cli.Result demo = Cli.run(dir, "demo", "--size", "2M", "--leechers", "1", "--verbose").succeeds();
    assertThat(demo.err()).contains(" INFO ", " DEBUG ", "download complete");
  }

  @Test
  void refusesNonsenseInOneLine() throws Exception {
    Cli.run(dir, "demo", "--leechers", "0").failsWithOneLine("--leechers 0 is outside 1..50");
  }
}
