package io.swarmshare.tracker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.tracker.http.HttpAnnounceRequest;
import io.swarmshare.messages.tracker.http.HttpAnnounceResponse;
import io.swarmshare.messages.tracker.http.HttpTrackerCodec;
import io.swarmshare.tracker.TrackerServer;
import io.swarmshare.tracker.TrackerSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tracker behind a reverse proxy on 127.0.0.2: the proxy's headers count, nobody else's. */
class TrustedProxyTest {

  static final ActorTestKit kit = ActorTestKit.create();
  @TempDir static Path dataDir;
  static TrackerServer.Started tracker;

  @BeforeAll
  static void start() {
    TrackerSettings settings = TrackerSettings.from(ConfigFactory.parseString(
            "swarmshare.tracker { host = \"127.0.0.1\", port = 0, data-dir = \"" + dataDir + "\","
                + " trusted-proxies = [\"127.0.0.2\"], trust-ip-field = true }")
        .withFallback(ConfigFactory.load()));
    TestProbe<TrackerServer.Status> status = kit.createTestProbe();
    kit.spawn(TrackerServer.create(settings, status.getRef()));
    tracker = status.expectMessageClass(TrackerServer.Started.class, Duration.ofSeconds(20));
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static HttpAnnounceResponse announce(String from, String query, Map<String, String> headers) throws Exception {
    RawHttp.Response r = RawHttp.get(from, tracker.http(), "/announce?" + query, headers);
    assertThat(r.status()).isEqualTo(200);
    return (HttpAnnounceResponse) HttpTrackerCodec.decodeAnnounce(r.body());
  }

  static String query(InfoHash hash, int port, long left, AnnounceEvent event) {
    byte[] id = new byte[20];
    id[0] = (byte) port;
    return HttpTrackerCodec.toQuery(HttpAnnounceRequest.of(hash, PeerId.of(id), port, 0, 0, left, event));
  }

  @Test
  void theProxyNamesItsClientsAndStrangersCannot() throws Exception {
    InfoHash hash = InfoHash.fromHex("eeee000000000000000000000000000000000001");
    announce("127.0.0.2", query(hash, 7501, 0, AnnounceEvent.STARTED), Map.of("X-Forwarded-For", "10.0.0.66, 127.0.0.9"));
    announce("127.0.0.2", query(hash, 7502, 0, AnnounceEvent.STARTED) + "&ip=127.0.0.8", Map.of());
    announce("127.0.0.3", query(hash, 7503, 0, AnnounceEvent.STARTED) + "&ip=127.0.0.7",
        Map.of("X-Forwarded-For", "127.0.0.6"));
    // A stranger's stopped in the proxy's name removes nothing.
    announce("127.0.0.3", query(hash, 7501, 0, AnnounceEvent.STOPPED), Map.of("X-Forwarded-For", "127.0.0.9"));
    HttpAnnounceResponse asker = announce("127.0.0.4", query(hash, 7504, 5, AnnounceEvent.STARTED), Map.of());
    assertThat(asker.addresses()).containsExactlyInAnyOrder(
        new PeerAddress(InetAddress.getByName("127.0.0.9"), 7501),
        new PeerAddress(InetAddress.getByName("127.0.0.8"), 7502),
        new PeerAddress(InetAddress.getByName("127.0.0.3"), 7503));
  }
}
