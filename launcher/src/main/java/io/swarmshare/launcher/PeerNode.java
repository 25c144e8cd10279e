package io.swarmshare.launcher;

import com.typesafe.config.Config;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.peer.ChunkServer;
import io.swarmshare.peer.Download;
import io.swarmshare.peer.MetadataFetch;
import io.swarmshare.peer.PeerSettings;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentStore;
import io.swarmshare.tracker.TrackerServer;
import io.swarmshare.tracker.TrackerSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node in an actor system of its own: its session, and for `node` its tracker too. Stopping it, by
 * {@link #stop} or by Ctrl-C/SIGTERM through Pekko's coordinated shutdown, first stops every
 * torrent, so that each tells its trackers {@code stopped}.
 */
final class PeerNode {

  private static final Logger log = LoggerFactory.getLogger(PeerNode.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

  /** What the node's guardian does: it holds the Session and a subscriber per torrent a command follows. */
  sealed interface Command {}

  private record Listen(CompletableFuture<ChunkServer.Status> started) implements Command {}

  private record GetSession(CompletableFuture<ActorRef<Session.Command>> session) implements Command {}

  private record Add(Download.Job job, Consumer<TorrentSnapshot> onStatus, ActorRef<Session.Added> replyTo)
      implements Command {}

  private record Stop(ActorRef<Session.Stopped> replyTo) implements Command {}

  private record FetchMetadata(MetadataFetch.Subject subject, CompletableFuture<MetadataFetch.Outcome> outcome)
      implements Command {}

  /** Anything for the session itself: the guardian passes it on. */
  private record ToSession(Session.Command command) implements Command {}

  private record Watch(Consumer<Session.Event> onEvent) implements Command {}

  private record StartTracker(TrackerSettings settings, CompletableFuture<TrackerServer.Status> status)
      implements Command {}

  private final ActorSystem<Command> system;
  /** Whether the session keeps its torrents in a store (a daemon's), so that it may hold one of a node's list already. */
  private final boolean keepsTorrents;
  private InetSocketAddress address;

  private PeerNode(ActorSystem<Command> system, boolean keepsTorrents) {
    this.system = system;
    this.keepsTorrents = keepsTorrents;
  }

  /**
   * The node's actor system, not yet listening: commands first use it to ask a tracker's catalogue,
   * so that a wrong name fails before the node says anything.
   */
  static PeerNode create(Config config) {
    return create(config, "swarmshare");
  }

  /** The same, with the actor system named for the node. */
  static PeerNode create(Config config, String name) {
    return create(config, name, Optional.empty(), List.of());
  }

  /** A node whose session keeps its torrents in {@code store}, taking up {@code restored} (a daemon). */
  static PeerNode create(Config config, String name, Optional<TorrentStore> store, List<TorrentStore.Stored> restored) {
    PeerSettings settings = PeerSettings.from(config);
    Addresses.requireLiteralOrResolvable(settings.host(), "--host");
    ActorSystem<Command> system = ActorSystem.create(guardian(settings, store, restored), name, config);
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    // Stopping takes a tracker's stopped answer (bounded by stop-announce-timeout) and a resume
    // save per torrent; the phase's timeout (swarmshare-node.conf) is the ask's, so neither warns first.
    Duration stopTimeout = Duration.ofMillis(shutdown.timeout(CoordinatedShutdown.PhaseServiceUnbind()).toMillis());
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "stop-torrents",
        () -> AskPattern.<Command, Session.Stopped>ask(system, Stop::new, stopTimeout, system.scheduler())
            .handle((stopped, failure) -> Done.getInstance()));
    return new PeerNode(system, store.isPresent());
  }

  /** Binds the peer's port and waits until it listens; a port in use or a bad host is one line. */
  void listen() throws InterruptedException, ExecutionException {
    CompletableFuture<ChunkServer.Status> started = new CompletableFuture<>();
    system.tell(new Listen(started));
    ChunkServer.Status status = await(started, "the peer");
    if (status instanceof ChunkServer.Failed failed) {
      throw new Main.CommandFailure(failed.reason());
    }
    address = ((ChunkServer.Listening) status).address();
  }

  private static Behavior<Command> guardian(PeerSettings settings, Optional<TorrentStore> store,
      List<TorrentStore.Stored> restored) {
    return Behaviors.setup(ctx -> {
      AtomicReference<ActorRef<Session.Command>> session = new AtomicReference<>();
      return Behaviors.receive(Command.class)
          .onMessage(Listen.class, listen -> {
            ActorRef<ChunkServer.Status> reporter = ctx.spawn(reporting(listen.started()), "started");
            session.set(ctx.spawn(Session.create(settings, PeerId.generate(), reporter, store, restored), "session"));
            ctx.watch(session.get());
            return Behaviors.same();
          })
          .onMessage(StartTracker.class, start -> {
            ActorRef<TrackerServer.Status> reporter = ctx.spawn(reporting(start.status()), "tracker-status");
            ctx.watch(ctx.spawn(TrackerServer.create(start.settings(), reporter), "tracker"));
            return Behaviors.same();
          })
          .onMessage(Add.class, add -> {
            ActorRef<Session.Event> listener = ctx.spawnAnonymous(Behaviors.receiveMessage(event -> {
              if (event instanceof Session.TorrentChanged changed) {
                add.onStatus().accept(changed.torrent());
              }
              return Behaviors.same();
            }));
            Session.Selection torrent = Session.Selection.of(add.job().metainfo().infoHash());
            session.get().tell(new Session.Subscribe(torrent, listener));
            session.get().tell(new Session.Add(add.job(), false, add.replyTo()));
            return Behaviors.same();
          })
          .onMessage(FetchMetadata.class, fetch -> {
            session.get().tell(new Session.FetchMetadata(fetch.subject(), ctx.spawnAnonymous(reporting(fetch.outcome()))));
            return Behaviors.same();
          })
          .onMessage(GetSession.class, msg -> {
            msg.session().complete(session.get());
            return Behaviors.same();
          })
          .onMessage(ToSession.class, msg -> {
            session.get().tell(msg.command());
            return Behaviors.same();
          })
          .onMessage(Watch.class, watch -> {
            session.get().tell(new Session.Subscribe(Session.Selection.everything(),
                ctx.spawnAnonymous(Behaviors.receiveMessage(event -> {
                  watch.onEvent().accept(event);
                  return Behaviors.same();
                }))));
            return Behaviors.same();
          })
          .onMessage(Stop.class, stop -> {
            if (session.get() == null) {
              stop.replyTo().tell(Session.Stopped.INSTANCE);
            } else {
              session.get().tell(new Session.Shutdown(stop.replyTo()));
            }
            return Behaviors.same();
          })
          // The node stops when its session or its tracker stops (a port in use, say).
          .onSignal(Terminated.class, t -> Behaviors.stopped())
          .build();
    });
  }

  private static <T> Behavior<T> reporting(CompletableFuture<T> into) {
    return Behaviors.receiveMessage(s -> {
      into.complete(s);
      return Behaviors.same();
    });
  }

  /** Starts the node's tracker and waits until it is up; a port in use is one line. */
  TrackerServer.Started startTracker(TrackerSettings settings) throws InterruptedException, ExecutionException {
    CompletableFuture<TrackerServer.Status> status = new CompletableFuture<>();
    system.tell(new StartTracker(settings, status));
    TrackerServer.Status outcome = await(status, "the tracker");
    if (outcome instanceof TrackerServer.Failed failed) {
      throw new Main.CommandFailure(failed.reason());
    }
    return (TrackerServer.Started) outcome;
  }

  /** What a starting part of the node reports, or one line if it says nothing in time. */
  private static <T> T await(CompletableFuture<T> status, String what)
      throws InterruptedException, ExecutionException {
    try {
      return status.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new Main.CommandFailure(what + " did not start within " + START_TIMEOUT.toSeconds() + " s");
    }
  }

  InetSocketAddress address() {
    return address;
  }

  ActorSystem<?> system() {
    return system;
  }

  /**
   * Adds a torrent; {@code onStatus} hears how it does, on an actor's thread, one call at a time.
   * A daemon's session has taken up the torrents it held before a node adds its list, so there a
   * torrent held already is no refusal: the answer is the torrent as held, said once at INFO.
   */
  Session.Added add(Download.Job job, Consumer<TorrentSnapshot> onStatus) throws InterruptedException, ExecutionException,
      TimeoutException {
    Session.Added added = AskPattern.<Command, Session.Added>ask(system, replyTo -> new Add(job, onStatus, replyTo),
        ASK_TIMEOUT, system.scheduler()).toCompletableFuture().get(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (added.refusal() == null || !keepsTorrents) {
      return added;
    }
    // The Session says why in words; whether it holds the torrent is asked, not read from them.
    List<TorrentSnapshot> held = AskPattern.<Command, List<TorrentSnapshot>>ask(system,
            replyTo -> new ToSession(new Session.GetTorrent(Session.Selection.of(job.metainfo().infoHash()), replyTo)),
            ASK_TIMEOUT, system.scheduler())
        .toCompletableFuture().get(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (held.isEmpty()) {
      return added;
    }
    TorrentSnapshot torrent = held.get(0);
    log.info("{}: held already, in {}; not added again", Printable.escape(job.metainfo().info().name()),
        Printable.escape(torrent.directory().toString()));
    return new Session.Added(Optional.of(torrent), null);
  }

  /**
   * The torrent of a magnet link, from its peers (BEP 9), once {@link #listen} has started the
   * node: it waits, as a download does, for as long as no peer gives it.
   */
  Metainfo fetchMetadata(MetadataFetch.Subject subject) throws InterruptedException, ExecutionException {
    CompletableFuture<MetadataFetch.Outcome> outcome = new CompletableFuture<>();
    system.tell(new FetchMetadata(subject, outcome));
    if (outcome.get() instanceof MetadataFetch.Unusable unusable) {
      throw new Main.CommandFailure("the torrent " + unusable.infoHash().hex() + " that peers gave is not usable: "
          + unusable.why());
    }
    return ((MetadataFetch.Fetched) outcome.get()).metainfo();
  }

  /** The node's session, once {@link #listen} has started it: for front ends that speak to it themselves. */
  ActorRef<Session.Command> session() throws InterruptedException, ExecutionException {
    CompletableFuture<ActorRef<Session.Command>> session = new CompletableFuture<>();
    system.tell(new GetSession(session));
    return await(session, "the session");
  }

  /** Every torrent of the node's session as it is now; none for a node that has no session (a tracker). */
  List<TorrentSnapshot> torrents() throws InterruptedException, ExecutionException, TimeoutException {
    if (address == null) {
      return List.of();
    }
    return AskPattern.<Command, List<TorrentSnapshot>>ask(system,
            replyTo -> new ToSession(new Session.ListTorrents(replyTo)), ASK_TIMEOUT, system.scheduler())
        .toCompletableFuture().get(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** {@code onEvent} hears every event of the session, on an actor's thread, one call at a time. */
  void watch(Consumer<Session.Event> onEvent) {
    system.tell(new Watch(onEvent));
  }

  /** Stops every torrent (announcing {@code stopped}), then the actor system. */
  void stop() {
    CoordinatedShutdown.get(system).run(CoordinatedShutdown.jvmExitReason());
    awaitQuietly(system);
  }

  /** Blocks until the node stops (Ctrl-C, SIGTERM, or {@link #stop}). */
  void awaitTermination() {
    system.getWhenTerminated().toCompletableFuture().join();
  }

  private static void awaitQuietly(ActorSystem<?> system) {
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the JVM is about to exit anyway
    }
  }
}
