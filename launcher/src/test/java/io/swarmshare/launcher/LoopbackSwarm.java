package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.tracker.ScrapeStats;
import io.swarmshare.messages.tracker.http.HttpScrapeRequest;
import io.swarmshare.messages.tracker.http.HttpScrapeResponse;
import io.swarmshare.messages.tracker.http.HttpTrackerCodec;
import io.swarmshare.peer.ChunkServer;
import io.swarmshare.peer.Download;
import io.swarmshare.peer.PeerSettings;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.tracker.TrackerServer;
import io.swarmshare.tracker.TrackerSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * A swarm in one JVM for tests: each node in its own actor system on loopback, named as the
 * launcher names them ({@code /user/tracker}, {@code /user/session}), so that a test can reach any
 * actor by its path.
 */
final class LoopbackSwarm implements AutoCloseable {

  static final Duration HANG_GUARD = Duration.ofSeconds(120);

  private final List<ActorTestKit> nodes = new ArrayList<>();

  ActorTestKit node(String name, String config) {
    Config c = ConfigFactory.parseString(config).withFallback(NodeConfig.load(Map.of()));
    ActorTestKit kit = ActorTestKit.create(name, c);
    nodes.add(kit);
    return kit;
  }

  /** Our tracker on ephemeral ports, its catalogue in {@code dataDir}. */
  Tracker tracker(Path dataDir, String config) {
    ActorTestKit kit = node("tracker", "swarmshare.tracker { host = \"127.0.0.1\", port = 0, data-dir = \""
        + dataDir + "\" }\n" + config);
    TestProbe<TrackerServer.Status> status = kit.createTestProbe();
    kit.spawn(TrackerServer.create(TrackerSettings.from(kit.system().settings().config()), status.getRef()), "tracker");
    return new Tracker(kit, status.expectMessageClass(TrackerServer.Started.class, HANG_GUARD));
  }

  record Tracker(ActorTestKit kit, TrackerServer.Started started) {

    String udpUrl() {
      return "udp://127.0.0.1:" + started.udp().getPort() + "/announce";
    }

    /** The tracker's counts for the torrent, as its HTTP scrape gives them. */
    ScrapeStats scrape(Metainfo metainfo) throws Exception {
      URI uri = URI.create("http://127.0.0.1:" + started.http().getPort() + "/scrape?"
          + HttpTrackerCodec.toQuery(new HttpScrapeRequest(List.of(metainfo.infoHash()))));
      byte[] body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
          HttpResponse.BodyHandlers.ofByteArray()).body();
      return ((HttpScrapeResponse) HttpTrackerCodec.decodeScrape(body)).files().get(metainfo.infoHash());
    }
  }

  /** A peer node holding one torrent, which announces to {@code tracker}. */
  Node peer(String name, String config, Metainfo metainfo, Path dir, String tracker) {
    ActorTestKit kit = node(name, "swarmshare.peer { host = \"127.0.0.1\", port = 0 }\n" + config);
    TestProbe<ChunkServer.Status> started = kit.createTestProbe();
    ActorRef<Session.Command> session = kit.spawn(Session.create(PeerSettings.from(kit.system().settings().config()),
        PeerId.generate(), started.getRef()), "session");
    InetSocketAddress address = started.expectMessageClass(ChunkServer.Listening.class, HANG_GUARD).address();
    TestProbe<Session.Event> events = kit.createTestProbe();
    session.tell(new Session.Subscribe(Session.Selection.of(metainfo.infoHash()), events.getRef()));
    TestProbe<Session.Added> added = kit.createTestProbe();
    session.tell(new Session.Add(new Download.Job(metainfo, dir, List.of(List.of(tracker))), false, added.getRef()));
    assertThat(added.receiveMessage(HANG_GUARD).refusal()).isNull();
    return new Node(kit, session, address, events, metainfo);
  }

  record Node(ActorTestKit kit, ActorRef<Session.Command> session, InetSocketAddress address,
      TestProbe<Session.Event> events, Metainfo metainfo) {

    TorrentSnapshot await(TorrentState state) {
      return await(s -> s.state() == state);
    }

    /** Waits for a status that passes {@code test}, skipping those before it. */
    TorrentSnapshot await(Predicate<TorrentSnapshot> test) {
      return ((Session.TorrentChanged) events.fishForMessage(HANG_GUARD, e -> e instanceof Session.TorrentChanged c
          && test.test(c.torrent()) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0))
          .torrent();
    }

    /** The path of this node's Download for its torrent. */
    String download() {
      return "/user/session/download-" + metainfo.infoHash().hex();
    }
  }

  /** The actor at {@code path} in the node, or the first of several that a wildcard names. */
  static <T> ActorRef<T> find(ActorTestKit kit, String path) throws Exception {
    org.apache.pekko.actor.ActorRef classic = Adapter.toClassic(kit.system()).actorSelection(path)
        .resolveOne(HANG_GUARD).toCompletableFuture().get();
    return Adapter.toTyped(classic);
  }

  @Override
  public void close() {
    nodes.forEach(ActorTestKit::shutdownTestKit);
  }
}
