package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.messages.tracker.TrackerUrl;
import io.swarmshare.tracker.TrackerServer;
import io.swarmshare.tracker.TrackerSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's side of the catalogue: publish keys, paging, bounded reads, and names under several publishers. */
class CatalogueClientTest {

  static final String KEY = "launcher-test-key-0123456789";
  static final ActorTestKit kit = ActorTestKit.create();
  static final ActorSystem<Void> keyed =
      ActorSystem.create(Behaviors.empty(), "keyed", NodeConfig.load(Map.of(CatalogueClient.PUBLISH_KEY, KEY)));
  static final ActorSystem<Void> keyless = ActorSystem.create(Behaviors.empty(), "keyless", NodeConfig.load(Map.of()));
  @TempDir static Path dataDir;
  @TempDir static Path files;
  static TrackerUrl tracker;

  @BeforeAll
  static void start() {
    TrackerSettings settings = TrackerSettings.from(ConfigFactory.parseString(
            "swarmshare.tracker { host = \"127.0.0.1\", port = 0, data-dir = \"" + dataDir + "\","
                + " catalogue-page-size = 2, catalogue-max-page-size = 2, publish-keys = [ { name = tester, key = \"" + KEY + "\","
                + " quota = 1 MiB, per-hour = 1000 } ] }")
        .withFallback(ConfigFactory.load()));
    TestProbe<TrackerServer.Status> status = kit.createTestProbe();
    kit.spawn(TrackerServer.create(settings, status.getRef()));
    int port = status.expectMessageClass(TrackerServer.Started.class, Duration.ofSeconds(20)).http().getPort();
    tracker = TrackerUrl.parse("http://127.0.0.1:" + port + "/announce");
  }

  @AfterAll
  static void shutdown() {
    keyed.terminate();
    keyless.terminate();
    kit.shutdownTestKit();
  }

  static Metainfo torrent(String name) throws Exception {
    Path dir = Files.createDirectories(files.resolve(name));
    Files.write(dir.resolve(name), name.getBytes(StandardCharsets.UTF_8));
    return TorrentCreator.of(dir.resolve(name)).creationDate(Optional.empty()).create();
  }

  /** A stand-in for a tracker that answers every path with {@code body}. */
  static HttpServer fake(byte[] body) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  static TrackerUrl at(HttpServer server) {
    return TrackerUrl.parse("http://127.0.0.1:" + server.getAddress().getPort() + "/announce");
  }

  @Test
  void publishesWithTheConfiguredKeyAndSaysWhatIsMissingWithout() throws Exception {
    CatalogueClient withKey = new CatalogueClient(keyed);
    CatalogueClient withoutKey = new CatalogueClient(keyless);
    assertThat(withKey.publish(tracker, torrent("keyed.bin").encode())).isEmpty();
    Optional<String> refused = withoutKey.publish(tracker, torrent("keyless.bin").encode());
    assertThat(refused).hasValueSatisfying(r -> assertThat(r).contains("Bearer").contains("--publish-key"));
  }

  @Test
  void listsEveryPageOfTheCatalogue() throws Exception {
    CatalogueClient client = new CatalogueClient(keyed);
    for (int i = 0; i < 5; i++) {
      assertThat(client.publish(tracker, torrent("page-" + i).encode())).isEmpty();
    }
    JsonNode all = client.list(tracker, Optional.of("page-"));
    assertThat(all).hasSize(5);
    assertThat(all.get(4).get("name").asText()).isEqualTo("page-4");
    assertThat(all.get(0).get("publisher").asText()).isEqualTo("tester");
  }

  @Test
  void checksThatATrackerAnswersWithACatalogue() throws Exception {
    CatalogueClient client = new CatalogueClient(keyless);
    client.check(tracker);
    HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    other.start();  // no context: every path is 404, as from a tracker without a catalogue
    TrackerUrl closed = at(other);
    try {
      assertThatThrownBy(() -> client.check(at(other)))
          .isInstanceOf(Main.CommandFailure.class).hasMessageContaining("has no catalogue");
    } finally {
      other.stop(0);
    }
    assertThatThrownBy(() -> client.check(closed))
        .isInstanceOf(Main.CommandFailure.class).hasMessageContaining("cannot reach the tracker at");
  }

  @Test
  void readsNoMoreThanItsBoundFromATracker() throws Exception {
    HttpServer huge = fake(new byte[(int) CatalogueClient.MAX_TORRENT_BYTES + 1]);
    try {
      CatalogueClient client = new CatalogueClient(keyless);
      assertThatThrownBy(() -> client.list(at(huge), Optional.empty()))
          .isInstanceOf(Main.CommandFailure.class).hasMessageContaining("sent more than " + CatalogueClient.MAX_PAGE_BYTES);
      assertThatThrownBy(() -> client.torrent(at(huge), torrent("any").infoHash()))
          .isInstanceOf(Main.CommandFailure.class).hasMessageContaining("sent more than " + CatalogueClient.MAX_TORRENT_BYTES);
    } finally {
      huge.stop(0);
    }
  }

  @Test
  void neverPicksANameFromUnderSeveralPublishers() throws Exception {
    String page = "{\"total\":2,\"offset\":0,\"limit\":1000,\"entries\":["
        + "{\"name\":\"song.ogg\",\"infoHash\":\"" + "a".repeat(40) + "\",\"size\":1,\"publisher\":\"alice\"},"
        + "{\"name\":\"song.ogg\",\"infoHash\":\"" + "b".repeat(40) + "\",\"size\":1,\"publisher\":\"mallory\\u001b[2J\"}]}";
    HttpServer server = fake(page.getBytes(StandardCharsets.UTF_8));
    try {
      StringWriter shown = new StringWriter();
      TorrentFinder finder = new TorrentFinder(new CatalogueClient(keyless), new PrintWriter(shown));
      assertThatThrownBy(() -> finder.find("song.ogg", List.of(at(server))))
          .isInstanceOf(Main.CommandFailure.class).hasMessageContaining("2 publishers");
      assertThat(shown.toString()).contains("alice").contains("mallory?[2J").doesNotContain("\u001b");
    } finally {
      server.stop(0);
    }
  }
}
