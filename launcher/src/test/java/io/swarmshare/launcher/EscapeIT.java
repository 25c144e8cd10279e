package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.bencode.BDict;
import io.swarmshare.messages.bencode.BList;
import io.swarmshare.messages.bencode.BString;
import io.swarmshare.messages.bencode.BValue;
import io.swarmshare.messages.bencode.BencodeEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code get} with torrents and magnet links made to write outside the output directory: each is
 * refused in one line, or lands inside it, and nothing appears outside.
 */
class EscapeIT {


  @TempDir Path dir;

  static byte[] torrent(BDict.Builder info) {
    info.put("piece length", 16384).put("pieces", BString.of(new byte[20]));
    return BencodeEncoder.encode(BDict.builder().put("info", info.build()).build());
  }

  static BValue file(String... path) {
    return BDict.builder().put("length", 100)
        .put("path", new BList(Stream.of(path).<BValue>map(BString::of).toList())).build();
  }

  /** What is in the test's directory besides what the test made there, and nothing escaped to its parent. */
  List<String> strays() throws Exception {
    assertThat(dir.getParent().resolve("escaped.bin")).doesNotExist();
    try (Stream<Path> top = Files.list(dir)) {
      return top.map(p -> p.getFileName().toString())
          .filter(name -> !Set.of("out", "outside", "files", "t", "t-share").contains(name) && !name.endsWith(".torrent"))
          .toList();
    }
  }

  @Test
  void torrentsThatWouldLeaveTheOutputDirectoryAreRefusedInOneLine() throws Exception {
    Files.createDirectories(dir.resolve("out"));
    Files.write(dir.resolve("dotdot.torrent"), torrent(BDict.builder().put("name", "..").put("length", 100)));
    Files.write(dir.resolve("parent.torrent"), torrent(BDict.builder().put("name", "dir")
        .put("files", new BList(List.of(file("..", "..", "escaped.bin"))))));
    Files.write(dir.resolve("absolute.torrent"), torrent(BDict.builder().put("name", "dir")
        .put("files", new BList(List.of(file("/tmp", "escaped.bin"))))));
    Files.write(dir.resolve("nul.torrent"), torrent(BDict.builder().put("name", "a\0b").put("length", 100)));
    for (String evil : List.of("dotdot", "parent", "absolute", "nul")) {
      Cli.run(dir, "get", evil + ".torrent", "-o", "out", "--peer", "127.0.0.1:9", "--port", "0")
          .failsWithOneLine(evil + ".torrent: invalid torrent");
    }
    assertThat(strays()).isEmpty();
    try (Stream<Path> out = Files.list(dir.resolve("out"))) {
      assertThat(out).isEmpty();
    }
  }

  @Test
  void aLinkAlreadyInTheOutputDirectoryIsNotFollowed() throws Exception {
    Path victim = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("victim.txt"), "keep me");
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.createSymbolicLink(out.resolve("payload.bin"), victim);
    Files.write(dir.resolve("payload.torrent"), torrent(BDict.builder().put("name", "payload.bin").put("length", 100)));

    Cli.Result refused = Cli.run(dir, "get", "payload.torrent", "-o", "out", "--peer", "127.0.0.1:9", "--port", "0",
        "--quiet");
    // The node's log says it too (ERROR), then the command's own one line.
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).doesNotContain("Exception", "\tat ");
    assertThat(refused.err().strip().lines().reduce((a, b) -> b).orElseThrow())
        .startsWith("swarmshare: cannot use ").contains("payload.bin: is a symbolic link; refusing to follow it");
    assertThat(Files.readString(victim)).isEqualTo("keep me");
  }

  @Test
  void aMagnetLinksDisplayNameDecidesNothing() throws Exception {
    Path files = Files.createDirectories(dir.resolve("files"));
    byte[] data = new byte[200_000];
    new java.util.Random(4).nextBytes(data);
    Files.write(files.resolve("real.bin"), data);
    try (Background tracker = Background.start(dir, "tracker", "--host", "127.0.0.1", "--port", "0", "--data-dir", "t")) {
      String url = "udp://127.0.0.1:" + tracker.await(Background.TRACKER_UP, Duration.ofSeconds(60)).group(1) + "/announce";
      try (Background seeder = Background.start(files, "share", "real.bin", "--tracker", url, "--port", "0",
          "--data-dir", "../t-share")) {
        String hash = seeder.await("info hash ([0-9a-f]{40})", Duration.ofSeconds(60)).group(1);
        seeder.await("published to the catalogue", Duration.ofSeconds(60));
        Cli.run(dir, "get", "magnet:?xt=urn:btih:" + hash + "&dn=..%2F..%2Fescaped.bin", "--tracker", url,
            "-o", "out", "--port", "0", "--exit-when-done").succeeds();
      }
    }
    assertThat(Files.readAllBytes(dir.resolve("out/real.bin"))).isEqualTo(data);
    assertThat(strays()).isEmpty();
  }
}
