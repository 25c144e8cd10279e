package io.swarmshare.peer;

import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.peer.session.TorrentStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import static org.assertj.core.api.Assertions.assertThat;

/** A node's session on loopback, on an ephemeral port, in a test's actor system. */
final class TestNode {

  static final Duration HANG_GUARD = Duration.ofSeconds(60);

  final ActorTestKit kit;
  final PeerId id = PeerId.generate();
  final ActorRef<Session.Command> session;
  final InetSocketAddress address;

  TestNode(ActorTestKit kit, String settings) {
    this(kit, settings, null, List.of());
  }

  /** A node whose session keeps its torrents in {@code store} and takes up {@code restored}. */
  TestNode(ActorTestKit kit, String settings, TorrentStore store, List<TorrentStore.Stored> restored) {
    this(kit, settings, store, restored, Relocation.FILES);
  }

  /** A node whose session moves torrents' data with {@code mover}. */
  TestNode(ActorTestKit kit, String settings, TorrentStore store, List<TorrentStore.Stored> restored,
      Relocation.Mover mover) {
    this.kit = kit;
    TestProbe<ChunkServer.Status> started = kit.createTestProbe();
    session = kit.spawn(Session.create(settings(settings), id, started.getRef(), Optional.ofNullable(store), restored,
        mover));
    address = started.expectMessageClass(ChunkServer.Listening.class, HANG_GUARD).address();
  }

  TestNode(ActorTestKit kit) {
    this(kit, "");
  }

  static PeerSettings settings(String overrides) {
    return PeerSettings.from(ConfigFactory.parseString(
        "swarmshare.peer { host = \"127.0.0.1\", port = 0 }\n" + overrides).withFallback(ConfigFactory.load()));
  }

  /** A torrent the node fetches or seeds, with a probe that hears the session's events for it. */
  final class Torrent {
    final Metainfo metainfo;
    final TestProbe<Session.Event> events = kit.createTestProbe();

    Torrent(Download.Job job) {
      this.metainfo = job.metainfo();
      session.tell(new Session.Subscribe(Session.Selection.of(metainfo.infoHash()), events.getRef()));
      TestProbe<Session.Added> added = kit.createTestProbe();
      session.tell(new Session.Add(job, false, added.getRef()));
      assertThat(added.expectMessageClass(Session.Added.class, HANG_GUARD).refusal()).isNull();
    }

    /** Waits for the state, skipping the statuses before it. */
    TorrentSnapshot await(TorrentState state) {
      return await(s -> s.state() == state);
    }

    /** Waits for a status that passes {@code test}, skipping those before it. */
    TorrentSnapshot await(Predicate<TorrentSnapshot> test) {
      return ((Session.TorrentChanged) events.fishForMessage(HANG_GUARD, e -> e instanceof Session.TorrentChanged c
          && test.test(c.torrent()) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0))
          .torrent();
    }

    void connectTo(InetSocketAddress... peers) {
      session.tell(new Session.ConnectPeers(metainfo.infoHash(), List.of(peers)));
    }

    /** The torrent as the session shows it now. */
    TorrentSnapshot snapshot() {
      TestProbe<List<TorrentSnapshot>> reply = kit.createTestProbe();
      session.tell(new Session.GetTorrent(Session.Selection.of(metainfo.infoHash()), reply.getRef()));
      return reply.receiveMessage(HANG_GUARD).get(0);
    }

    /** Starts the torrent again (after it stopped or failed). */
    void start() {
      TestProbe<Session.Done> done = kit.createTestProbe();
      session.tell(new Session.Start(Session.Selection.of(metainfo.infoHash()), done.getRef()));
      done.expectMessageClass(Session.Done.class, HANG_GUARD);
    }

    /** Stops the torrent and waits until it has (its files closed). */
    void pause() {
      TestProbe<Session.Done> done = kit.createTestProbe();
      session.tell(new Session.Pause(Session.Selection.of(metainfo.infoHash()), done.getRef()));
      done.expectMessageClass(Session.Done.class, HANG_GUARD);
    }
  }

  Torrent add(Metainfo metainfo, Path directory) {
    return new Torrent(new Download.Job(metainfo, directory, List.of()));
  }

  Torrent add(Metainfo metainfo, Path directory, List<List<String>> trackers) {
    return new Torrent(new Download.Job(metainfo, directory, trackers));
  }

  Torrent add(Download.Job job) {
    return new Torrent(job);
  }
}
