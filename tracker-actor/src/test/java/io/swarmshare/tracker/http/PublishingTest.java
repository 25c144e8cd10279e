package io.swarmshare.tracker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.tracker.TrackerServer;
import io.swarmshare.tracker.TrackerSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /torrents with publish keys configured, and GET /catalogue in pages, over a real socket. */
class PublishingTest {

  static final ActorTestKit kit = ActorTestKit.create();
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  static final ObjectMapper json = new ObjectMapper();
  static final String ALICE = "alice-secret-0123456789";
  static final String BOB = "bob-secret-0123456789";
  static final String CAROL = "carol-secret-0123456789";
  @TempDir static Path dataDir;
  @TempDir static Path files;
  static String base;

  @BeforeAll
  static void start() {
    TrackerSettings settings = TrackerSettings.from(ConfigFactory.parseString(
            "swarmshare.tracker { host = \"127.0.0.1\", port = 0, data-dir = \"" + dataDir + "\","
                + " catalogue-page-size = 2, catalogue-max-page-size = 3, publish-burst = 10, publish-keys = ["
                + " { name = alice, key = \"" + ALICE + "\", quota = 1 MiB, per-hour = 1000 },"
                + " { name = bob, key = \"" + BOB + "\", quota = 1 MiB, per-hour = 1000 },"
                + " { name = carol, key = \"" + CAROL + "\", quota = 1 MiB, per-hour = 0.001 } ] }")
        .withFallback(ConfigFactory.load()));
    TestProbe<TrackerServer.Status> status = kit.createTestProbe();
    kit.spawn(TrackerServer.create(settings, status.getRef()));
    base = "http://127.0.0.1:" + status.expectMessageClass(TrackerServer.Started.class, Duration.ofSeconds(20)).http().getPort();
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static Metainfo torrent(String name, int size) throws Exception {
    Path dir = Files.createDirectories(files.resolve(name + "-" + size));
    byte[] data = new byte[size];
    data[0] = (byte) size;
    Files.write(dir.resolve(name), data);
    return TorrentCreator.of(dir.resolve(name)).creationDate(Optional.empty()).create();
  }

  static HttpResponse<byte[]> publish(Metainfo torrent, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/torrents")).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(torrent.encode()));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static JsonNode get(String path) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return json.readTree(r.body());
  }

  static String error(HttpResponse<byte[]> r) throws Exception {
    return json.readTree(r.body()).get("error").asText();
  }

  @Test
  void publishingNeedsAKnownKeyEvenFromLoopback() throws Exception {
    Metainfo t = torrent("keyless.bin", 100);
    HttpResponse<byte[]> none = publish(t, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(error(none)).contains("Authorization: Bearer");
    HttpResponse<byte[]> wrong = publish(t, ALICE + "x");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(error(wrong)).doesNotContain(ALICE);
    HttpResponse<byte[]> right = publish(t, ALICE);
    assertThat(right.statusCode()).isEqualTo(201);
    assertThat(json.readTree(right.body()).get("publisher").asText()).isEqualTo("alice");
  }

  @Test
  void aNameBelongsToTheKeyThatPublishedItFirst() throws Exception {
    assertThat(publish(torrent("owned.iso", 100), ALICE).statusCode()).isEqualTo(201);
    HttpResponse<byte[]> squatter = publish(torrent("owned.iso", 200), BOB);
    assertThat(squatter.statusCode()).isEqualTo(409);
    assertThat(error(squatter)).contains("owned.iso").contains("alice");
    assertThat(publish(torrent("owned.iso", 300), ALICE).statusCode()).isEqualTo(201);
    JsonNode page = get("/catalogue?name=owned.iso&limit=3");
    assertThat(page.get("total").asInt()).isEqualTo(2);
    for (JsonNode e : page.get("entries")) {
      assertThat(e.get("publisher").asText()).isEqualTo("alice");
    }
  }

  @Test
  void aKeyPublishesAtItsRate() throws Exception {
    // A burst of 10, then one per 1000 hours.
    for (int i = 0; i < 10; i++) {
      assertThat(publish(torrent("carol-" + i, 100), CAROL).statusCode()).isEqualTo(201);
    }
    HttpResponse<byte[]> eleventh = publish(torrent("carol-10", 100), CAROL);
    assertThat(eleventh.statusCode()).isEqualTo(429);
    assertThat(error(eleventh)).contains("carol");
    assertThat(get("/stats").at("/limits/publishesPerHourPerKey/hits").asLong()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void theCatalogueComesInPagesWithItsTotal() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(publish(torrent("paged-" + i, 100), BOB).statusCode()).isIn(200, 201);
    }
    JsonNode first = get("/catalogue?name=paged-");
    assertThat(first.get("total").asInt()).isEqualTo(5);
    assertThat(first.get("limit").asInt()).isEqualTo(2);
    assertThat(first.get("entries")).hasSize(2);
    assertThat(first.get("entries").get(0).get("name").asText()).isEqualTo("paged-0");
    JsonNode big = get("/catalogue?name=paged-&offset=1&limit=100");
    assertThat(big.get("limit").asInt()).isEqualTo(3);
    assertThat(big.get("entries")).hasSize(3);
    assertThat(big.get("entries").get(0).get("name").asText()).isEqualTo("paged-1");
    assertThat(get("/catalogue?name=paged-&offset=4").get("entries")).hasSize(1);
    HttpResponse<byte[]> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/catalogue?offset=-1")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(bad.statusCode()).isEqualTo(400);
  }
}
