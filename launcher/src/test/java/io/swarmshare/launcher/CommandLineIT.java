package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: the built jar in a process. */
class CommandLineIT {

  @TempDir Path dir;

  private Path file(String name, int size) throws Exception {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    Path path = dir.resolve(name);
    Files.createDirectories(path.getParent());
    return Files.write(path, data);
  }

  @Test
  void printsItsVersionAndHelp() throws Exception {
    assertThat(Cli.run(dir, "--version").succeeds().out()).startsWith("swarmshare 0.");
    String help = Cli.run(dir, "--help").succeeds().out();
    assertThat(help).contains("create", "info", "Exit codes");
    assertThat(Cli.run(dir, "create", "--help").succeeds().out()).contains("--piece-length", "--tracker");
    assertThat(Cli.run(dir, "info", "--version").succeeds().out()).startsWith("swarmshare 0.");
  }

  /** Main gives picocli the named command alone; help and what is no command still see them all. */
  @Test
  void namesEveryCommandWhereOneIsNotNamed() throws Exception {
    List<String> listed = Cli.run(dir, "help").succeeds().out().lines()
        .filter(l -> l.matches("  [a-z]+ .*")).map(l -> l.trim().split(" ")[0]).toList();
    assertThat(listed).containsExactly("demo", "create", "info", "tracker", "list", "share", "get", "prompt", "node",
        "swarm", "daemon", "remote", "help");
    assertThat(Cli.run(dir, "help", "daemon").succeeds().out()).contains("Usage: swarmshare daemon");
    assertThat(Cli.run(dir, "-q", "info", "--help").succeeds().out()).contains("Usage: swarmshare info");
    Cli.run(dir, "gett", "x").failsWithOneLine("Unmatched arguments from index 0: 'gett'");
    Cli.run(dir, "info").failsWithOneLine("see 'swarmshare info --help'");
  }

  @Test
  void createsATorrentThatInfoDescribes() throws Exception {
    file("album/one.bin", 100_000);
    file("album/sub/two.bin", 50_000);
    Cli.Result created = Cli.run(dir, "create", "album", "--tracker", "udp://127.0.0.1:6969/announce",
        "--tracker", "http://127.0.0.1:6969/announce", "--piece-length", "32K", "--comment", "hello").succeeds();
    assertThat(created.out()).contains("created album.torrent", "pieces:        5");
    assertThat(dir.resolve("album.torrent")).exists();

    String text = Cli.run(dir, "info", "album.torrent").succeeds().out();
    assertThat(text).contains("name:          album", "piece length:  32.0 KiB (32768 bytes)",
        "total size:    146.5 KiB (150000 bytes)", "comment:       hello", "album/sub/two.bin");

    JsonNode json = new ObjectMapper().readTree(Cli.run(dir, "info", "album.torrent", "--json").succeeds().out());
    assertThat(json.get("name").asText()).isEqualTo("album");
    assertThat(json.get("infoHash").asText()).hasSize(40).isEqualTo(text.lines()
        .filter(l -> l.startsWith("info hash:")).findFirst().orElseThrow().substring(15));
    assertThat(json.get("pieceLength").asLong()).isEqualTo(32768);
    assertThat(json.get("pieceCount").asInt()).isEqualTo(5);
    assertThat(json.get("totalLength").asLong()).isEqualTo(150_000);
    assertThat(json.get("files")).hasSize(2);
    assertThat(json.get("files").get(1).get("path").asText()).isEqualTo("album/sub/two.bin");
    assertThat(json.get("files").get(1).get("length").asLong()).isEqualTo(50_000);
    assertThat(json.get("trackers").get(1).get(0).asText()).isEqualTo("http://127.0.0.1:6969/announce");
  }

  @Test
  void writesWhereToldAndNeverOverwritesUnlessForced() throws Exception {
    file("a.bin", 1000);
    Files.createDirectories(dir.resolve("out"));
    Cli.run(dir, "create", "a.bin", "-o", "out/x.torrent").succeeds();
    byte[] first = Files.readAllBytes(dir.resolve("out/x.torrent"));
    Cli.run(dir, "create", "a.bin", "-o", "out/x.torrent").failsWithOneLine("out/x.torrent: already exists; use --force");
    assertThat(Files.readAllBytes(dir.resolve("out/x.torrent"))).isEqualTo(first);
    Cli.run(dir, "create", "a.bin", "-o", "out/x.torrent", "--force").succeeds();
    try (var listing = Files.list(dir.resolve("out"))) {
      assertThat(listing).containsExactly(dir.resolve("out/x.torrent"));
    }
  }

  @Test
  void saysInOneLineWhatIsWrong() throws Exception {
    file("a.bin", 1000);
    Files.createDirectories(dir.resolve("empty"));
    Files.writeString(dir.resolve("bad.torrent"), "d4:infoi1ee");
    Files.writeString(dir.resolve("garbage.torrent"), "<html>");
    Files.write(dir.resolve("escape.torrent"), ("d4:infod6:lengthi1e4:name2:..12:piece lengthi16384e6:pieces20:"
        + "x".repeat(20) + "ee").getBytes(StandardCharsets.ISO_8859_1));

    Cli.run(dir, "info", "missing.torrent").failsWithOneLine("missing.torrent: no such file or directory");
    Cli.run(dir, "info", "bad.torrent").failsWithOneLine("bad.torrent: invalid torrent: info must be a dictionary");
    Cli.run(dir, "info", "garbage.torrent").failsWithOneLine("garbage.torrent: invalid bencode at offset 0");
    Cli.run(dir, "info", "escape.torrent").failsWithOneLine("info.name is '..', which would leave the torrent's directory");
    Cli.run(dir, "create", "missing.bin").failsWithOneLine("missing.bin: no such file or directory");
    Cli.run(dir, "create", "empty").failsWithOneLine("holds no data");
    Cli.run(dir, "create", "a.bin", "--piece-length", "1000").failsWithOneLine("power of two");
    Cli.run(dir, "create", "a.bin", "--piece-length", "lots").failsWithOneLine("'lots' is not a size");
    Cli.run(dir, "create", "a.bin", "--tracker", "tracker.example:80").failsWithOneLine("bad tracker URL");
    Cli.run(dir, "create", "a.bin", "-o", "no/such/dir/a.torrent").failsWithOneLine("no such");
    assertThat(dir.resolve("a.bin.torrent")).doesNotExist();
  }

  @Test
  void reportsAUsageErrorWithExitCodeTwo() throws Exception {
    Cli.Result r = Cli.run(dir, "create");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required parameter: 'PATH'", "swarmshare create --help");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(Cli.run(dir, "frobnicate").exitCode()).isEqualTo(2);
  }
}
