package io.swarmshare.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.ScrapeStats;
import io.swarmshare.tracker.registry.Announce;
import io.swarmshare.tracker.registry.AnnounceResult;
import io.swarmshare.tracker.registry.Registry;
import java.net.InetAddress;
import java.time.Duration;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.tracker.catalogue.Catalogue;
import io.swarmshare.tracker.catalogue.PublishResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackerTest {

  static final ActorTestKit kit = ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  static final ManualTime time = ManualTime.get(kit.system());

  static final InfoHash HASH = InfoHash.fromHex("0102030405060708090a0b0c0d0e0f1011121314");
  static final InfoHash UNKNOWN = InfoHash.fromHex("dead000000000000000000000000000000000000");

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @TempDir static Path dataDir;
  @TempDir static Path files;

  /** Ten-second heartbeats, forgotten after 25 s, swept every 5 s. */
  static TrackerSettings settings() {
    Config c = ConfigFactory.parseString("""
        swarmshare.tracker {
          port = 0
          announce-interval = 10 s
          min-announce-interval = 5 s
          peer-timeout = 25 s
          sweep-interval = 5 s
        }""")
        .withFallback(ConfigFactory.parseMap(Map.of("swarmshare.tracker.data-dir", dataDir.toString())))
        .withFallback(ConfigFactory.load());
    return TrackerSettings.from(c);
  }

  static Announce announce(InfoHash hash, int lastOctet, long left, AnnounceEvent event) throws Exception {
    return new Announce(hash, InetAddress.getByName("10.0.0." + lastOctet), 6881, left, event, -1,
        Announce.Families.BOTH);
  }

  static AnnounceResult ask(ActorRef<Tracker.Command> tracker, Announce a) {
    TestProbe<Tracker.Answer> probe = kit.createTestProbe();
    tracker.tell(new Tracker.Announce(a, "ticket", probe.getRef()));
    Tracker.Answer answer = probe.receiveMessage(Duration.ofSeconds(10));
    assertThat(answer.ticket()).isEqualTo("ticket");
    assertThat(answer).isInstanceOf(Tracker.Announced.class);
    return ((Tracker.Announced) answer).result();
  }

  @Test
  void answersWithTheIntervalAndTheOtherPeers() throws Exception {
    ActorRef<Tracker.Command> tracker = kit.spawn(Tracker.create(settings(), new TrackerStats()));
    ask(tracker, announce(HASH, 1, 100, AnnounceEvent.STARTED));
    TestProbe<Tracker.Answer> probe = kit.createTestProbe();
    tracker.tell(new Tracker.Announce(announce(HASH, 2, 0, AnnounceEvent.STARTED), 42, probe.getRef()));
    Tracker.Announced answer = probe.expectMessageClass(Tracker.Announced.class);
    assertThat(answer.ticket()).isEqualTo(42);
    assertThat(answer.interval()).isEqualTo(10);
    assertThat(answer.minInterval()).isEqualTo(5);
    assertThat(answer.result().peerCount()).isEqualTo(1);
    assertThat(answer.result().seeders()).isEqualTo(1);
    assertThat(answer.result().leechers()).isEqualTo(1);
    TestProbe<Tracker.Scraped> scrape = kit.createTestProbe();
    tracker.tell(new Tracker.Scrape(List.of(HASH, UNKNOWN), "s", scrape.getRef()));
    assertThat(scrape.receiveMessage().stats()).containsExactly(new ScrapeStats(1, 0, 1), new ScrapeStats(0, 0, 0));
  }

  @Test
  void forgetsAPeerThatStopsAnnouncingAndKeepsOneThatDoesNot() throws Exception {
    ActorRef<Tracker.Command> tracker = kit.spawn(Tracker.create(settings(), new TrackerStats()));
    InfoHash hash = InfoHash.fromHex("1111111111111111111111111111111111111111");
    ask(tracker, announce(hash, 1, 100, AnnounceEvent.STARTED));
    ask(tracker, announce(hash, 2, 100, AnnounceEvent.STARTED));
    // Peer 2 keeps its heartbeat every 10 s; peer 1 falls silent.
    for (int i = 0; i < 3; i++) {
      time.timePasses(Duration.ofSeconds(10));
      assertThat(ask(tracker, announce(hash, 2, 100, AnnounceEvent.NONE)).peerCount())
          .as("after %d s", (i + 1) * 10).isEqualTo(i < 2 ? 1 : 0);
    }
    TestProbe<Registry.Totals> totals = kit.createTestProbe();
    tracker.tell(new Tracker.GetTotals(totals.getRef()));
    assertThat(totals.receiveMessage().peers()).isEqualTo(1);
    time.timePasses(Duration.ofSeconds(30));
    tracker.tell(new Tracker.GetTotals(totals.getRef()));
    assertThat(totals.receiveMessage()).isEqualTo(new Registry.Totals(0, 0, 0));
  }

  @Test
  void isRestartedAfterAFailureWithItsCatalogueAndRefilledByTheNextAnnounces() throws Exception {
    TrackerSettings settings = settings();
    ActorRef<Tracker.Command> tracker = kit.spawn(Behaviors.supervise(
            Tracker.create(settings, new TrackerStats()))
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(1), 0)));
    Path file = Files.write(files.resolve("shared-file.bin"), new byte[5000]);
    Metainfo published = TorrentCreator.of(file).create();
    TestProbe<PublishResult> publish = kit.createTestProbe();
    tracker.tell(new Tracker.Publish(published.encode(), new Catalogue.Publisher(Catalogue.LOCAL, Long.MAX_VALUE),
        publish.getRef()));
    assertThat(publish.receiveMessage(Duration.ofSeconds(10))).isInstanceOf(PublishResult.Added.class);
    InfoHash hash = InfoHash.fromHex("2222222222222222222222222222222222222222");
    ask(tracker, announce(hash, 1, 100, AnnounceEvent.STARTED));
    assertThat(ask(tracker, announce(hash, 2, 100, AnnounceEvent.STARTED)).peerCount()).isEqualTo(1);

    tracker.tell(new Tracker.Crash());
    // The back-off holds announces until the restart; the restarted registry starts empty.
    TestProbe<Tracker.Answer> held = kit.createTestProbe();
    tracker.tell(new Tracker.Announce(announce(hash, 2, 100, AnnounceEvent.NONE), "held", held.getRef()));
    time.timePasses(Duration.ofMillis(300));
    Tracker.Announced afterRestart = held.expectMessageClass(Tracker.Announced.class, Duration.ofSeconds(10));
    assertThat(afterRestart.result().peerCount()).isZero();
    assertThat(ask(tracker, announce(hash, 1, 100, AnnounceEvent.NONE)).peerCount()).isEqualTo(1);

    TestProbe<Tracker.CataloguePage> listing = kit.createTestProbe();
    tracker.tell(new Tracker.ListCatalogue(Optional.empty(), 0, 10, listing.getRef()));
    assertThat(listing.receiveMessage(Duration.ofSeconds(10)).entries())
        .extracting(Tracker.CatalogueEntry::infoHash).containsExactly(published.infoHash().hex());
  }
}
