package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
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
  void asksForTheTrackerAgainUntilOneAnswers() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();  // nothing listens there once it is closed
    }
    try (Background tracker = Background.start(dir, "tracker", "--host", "127.0.0.1", "--port", "0", "--data-dir", "t")) {
      String url = "udp://127.0.0.1:" + tracker.await("tracker up: udp://127\\.0\\.0\\.1:(\\d+)", START).group(1)
          + "/announce";
      Cli.Result session = Cli.runWithInput(dir, String.join("\n", "help", "tracker example",
              "ftp://127.0.0.1:21/announce", "", "udp://127.0.0.1:" + closed + "/announce", url, "list", "quit",
              "status", ""), "prompt", "-o", "downloads", "--port", "0").succeeds();
      assertThat(session.out()).contains(
          "the announce URL of a swarmshare tracker",              // help at the first question
          "error: bad tracker URL 'tracker example'",
          "error: bad tracker URL 'ftp://127.0.0.1:21/announce': the scheme must be udp, http or https",
          "error: cannot reach the tracker at http://127.0.0.1:" + closed,
          "swarmshare prompt: tracker " + url,
          "the catalogue is empty")
          .doesNotContain("nothing yet");                          // nothing runs after quit
      assertThat(session.out().lines().filter(l -> l.startsWith("error: "))).hasSize(3);
      assertThat(session.err()).doesNotContain("Exception", "\tat ");

      // The end of input at the prompt leaves as quit does.
      Cli.Result ended = Cli.runWithInput(dir, url + "\nstatus\n", "prompt", "--port", "0").succeeds();
      assertThat(ended.out()).contains("nothing yet");
      assertThat(ended.err()).doesNotContain("Exception", "\tat ");
    }
  }

  @Test
  void helpAndQuitWorkAtTheFirstQuestionAndTheEndOfInputLeavesCleanly() throws Exception {
    Cli.Result quit = Cli.runWithInput(dir, "help\nquit\nudp://127.0.0.1:1/announce\n", "prompt", "--port", "0")
        .succeeds();
    assertThat(quit.out()).contains("the announce URL of a swarmshare tracker").doesNotContain("error", "swarmshare prompt:");
    for (String input : new String[] {"", "help\n", "tracker example"}) {
      Cli.Result end = Cli.runWithInput(dir, input, "prompt", "--port", "0").succeeds();
      assertThat(end.err()).as("stderr after '%s'", input).doesNotContain("Exception", "\tat ");
    }
  }
}
