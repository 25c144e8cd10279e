package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swarmshare.messages.metainfo.TorrentCreator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code node --config FILE} whose file has a {@code swarmshare.daemon} section: the node's peer is
 * a daemon, with the RPC, and what it shares and fetches is held across a SIGTERM and a start on
 * the same file, each torrent once, without hashing it again; one stopped through the RPC stays
 * stopped.
 */
class DaemonNodeIT {

  static final Duration START = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aDaemonNodeHoldsWhatItSharesAndFetchesOnceAcrossARestart() throws Exception {
    write(dir.resolve("files/film.bin"), 1_000_000);
    // Its data is in the node's data-dir already, so the fetch completes by its check, without a peer.
    Path notes = write(dir.resolve("fetched/notes.bin"), 300_000);
    Files.write(dir.resolve("notes.torrent"), TorrentCreator.of(notes).pieceLength(65536).create().encode());
    Files.writeString(dir.resolve("keeper.conf"), """
        swarmshare.node {
          name = keeper
          roles = [peer]
          data-dir = "fetched"
          share = ["files/film.bin"]
          fetch = ["notes.torrent"]
        }
        swarmshare.peer { host = "127.0.0.1", port = 0 }
        swarmshare.daemon { data-dir = "state", download-dir = "downloads", rpc-port = 0 }
        """);

    List<JsonNode> before;
    try (Background first = node()) {
      String rpc = rpc(first);
      first.await("keeper: up", START);
      Awaitility.await().atMost(START).untilAsserted(() -> assertThat(list(rpc))
          .extracting(t -> t.path("name").asText() + " " + t.path("status").asInt())
          .containsExactlyInAnyOrder("film.bin 6", "notes.bin 6"));
      before = list(rpc);
      Awaitility.await().atMost(START).ignoreExceptions().until(() -> lastStatus().path("done").asInt() == 1);
      assertThat(Files.isDirectory(dir.resolve("state/torrents"))).as("the data-dir is relative to the file").isTrue();
      assertThat(first.stop(Duration.ofSeconds(30))).isIn(0, 143);
    }
    int statusLines = Files.readAllLines(dir.resolve("status.jsonl")).size();

    try (Background second = node()) {
      second.await("daemon up: .*, 2 torrents", START);
      String rpc = rpc(second);
      second.await("keeper: up", START);
      second.await("film\\.bin: (\\d+) of \\1 pieces on disk \\(resume data; nothing hashed\\), seeding", START);
      second.await("notes\\.bin: (\\d+) of \\1 pieces on disk \\(resume data; nothing hashed\\), seeding", START);
      Awaitility.await().atMost(START).untilAsserted(() -> assertThat(list(rpc))
          .extracting(t -> t.path("id").asInt() + " " + t.path("name").asText() + " " + t.path("status").asInt())
          .as("the same torrents, each once, seeding")
          .containsExactlyInAnyOrderElementsOf(before.stream()
              .map(t -> t.path("id").asInt() + " " + t.path("name").asText() + " 6").toList()));
      assertThat(second.output().lines().filter(l -> l.contains("film.bin: held already"))).hasSize(1);
      assertThat(second.output().lines().filter(l -> l.contains("notes.bin: held already"))).hasSize(1);
      assertThat(second.output()).as("nothing read back").doesNotContainPattern("\\(hashed \\d+ bytes\\)");
      Awaitility.await().atMost(START).until(() -> Files.readAllLines(dir.resolve("status.jsonl")).size() > statusLines
          && lastStatus().path("up").asBoolean() && lastStatus().path("done").asInt() == 1);
      // Stopped through the RPC, the shared torrent stays stopped: the node's list does not start it again.
      Cli.run(dir, "remote", "--rpc", rpc, "stop", filmId(before)).succeeds();
      assertThat(second.stop(Duration.ofSeconds(30))).isIn(0, 143);
    }

    try (Background third = node()) {
      String rpc = rpc(third);
      third.await("holding film\\.bin stopped", START);
      third.await("keeper: up", START);
      assertThat(list(rpc)).extracting(t -> t.path("name").asText() + " " + t.path("status").asInt())
          .containsExactlyInAnyOrder("film.bin 0", "notes.bin 6");
      assertThat(third.stop(Duration.ofSeconds(30))).isIn(0, 143);
    }
  }

  private static String filmId(List<JsonNode> torrents) {
    return torrents.stream().filter(t -> t.path("name").asText().equals("film.bin")).findFirst().orElseThrow()
        .path("id").asText();
  }

  private Background node() throws Exception {
    return Background.start(dir, "node", "--config", "keeper.conf", "--status-file", "status.jsonl");
  }

  private static String rpc(Background node) throws InterruptedException {
    return "http://127.0.0.1:" + node.await(DaemonIT.UP, START).group(1) + "/transmission/rpc";
  }

  /** The daemon's torrents, as {@code remote list --json} shows them. */
  private List<JsonNode> list(String rpc) throws Exception {
    List<JsonNode> torrents = new ArrayList<>();
    Json.MAPPER.readTree(Cli.run(dir, "remote", "--rpc", rpc, "list", "--json").succeeds().out())
        .forEach(torrents::add);
    return torrents;
  }

  /** The node's last line in its status file, what {@code swarm} reads. */
  private JsonNode lastStatus() throws Exception {
    List<String> lines = Files.readAllLines(dir.resolve("status.jsonl"), StandardCharsets.UTF_8);
    return Json.MAPPER.readTree(lines.get(lines.size() - 1));
  }

  private static Path write(Path file, int size) throws Exception {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }
}
