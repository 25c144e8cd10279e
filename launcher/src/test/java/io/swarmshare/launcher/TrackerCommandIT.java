package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code swarmshare tracker} and {@code list} as processes, and real libtorrent clients using the tracker. */
class TrackerCommandIT {

  static final Duration START = Duration.ofSeconds(60);
  static final String UP = "tracker up: udp://127\\.0\\.0\\.1:(\\d+)/announce";

  @TempDir Path dir;

  private Path file(String name, int size) throws Exception {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return Files.write(dir.resolve(name), data);
  }

  private static int publish(int port, Path torrent) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/torrents"))
            .POST(HttpRequest.BodyPublishers.ofFile(torrent)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }

  @Test
  void runsUntilStoppedAndListsItsCatalogueWhichSurvivesARestart() throws Exception {
    file("movie.mkv", 200_000);
    Cli.run(dir, "create", "movie.mkv", "-o", "movie.torrent").succeeds();
    int port;
    try (Background tracker = Background.start(dir, "tracker", "--host", "127.0.0.1", "--port", "0", "--data-dir", "catalogue")) {
      port = Integer.parseInt(tracker.await(UP, START).group(1));
      assertThat(Cli.run(dir, "list", "--tracker", "udp://127.0.0.1:" + port + "/announce").succeeds().out())
          .contains("the catalogue is empty");
      assertThat(publish(port, dir.resolve("movie.torrent"))).isEqualTo(201);
      String table = Cli.run(dir, "list", "--tracker", "http://127.0.0.1:" + port + "/announce").succeeds().out();
      assertThat(table).contains("NAME", "SEEDERS", "movie.mkv", "195.3 KiB");
      assertThat(tracker.stop(Duration.ofSeconds(30))).isIn(0, 143);
      assertThat(tracker.output()).contains("tracker stopped");
    }
    try (Background again = Background.start(dir, "tracker", "--host", "127.0.0.1", "--port", "0", "--data-dir", "catalogue")) {
      int next = Integer.parseInt(again.await(UP, START).group(1));
      assertThat(Cli.run(dir, "list", "--tracker", "udp://127.0.0.1:" + next + "/announce", "--name", "MOVIE").succeeds().out())
          .contains("movie.mkv");
    }
  }

  @Test
  void saysInOneLineWhyItCannotStart() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      Cli.run(dir, "tracker", "--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()), "--data-dir", "d")
          .failsWithOneLine("cannot listen on TCP 127.0.0.1:" + taken.getLocalPort());
    }
    Cli.run(dir, "tracker", "--host", "no-such-host.invalid", "--port", "0").failsWithOneLine("--host no-such-host.invalid");
    Cli.run(dir, "tracker", "--port", "70000").failsWithOneLine("--port 70000");
  }

  @Test
  void listSaysInOneLineWhatIsWrong() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Cli.run(dir, "list", "--tracker", "udp://127.0.0.1:" + closed + "/announce")
        .failsWithOneLine("cannot reach the tracker at http://127.0.0.1:" + closed);
    Cli.run(dir, "list", "--tracker", "tracker.example").failsWithOneLine("bad tracker URL");
  }

  @Test
  void twoLibtorrentClientsFindEachOtherThroughItOverUdpAndHttp() throws Exception {
    RealTools.requireLibtorrent();
    Path script = Path.of(getClass().getResource("/interop/two_libtorrent_peers.py").toURI());
    Files.createDirectories(dir.resolve("seed"));
    Path data = Files.write(dir.resolve("seed/payload.bin"), Files.readAllBytes(file("payload.bin", 3_000_000)));
    try (Background tracker = Background.start(dir, "tracker", "--host", "127.0.0.1", "--port", "0", "--data-dir", "d")) {
      int port = Integer.parseInt(tracker.await(UP, START).group(1));
      for (String url : new String[] {"udp://127.0.0.1:" + port + "/announce", "http://127.0.0.1:" + port + "/announce"}) {
        String scheme = url.substring(0, url.indexOf(':'));
        Path leech = Files.createDirectories(dir.resolve("leech-" + scheme));
        Cli.run(dir, "create", "seed/payload.bin", "--tracker", url, "-o", scheme + ".torrent").succeeds();
        Cli.Result r = RealTools.run(dir, RealTools.PYTHON, script.toString(), scheme + ".torrent", "seed", leech.toString(), "120");
        assertThat(r.exitCode()).as("libtorrent: %s", r.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(r.out());
        assertThat(result.get("finished").asBoolean()).as("over %s: %s", scheme, r.out()).isTrue();
        assertThat(result.get("replies").get("leecher").get(0).get("peers").asInt()).as(r.out()).isGreaterThanOrEqualTo(1);
        assertThat(Files.readAllBytes(leech.resolve("payload.bin"))).isEqualTo(Files.readAllBytes(data));
      }
    }
  }
}
