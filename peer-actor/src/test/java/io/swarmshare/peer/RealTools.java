package io.swarmshare.peer;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real BitTorrent software the interop tests run. Under CI=true a missing tool fails the test,
 * since .ci/run installs it; elsewhere the test is skipped with a message saying what to install.
 */
public final class RealTools {

  public static final String PYTHON = System.getProperty("swarmshare.python", "/usr/bin/python3");
  public static final Path OPENTRACKER = Path.of("/usr/bin/opentracker");

  private RealTools() {}

  public static void requireLibtorrent() throws Exception {
    boolean present = Files.isExecutable(Path.of(PYTHON))
        && new ProcessBuilder(PYTHON, "-c", "import libtorrent").start().waitFor() == 0;
    require(present, "python3-libtorrent");
  }

  public static void requireOpentracker() {
    require(Files.isExecutable(OPENTRACKER), "opentracker");
  }

  /** Runs interop/libtorrent_peer.py to its end (give it --exit-when-done) and returns its last JSON line. */
  public static JsonNode libtorrentPeer(Path torrent, Path dir, String... options) throws Exception {
    try (LibtorrentPeer peer = LibtorrentPeer.start(torrent, dir, options)) {
      return peer.awaitResult(Duration.ofSeconds(300));
    }
  }

  /** A running interop/libtorrent_peer.py: its listening port, then its result line. */
  public static final class LibtorrentPeer implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    public final int port;

    private LibtorrentPeer(Process process) throws IOException {
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      if (first == null || !first.startsWith("{")) {
        throw new IOException("libtorrent_peer.py did not start: " + first);
      }
      this.port = JSON.readTree(first).path("listening").asInt();
    }

    public static LibtorrentPeer start(Path torrent, Path dir, String... options) throws Exception {
      return start(torrent.toString(), dir, options);
    }

    /** For {@code target}, a .torrent file's path or a magnet link. */
    public static LibtorrentPeer start(String target, Path dir, String... options) throws Exception {
      requireLibtorrent();
      List<String> command = new ArrayList<>(List.of(PYTHON, script().toString(), target, dir.toString()));
      command.addAll(List.of(options));
      return new LibtorrentPeer(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** The next JSON line (the result of a download), waiting at most {@code max}. */
    public JsonNode awaitResult(Duration max) throws Exception {
      CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
        try {
          String l;
          while ((l = out.readLine()) != null && !l.startsWith("{")) {
            // libtorrent may print warnings; the result is the JSON line
          }
          return l;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      String result = line.get(max.toSeconds(), TimeUnit.SECONDS);
      return result == null ? JSON.createObjectNode() : JSON.readTree(result);
    }

    /** Asks it to stop (SIGTERM) and returns its last report. */
    public JsonNode stop() throws Exception {
      process.toHandle().destroy();
      JsonNode last = JSON.createObjectNode();
      for (JsonNode next = awaitResult(Duration.ofSeconds(30)); !next.isEmpty(); next = awaitResult(Duration.ofSeconds(30))) {
        last = next;
      }
      return last;
    }

    @Override
    public void close() {
      process.toHandle().destroy();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path script() throws Exception {
    return Path.of(RealTools.class.getResource("/interop/libtorrent_peer.py").toURI());
  }

  private static void require(boolean present, String what) {
    if (present) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail(what + " is not installed: .ci/run must install it");
    }
    assumeTrue(false, what + " is not installed (apt-get install " + what + "); skipping");
  }
}
