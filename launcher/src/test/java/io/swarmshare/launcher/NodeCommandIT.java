package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code swarmshare node --config FILE}: nodes built from configuration, and what a bad file gets. */
class NodeCommandIT {

  static final Duration START = Duration.ofSeconds(60);

  @TempDir Path dir;

  private Path conf(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void aTrackerAndSeederNodeAndAFetchingNodeShareAFile() throws Exception {
    byte[] data = new byte[1_500_000];
    new Random(11).nextBytes(data);
    Files.createDirectories(dir.resolve("alice-files"));
    Files.write(dir.resolve("alice-files/film.mkv"), data);
    conf("alice.conf", """
        swarmshare.node {
          name = alice
          roles = [tracker, peer]
          trackers = ["udp://127.0.0.1:PORT/announce"]
          share = ["alice-files/film.mkv"]
        }
        swarmshare.tracker { host = "127.0.0.1", port = PORT, data-dir = "alice-tracker" }
        swarmshare.peer { host = "127.0.0.1", port = 0 }
        """.replace("PORT", String.valueOf(SwarmCommand.freeUdpAndTcpPort())));
    String tracker = Files.readString(dir.resolve("alice.conf")).replaceAll("(?s).*trackers = \\[\"([^\"]+)\"].*", "$1");
    conf("bob.conf", """
        swarmshare.node {
          name = bob
          data-dir = "bob-files"
          trackers = ["%s"]
          fetch = ["film.mkv"]
        }
        swarmshare.peer { host = "127.0.0.1", port = 0 }
        """.formatted(tracker));
    try (Background alice = Background.start(dir, "node", "--config", "alice.conf")) {
      alice.await("alice: up", START);
      assertThat(alice.output()).contains("published to the catalogue");
      assertThat(Files.isDirectory(dir.resolve("alice-tracker"))).as("paths are relative to the file").isTrue();
      try (Background bob = Background.start(dir, "node", "--config", "bob.conf")) {
        bob.await("bob: done: film.mkv verified", START);
        assertThat(Files.readAllBytes(dir.resolve("bob-files/film.mkv"))).isEqualTo(data);
        assertThat(bob.stop(Duration.ofSeconds(30))).isIn(0, 143);
      }
      assertThat(alice.stop(Duration.ofSeconds(30))).isIn(0, 143);
    }
  }

  @Test
  void aBadFileIsOneLineWithTheFileTheLineAndTheKey() throws Exception {
    conf("unknown.conf", "swarmshare.node.name = x\nswarmshare.peer {\n  prot = 7000\n}\n");
    Cli.run(dir, "node", "--config", "unknown.conf").failsWithOneLine("unknown.conf:3: unknown key swarmshare.peer.prot");
    conf("type.conf", "swarmshare.peer.port = seven\n");
    Cli.run(dir, "node", "--config", "type.conf")
        .failsWithOneLine("type.conf:1: swarmshare.peer.port: expected a number, got 'seven'");
    conf("duration.conf", "\nswarmshare.peer.idle-timeout = soon\n");
    Cli.run(dir, "node", "--config", "duration.conf")
        .failsWithOneLine("duration.conf:2: swarmshare.peer.idle-timeout: expected a duration such as 10 s");
    conf("syntax.conf", "swarmshare.node {\n  name = \n");
    Cli.run(dir, "node", "--config", "syntax.conf").failsWithOneLine("syntax.conf:");
    conf("role.conf", "swarmshare.node.roles = [seeder]\n");
    Cli.run(dir, "node", "--config", "role.conf").failsWithOneLine("'seeder' is not a role");
    Cli.run(dir, "node", "--config", "missing.conf").failsWithOneLine("missing.conf: no such file or directory");
  }
}
