package io.swarmshare.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.daemon.DaemonSettings;
import io.swarmshare.daemon.LoopbackSession;
import io.swarmshare.daemon.rpc.BrowserLogins;
import io.swarmshare.daemon.rpc.RpcAccess;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.peer.Download;
import io.swarmshare.peer.Session;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a real session on a real socket, scraped after its real announces to
 * two HTTP trackers: one that refuses, then one that answers.
 */
class MetricsRouteTest {

  static final Duration GUARD = Duration.ofSeconds(60);
  static final HttpClient client = HttpClient.newHttpClient();
  @RegisterExtension static final LoopbackSession node = new LoopbackSession();
  @TempDir static Path root;

  static ServerBinding tracker(String bencoded) throws Exception {
    return Http.get(node.kit().system()).newServerAt("127.0.0.1", 0)
        .bindSync(request -> org.apache.pekko.http.javadsl.model.HttpResponse.create().withEntity(bencoded))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static String url(ServerBinding b) {
    return "http://127.0.0.1:" + b.localAddress().getPort() + "/announce";
  }

  static String label(ServerBinding b) {
    return "http://127.0.0.1:" + b.localAddress().getPort();
  }

  @Test
  void countsTheAnnouncesOfARealSessionPerTrackerWithItsQueues() throws Exception {
    ServerBinding refusing = tracker("d14:failure reason7:go awaye");
    ServerBinding good = tracker("d8:intervali1800e5:peers0:e");
    Path data = Files.createDirectories(root.resolve("data"));
    Path file = Files.write(data.resolve("song.ogg"), new byte[100_000]);
    Metainfo m = TorrentCreator.of(file).pieceLength(16384).creationDate(Optional.empty())
        .trackers(List.of(url(refusing), url(good))).create();
    TestProbe<Session.Added> added = node.kit().createTestProbe();
    node.session().tell(new Session.Add(new Download.Job(m, data, List.of(List.of(url(refusing)), List.of(url(good)))),
        false, added.getRef()));
    assertThat(added.receiveMessage(GUARD).torrent()).isPresent();

    Config config = ConfigFactory.parseString("swarmshare.daemon { rpc-port = 0, download-dir = \"" + data
        + "\", data-dir = \"" + root.resolve("state") + "\" }").withFallback(ConfigFactory.load());
    RpcAccess access = new RpcAccess(DaemonSettings.from(config),
        new BrowserLogins(Duration.ofHours(1), 10, Clock.systemUTC()));
    MetricsRoute route = new MetricsRoute(node.session(), node.kit().system().scheduler(), access,
        DaemonMetrics.maxTrackerLabels(config));
    ServerBinding binding = Http.get(node.kit().system()).newServerAt("127.0.0.1", 0).bind(route.route())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    URI metrics = URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/metrics");

    // Seeding, its one announce answered, and the disk pool idle again after the check.
    PrometheusText text = Awaitility.await().atMost(GUARD).until(() -> new PrometheusText(client.send(
            HttpRequest.newBuilder(metrics).timeout(GUARD).GET().build(), HttpResponse.BodyHandlers.ofString()).body()),
        t -> Double.valueOf(1.0).equals(t.value("swarmshare_announces_total", "tracker", label(good)))
            && Double.valueOf(1.0).equals(t.value("swarmshare_torrents", "state", "seeding"))
            && Double.valueOf(0.0).equals(t.value("swarmshare_disk_queue"))
            && Double.valueOf(0.0).equals(t.value("swarmshare_disk_running")));
    assertThat(text.value("swarmshare_announce_failures_total", "tracker", label(refusing))).isEqualTo(1.0);
    assertThat(text.value("swarmshare_announces_total", "tracker", label(refusing))).isEqualTo(0.0);
    assertThat(text.value("swarmshare_announce_failures_total", "tracker", label(good))).isEqualTo(0.0);
    assertThat(text.value("swarmshare_announces_total", "tracker", "other")).isEqualTo(0.0);
    assertThat(text.value("swarmshare_checking_queue", "stage", "waiting")).isEqualTo(0.0);
    assertThat(text.value("swarmshare_checking_queue", "stage", "checking")).isEqualTo(0.0);
    assertThat(text.value("swarmshare_torrent_pieces_have", "id", "1", "info_hash", m.infoHash().hex()))
        .isEqualTo((double) m.info().pieceCount());
  }
}
