package io.swarmshare.tracker.http;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Quotas over HTTP: per key, and the catalogue's bytes in all. */
class CatalogueQuotaTest {

  static final ActorTestKit kit = ActorTestKit.create();
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  static final ObjectMapper json = new ObjectMapper();
  static final String SMALL = "small-secret-0123456789";
  static final String BIG = "big-secret-0123456789";
  @TempDir static Path dataDir;
  @TempDir static Path files;
  static String base;
  static TrackerServer.Started started;

  @BeforeAll
  static void start() {
    // A one-file torrent of this test is about 110 bytes: two fit the small quota, five the catalogue.
    TrackerSettings settings = TrackerSettings.from(ConfigFactory.parseString(
            "swarmshare.tracker { host = \"127.0.0.1\", port = 0, data-dir = \"" + dataDir + "\","
                + " max-catalogue-bytes = 600, publish-keys = ["
                + " { name = small, key = \"" + SMALL + "\", quota = 250, per-hour = 1000 },"
                + " { name = big, key = \"" + BIG + "\", quota = 1 MiB, per-hour = 1000 } ] }")
        .withFallback(ConfigFactory.load()));
    TestProbe<TrackerServer.Status> status = kit.createTestProbe();
    kit.spawn(TrackerServer.create(settings, status.getRef()));
    started = status.expectMessageClass(TrackerServer.Started.class, Duration.ofSeconds(20));
    base = "http://127.0.0.1:" + started.http().getPort();
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static Metainfo torrent(String name) throws Exception {
    Path dir = Files.createDirectories(files.resolve(name));
    Files.write(dir.resolve(name), new byte[] {1, 2, 3});
    return TorrentCreator.of(dir.resolve(name)).creationDate(Optional.empty()).create();
  }

  static HttpResponse<byte[]> publish(Metainfo torrent, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/torrents")).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofByteArray(torrent.encode())).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void keysStayWithinTheirQuotaAndTheCatalogueWithinItsBytes() throws Exception {
    Metainfo a = torrent("q-a");
    assertThat(a.encode().length).isBetween(100, 125);
    assertThat(publish(a, SMALL).statusCode()).isEqualTo(201);
    assertThat(publish(torrent("q-b"), SMALL).statusCode()).isEqualTo(201);
    HttpResponse<byte[]> overQuota = publish(torrent("q-c"), SMALL);
    assertThat(overQuota.statusCode()).isEqualTo(403);
    assertThat(json.readTree(overQuota.body()).get("error").asText()).contains("quota");
    int accepted = 0;
    HttpResponse<byte[]> r = publish(torrent("q-big-0"), BIG);
    while (r.statusCode() == 201 && accepted < 10) {
      accepted++;
      r = publish(torrent("q-big-" + accepted), BIG);
    }
    assertThat(r.statusCode()).isEqualTo(507);
    assertThat(json.readTree(r.body()).get("error").asText()).contains("full");
    assertThat(accepted).isEqualTo(3);
    String stats = new String(http.send(HttpRequest.newBuilder(URI.create(base + "/stats")).build(),
        HttpResponse.BodyHandlers.ofByteArray()).body());
    assertThat(json.readTree(stats).at("/limits/publishQuotaPerKey/hits").asLong()).isEqualTo(1);
    assertThat(json.readTree(stats).at("/limits/catalogueBytes/hits").asLong()).isEqualTo(1);
    assertThat(json.readTree(stats).at("/limits/catalogueBytes/limit").asLong()).isEqualTo(600);
  }
}
