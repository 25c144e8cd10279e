package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code swarmshare daemon} as its users drive it: Debian's transmission-remote (the RPC's real
 * client) adds, lists, stops, starts, shows and removes torrents, sets seed ratios and labels, and
 * sees a queued torrent wait; the daemon is killed with
 * {@code kill -9} and comes back as it was, without hashing data that did not change.
 */
class DaemonIT {

  static final Duration START = Duration.ofSeconds(60);
  static final String UP = "daemon up: RPC at http://127\\.0\\.0\\.1:(\\d+)/transmission/rpc";

  @TempDir Path dir;

  @BeforeEach
  void tools() throws Exception {
    RealTools.requireTransmissionRemote();
  }

  Background daemon() throws Exception {
    return Background.start(dir, "daemon", "--data-dir", "state", "--download-dir", "downloads", "--port", "0",
        "--rpc-port", "0");
  }

  /** transmission-remote against the daemon, which must succeed; its output. */
  String remote(String port, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("transmission-remote", "127.0.0.1:" + port));
    command.addAll(List.of(args));
    Cli.Result r = Cli.exec(dir, command);
    assertThat(r.exitCode()).as("%s\nout: %s\nerr: %s", command, r.out(), r.err()).isZero();
    return r.out();
  }

  /** A file of random bytes under downloads/ and its torrent beside the test. */
  Path torrentFor(String name, int size, boolean keepData) throws Exception {
    Path data = Files.createDirectories(dir.resolve("downloads")).resolve(name);
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    Files.write(data, bytes);
    Cli.run(dir, "create", data.toString(), "-o", name + ".torrent", "--piece-length", "65536").succeeds();
    if (!keepData) {
      Files.delete(data);
    }
    return dir.resolve(name + ".torrent");
  }

  /** The JDK's HTTP server on an ephemeral port of 127.0.0.1, serving one file; 404 for anything else. */
  record WebServer(com.sun.net.httpserver.HttpServer server) implements AutoCloseable {
    static WebServer serving(String path, byte[] body) throws java.io.IOException {
      var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(path, exchange -> {
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      return new WebServer(server);
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void transmissionRemoteDrivesTheDaemon() throws Exception {
    Path seeded = torrentFor("seeded.bin", 1_000_000, true);
    Path missing = torrentFor("missing.bin", 500_000, false);
    try (Background daemon = daemon()) {
      String port = daemon.await(UP, START).group(1);

      assertThat(remote(port, "-a", seeded.toString())).contains("success");
      assertThat(remote(port, "-a", missing.toString())).contains("success");
      Awaitility.await().atMost(START).untilAsserted(() -> assertThat(remote(port, "-l"))
          .containsPattern("1\\s+100%\\s+.*Done\\s+.*Idle\\s+seeded\\.bin")
          .containsPattern("2\\s+0%\\s+.*missing\\.bin"));
      remote(port, "-a", seeded.toString());
      assertThat(remote(port, "-l").lines().filter(l -> l.contains("seeded.bin")))
          .as("a second add of the same torrent adds nothing").hasSize(1);

      assertThat(remote(port, "-t", "2", "-S")).contains("success");
      assertThat(remote(port, "-l")).containsPattern("2\\s+0%\\s+.*Stopped\\s+missing\\.bin");
      assertThat(remote(port, "-t", "2", "-s")).contains("success");
      Awaitility.await().atMost(START).untilAsserted(() -> assertThat(remote(port, "-l"))
          .doesNotContainPattern("2\\s+0%\\s+.*Stopped"));

      String info = remote(port, "-t", "1", "-i");
      assertThat(info).contains("Name: seeded.bin").containsPattern("Hash: [0-9a-f]{40}")
          .contains("Location: " + dir.resolve("downloads")).contains("Percent Done: 100%");
      assertThat(remote(port, "-t", "1", "-f")).contains("seeded.bin").contains("100%");
      remote(port, "-t", "1", "-pi");
      assertThat(remote(port, "-st")).contains("Uploaded:").contains("Downloaded:");

      remote(port, "-d", "300", "-u", "200");
      assertThat(remote(port, "-si")).containsPattern("Download speed limit: 300 kB/s")
          .containsPattern("Upload speed limit: 200 kB/s");
      assertThat(remote(port, "-t", "1", "-d", "50", "-U", "-HL")).contains("success");
      assertThat(remote(port, "-t", "1", "-i")).containsPattern("Download Limit: 50 kB/s")
          .containsPattern("Upload Limit: Unlimited").containsPattern("Honors Session Limits: No");
      Path moved = dir.resolve("downloads/moved");
      assertThat(remote(port, "-t", "1", "--move", moved.toString())).contains("success");
      assertThat(moved.resolve("seeded.bin")).hasSize(1_000_000);
      Awaitility.await().atMost(START).untilAsserted(() -> assertThat(remote(port, "-t", "1", "-i"))
          .contains("Location: " + moved).contains("Percent Done: 100%").contains("State: Idle"));

      // Seeding goals and labels through transmission-remote, read back with torrent-get.
      Rpc rpc = new Rpc(port);
      assertThat(remote(port, "-t", "1", "-sr", "0.5")).contains("success");
      assertThat(remote(port, "-t", "1", "-L", "tv,hd")).contains("success");
      com.fasterxml.jackson.databind.JsonNode one = rpc.call("{\"method\":\"torrent-get\",\"arguments\":{\"ids\":1,"
          + "\"fields\":[\"seedRatioLimit\",\"seedRatioMode\",\"labels\"]}}").path("torrents").get(0);
      assertThat(one.path("seedRatioLimit").asDouble()).isEqualTo(0.5);
      assertThat(one.path("seedRatioMode").asInt()).as("its own ratio").isEqualTo(1);
      assertThat(one.path("labels").toString()).isEqualTo("[\"tv\",\"hd\"]");
      // The queue: with no download slot, a started download waits (transmission-remote 3.00 has no
      // queue-move options, so the move goes through the RPC as a script would send it).
      remote(port, "-t", "2", "-S");
      rpc.call("{\"method\":\"session-set\",\"arguments\":{\"download-queue-size\":0}}");
      remote(port, "-t", "2", "-s");
      Awaitility.await().atMost(START).untilAsserted(() -> assertThat(remote(port, "-l"))
          .containsPattern("2\\s+0%\\s+.*Queued\\s+missing\\.bin"));
      rpc.call("{\"method\":\"queue-move-top\",\"arguments\":{\"ids\":[2]}}");
      com.fasterxml.jackson.databind.JsonNode queue = rpc.call("{\"method\":\"torrent-get\",\"arguments\":{"
          + "\"fields\":[\"id\",\"queuePosition\",\"status\"]}}").path("torrents");
      assertThat(queue.toString()).contains("{\"id\":1,\"queuePosition\":1,\"status\":6}")
          .contains("{\"id\":2,\"queuePosition\":0,\"status\":3}");

      assertThat(remote(port, "-t", "2", "-r")).contains("success");
      assertThat(remote(port, "-t", "1", "--remove-and-delete")).contains("success");
      Awaitility.await().atMost(START).until(() -> !Files.exists(moved.resolve("seeded.bin")));
      assertThat(remote(port, "-l")).doesNotContain("seeded.bin").doesNotContain("missing.bin");

      // Given a URL, transmission-remote sends it as the filename, and the daemon fetches the .torrent.
      try (WebServer web = WebServer.serving("/fetched.torrent",
          Files.readAllBytes(torrentFor("fetched.bin", 200_000, true)))) {
        assertThat(remote(port, "-a", web.url() + "/fetched.torrent")).contains("success");
        Awaitility.await().atMost(START).untilAsserted(() -> assertThat(remote(port, "-l"))
            .containsPattern("100%\\s+.*Done\\s+.*fetched\\.bin"));
      }
      assertThat(daemon.stop(Duration.ofSeconds(30))).isIn(0, 143);
    }
  }

  @Test
  void aMagnetLinkIsFetchedFromItsPeerAndOneStillWaitingComesBackAfterARestart() throws Exception {
    Path seed = Files.createDirectories(dir.resolve("seed")).resolve("magnet.bin");
    byte[] data = new byte[1_500_000];
    new Random(15).nextBytes(data);
    Files.write(seed, data);
    String waiting = "magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=nobody%20has%20it";
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      String tracker = "udp://127.0.0.1:" + silent.getLocalPort() + "/announce";
      Cli.run(dir, "create", seed.toString(), "--tracker", tracker, "-o", "magnet.torrent").succeeds();
      try (Background seeder = Background.start(dir, "share", seed.toString(), "--torrent", "magnet.torrent",
          "--port", "0");
          Background daemon = daemon()) {
        String peer = "127.0.0.1:" + seeder.await("peer listening on \\S+:(\\d+)", START).group(1);
        String magnet = seeder.await("(magnet:\\?\\S+)", START).group(1);
        String port = daemon.await(UP, START).group(1);

        // transmission-remote sends a magnet link as the filename, as for a URL.
        assertThat(remote(port, "-a", magnet + "&x.pe=" + peer)).contains("success");
        Awaitility.await().atMost(START).untilAsserted(() -> assertThat(remote(port, "-l"))
            .containsPattern("1\\s+100%\\s+.*Done\\s+.*magnet\\.bin"));
        assertThat(Files.readAllBytes(dir.resolve("downloads/magnet.bin"))).isEqualTo(data);
        daemon.await("magnet\\.bin: its metadata came from its peers", START);

        String rpc = "http://127.0.0.1:" + port + "/transmission/rpc";
        assertThat(Cli.run(dir, "remote", "--rpc", rpc, "add", waiting, "--tracker", tracker).succeeds().out())
            .startsWith("added 2 nobody has it (" + "ab".repeat(20) + ")");
        Cli.run(dir, "remote", "--rpc", rpc, "add", "magnet:?xt=urn:btih:nothex")
            .failsWithOneLine("invalid magnet link: info hash 'nothex' is neither 40 hex digits nor 32 base32");
        assertThat(remote(port, "-t", "2", "-i")).contains("Name: nobody has it").contains("Magnet: " + waiting);
        assertThat(daemon.stop(Duration.ofSeconds(30))).isIn(0, 143);
      }
      try (Background again = daemon()) {
        String port = again.await(UP, START).group(1);
        String list = remote(port, "-l");
        assertThat(list).containsPattern("1\\s+100%\\s+.*Done\\s+.*magnet\\.bin")
            .containsPattern("2\\s+.*nobody has it");
        assertThat(again.stop(Duration.ofSeconds(30))).isIn(0, 143);
      }
    }
  }

  @Test
  void ourRemoteCommandDrivesTheDaemon() throws Exception {
    Path seeded = torrentFor("ours.bin", 700_000, true);
    try (Background daemon = daemon()) {
      String rpc = "http://127.0.0.1:" + daemon.await(UP, START).group(1) + "/transmission/rpc";
      assertThat(Cli.run(dir, "remote", "--rpc", rpc, "add", seeded.toString()).succeeds().out())
          .startsWith("added 1 ours.bin (");
      Awaitility.await().atMost(START).untilAsserted(() -> assertThat(
          Cli.run(dir, "remote", "--rpc", rpc, "list").succeeds().out()).containsPattern("1\\s+100.0%\\s+seeding"));
      String json = Cli.run(dir, "remote", "--rpc", rpc, "list", "--json").succeeds().out();
      assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get(0).path("name").asText())
          .isEqualTo("ours.bin");
      Cli.run(dir, "remote", "--rpc", rpc, "stop", "all").succeeds();
      assertThat(Cli.run(dir, "remote", "--rpc", rpc, "list").succeeds().out()).contains("stopped");
      Cli.run(dir, "remote", "--rpc", rpc, "start", "1").succeeds();
      assertThat(Cli.run(dir, "remote", "--rpc", rpc, "stats").succeeds().out()).contains("torrents: 1");
      // A URL goes to the daemon as it is, and the daemon fetches the .torrent.
      try (WebServer web = WebServer.serving("/served.torrent",
          Files.readAllBytes(torrentFor("served.bin", 300_000, true)))) {
        assertThat(Cli.run(dir, "remote", "--rpc", rpc, "add", web.url() + "/served.torrent").succeeds().out())
            .startsWith("added 2 served.bin (");
        Cli.Result missing = Cli.run(dir, "remote", "--rpc", rpc, "add", web.url() + "/gone.torrent");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains(web.url() + "/gone.torrent answered HTTP 404");
      }
      Cli.run(dir, "remote", "--rpc", rpc, "remove", "2").succeeds();
      Cli.Result bad = Cli.run(dir, "remote", "--rpc", rpc, "stop", "nonsense");
      assertThat(bad.exitCode()).isNotZero();
      assertThat(bad.err()).contains("'nonsense' is not a torrent id, an info hash or 'all'");
      Cli.run(dir, "remote", "--rpc", rpc, "remove", "--delete-data", "1").succeeds();
      Awaitility.await().atMost(START).until(() -> !Files.exists(dir.resolve("downloads/ours.bin")));
      assertThat(daemon.stop(Duration.ofSeconds(30))).isIn(0, 143);
    }
    Cli.Result gone = Cli.run(dir, "remote", "--rpc", "http://127.0.0.1:1/transmission/rpc", "list");
    assertThat(gone.err()).contains("cannot reach the daemon at http://127.0.0.1:1/transmission/rpc");
  }

  @Test
  void afterKillMinus9EveryTorrentIsBackAndUnchangedDataIsNotHashed() throws Exception {
    Path a = torrentFor("a.bin", 2_000_000, true);
    Path b = torrentFor("b.bin", 2_000_000, true);
    Path c = torrentFor("c.bin", 2_000_000, true);
    try (Background first = daemon()) {
      String port = first.await(UP, START).group(1);
      remote(port, "-a", a.toString());
      remote(port, "-a", b.toString());
      remote(port, "-a", c.toString());
      Awaitility.await().atMost(START).untilAsserted(() -> assertThat(remote(port, "-l"))
          .containsPattern("1\\s+100%.*Done.*Idle").containsPattern("2\\s+100%.*Done.*Idle")
          .containsPattern("3\\s+100%.*Done.*Idle"));
      // The stop of b returns once b has stopped and saved its resume data.
      remote(port, "-t", "2", "-S");
      first.kill();
    }
    // c.bin is touched while the daemon is down: it must be checked again.
    Path cData = dir.resolve("downloads/c.bin");
    Files.setLastModifiedTime(cData, FileTime.fromMillis(Files.getLastModifiedTime(cData).toMillis() + 10_000));

    try (Background second = daemon()) {
      String port = second.await(UP, START).group(1);
      Awaitility.await().atMost(START).untilAsserted(() -> assertThat(remote(port, "-l"))
          .containsPattern("1\\s+100%.*Idle\\s+a\\.bin")
          .containsPattern("2\\s+100%.*Stopped\\s+b\\.bin")
          .containsPattern("3\\s+100%.*Idle\\s+c\\.bin"));
      second.await("a\\.bin: 31 of 31 pieces on disk \\(resume data; nothing hashed\\), seeding", START);
      second.await("b\\.bin: 31 of 31 pieces on disk \\(resume data; nothing hashed\\), stopped", START);
      second.await("c\\.bin: 31 of 31 pieces on disk \\(hashed 2000000 bytes\\), seeding", START);
      assertThat(second.stop(Duration.ofSeconds(30))).isIn(0, 143);
    }
  }

  /** A client of the daemon's RPC for bulk calls, as a script would drive it. */
  static final class Rpc {
    final java.net.URI uri;
    final java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    String sessionId = "";

    Rpc(String port) {
      uri = java.net.URI.create("http://127.0.0.1:" + port + "/transmission/rpc");
    }

    com.fasterxml.jackson.databind.JsonNode call(String body) throws Exception {
      for (int attempt = 0; attempt < 2; attempt++) {
        java.net.http.HttpResponse<String> answer = client.send(java.net.http.HttpRequest.newBuilder(uri)
            .header("X-Transmission-Session-Id", sessionId).timeout(START)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 409) {
          sessionId = answer.headers().firstValue("X-Transmission-Session-Id").orElseThrow();
          continue;
        }
        com.fasterxml.jackson.databind.JsonNode reply = json.readTree(answer.body());
        assertThat(reply.path("result").asText()).as(body).isEqualTo("success");
        return reply.path("arguments");
      }
      throw new AssertionError("the session id kept changing");
    }
  }

  @Test
  void twoHundredTorrentsAreListedAndAllComeBackAfterKillMinus9() throws Exception {
    Path downloads = Files.createDirectories(dir.resolve("downloads"));
    List<String> hashes = new java.util.ArrayList<>();
    try (Background first = daemon()) {
      Rpc rpc = new Rpc(first.await(UP, START).group(1));
      for (int i = 0; i < 200; i++) {
        Path data = Files.writeString(downloads.resolve("t" + i + ".txt"), "torrent number " + i);
        io.swarmshare.messages.metainfo.Metainfo m = io.swarmshare.messages.metainfo.TorrentCreator.of(data).create();
        hashes.add(m.infoHash().hex());
        rpc.call("{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\""
            + java.util.Base64.getEncoder().encodeToString(m.encode()) + "\"}}");
      }
      Awaitility.await().atMost(START).untilAsserted(() -> assertThat(
          rpc.call("{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\",\"status\"]}}")
              .path("torrents")).hasSize(200).allSatisfy(t -> assertThat(t.path("status").asInt()).isEqualTo(6)));
      first.kill();
    }
    try (Background second = daemon()) {
      second.await("daemon up: .*, 200 torrents", START);
      Rpc rpc = new Rpc(second.await(UP, START).group(1));
      Awaitility.await().atMost(START).untilAsserted(() -> {
        com.fasterxml.jackson.databind.JsonNode torrents = rpc.call(
            "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"hashString\",\"status\"]}}")
            .path("torrents");
        List<String> back = new java.util.ArrayList<>();
        torrents.forEach(t -> back.add(t.path("hashString").asText()));
        assertThat(back).containsExactlyInAnyOrderElementsOf(hashes);
        torrents.forEach(t -> assertThat(t.path("status").asInt()).isEqualTo(6));
      });
      assertThat(second.output()).as("no torrent read back").doesNotContainPattern("\\(hashed \\d+ bytes\\)");
      assertThat(second.stop(Duration.ofSeconds(30))).isIn(0, 143);
    }
  }
}
