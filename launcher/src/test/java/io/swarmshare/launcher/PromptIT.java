package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive prompt, driven through standard input as a script would drive it. */
class PromptIT {

  static final Duration START = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void listsFetchesReportsAndQuits() throws Exception {
    byte[] data = new byte[2_000_000];
    new Random(3).nextBytes(data);
    Files.write(dir.resolve("notes.pdf"), data);
    try (Background tracker = Background.start(dir, "tracker", "--host", "127.0.0.1", "--port", "0", "--data-dir", "t")) {
      String url = "udp://127.0.0.1:" + tracker.await("tracker up: udp://127\\.0\\.0\\.1:(\\d+)", START).group(1)
          + "/announce";
      try (Background seeder = Background.start(dir, "share", "notes.pdf", "--tracker", url, "--port", "0",
          "--data-dir", "torrents")) {
        seeder.await("published to the catalogue", START);
        Cli.Result session = Cli.runWithInput(dir, "list\nget notes.pdf\nwait\nstatus\nfrobnicate\nget\nquit\n",
            "prompt", "--tracker", url, "-o", "downloads", "--port", "0").succeeds();
        assertThat(session.out()).contains(
            "notes.pdf", "INFO HASH",                      // list
            "fetching notes.pdf",                           // get
            "done: notes.pdf verified",                     // the download's news
            "every download is complete",                   // wait
            "seeding",                                      // status
            "unknown command 'frobnicate'",
            "error: usage: get NAME");
        assertThat(Files.readAllBytes(dir.resolve("downloads/notes.pdf"))).isEqualTo(data);

        // The tracker and the download directory can come from a node file instead.
        Files.writeString(dir.resolve("me.conf"), "swarmshare.node { trackers = [\"" + url
            + "\"], data-dir = \"mine\" }\nswarmshare.peer.port = 0\n");
        Cli.runWithInput(dir, "get notes.pdf\nwait\nquit\n", "prompt", "--config", "me.conf").succeeds();
        assertThat(Files.readAllBytes(dir.resolve("mine/notes.pdf"))).isEqualTo(data);
      }
    }
  }

  @Test
  void withoutATrackerItSaysSoInOneLine() throws Exception {
    Cli.runWithInput(dir, "", "prompt", "--port", "0").failsWithOneLine("no tracker: give --tracker URL");
  }
}
