package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code swarmshare swarm --config FILE}: a tracker, a seeder and leechers, each its own process; daemons among them. */
class SwarmCommandIT {

  @TempDir Path dir;

  /** A file of {@code size} random bytes from {@code seed} in the test's directory; its bytes. */
  private byte[] file(String name, int size, long seed) throws Exception {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    Files.write(dir.resolve(name), data);
    return data;
  }

  @Test
  void everyLeecherEndsWithAVerifiedCopyAndTheSummarySaysSo() throws Exception {
    byte[] data = file("clip.mp4", 3_000_000, 17);
    Files.writeString(dir.resolve("swarm.conf"), """
        swarm {
          timeout = 3 minutes
          nodes = [
            { name = tracker, roles = [tracker] }
            { name = seeder, share = ["clip.mp4"], swarmshare.peer.upload-limit = 1 MiB }
            { name = leecher-1, fetch = ["clip.mp4"] }
            { name = leecher-2, fetch = ["clip.mp4"] }
            { name = leecher-3, fetch = ["clip.mp4"] }
          ]
        }
        """);
    Cli.Result run = Cli.run(dir, "swarm", "--config", "swarm.conf", "--run-dir", "run").succeeds();
    assertThat(run.out()).contains("swarm: every fetching node has a verified copy");
    // Each leecher downloaded the whole file at least; endgame may fetch a few blocks twice, so more is fine.
    assertThat(run.out().lines().filter(l -> l.matches("leecher-\\d +(2\\.9|3\\.\\d) MiB .* verified")).count())
        .as("the summary of%n%s", run.out())
        .isEqualTo(3);
    for (int i = 1; i <= 3; i++) {
      assertThat(Files.readAllBytes(dir.resolve("run/leecher-" + i + "/data/clip.mp4"))).isEqualTo(data);
      assertThat(dir.resolve("run/leecher-" + i + "/node.log")).exists();
    }
  }

  @Test
  void nodesWithADaemonSectionRunAsDaemonsEachWithItsOwnRpcAndDataDirectory() throws Exception {
    byte[] data = file("song.ogg", 1_000_000, 19);
    Files.writeString(dir.resolve("daemons.conf"), """
        swarm {
          timeout = 3 minutes
          nodes = [
            { name = tracker, roles = [tracker] }
            { name = seeder, share = ["song.ogg"], swarmshare.daemon {} }
            { name = leecher, fetch = ["song.ogg"], swarmshare.daemon {} }
          ]
        }
        """);
    Cli.Result run = Cli.run(dir, "swarm", "--config", "daemons.conf", "--run-dir", "run").succeeds();
    assertThat(run.out()).contains("swarm: every fetching node has a verified copy");
    assertThat(Files.readAllBytes(dir.resolve("run/leecher/data/song.ogg"))).isEqualTo(data);
    for (String node : new String[] {"seeder", "leecher"}) {
      assertThat(Files.readString(dir.resolve("run/" + node + "/node.log")))
          .as("two daemons, so neither takes the RPC's default port").containsPattern("daemon up: RPC at "
              + "http://127\\.0\\.0\\.1:(?!9091/)\\d+/transmission/rpc, .* data in .*run/" + node + "/swarmshare-data");
      assertThat(dir.resolve("run/" + node + "/swarmshare-data/torrents")).isDirectory();
    }
  }

  @Test
  void aMistakeInANodeStopsTheRunBeforeAnyNodeStarts() throws Exception {
    Files.writeString(dir.resolve("bad.conf"), """
        swarm.nodes = [
          { name = tracker, roles = [tracker] }
          { name = leecher, fetch = ["x"], swarmshare.peer.prot = 1 }
        ]
        """);
    Cli.run(dir, "swarm", "--config", "bad.conf", "--run-dir", "run")
        .failsWithOneLine("unknown key swarmshare.peer.prot");
    assertThat(dir.resolve("run/tracker/node.log")).doesNotExist();
  }
}
