package io.swarmshare.launcher;

import com.typesafe.config.Config;
import io.swarmshare.messages.PeerId;
import io.swarmshare.peer.ChunkServer;
import io.swarmshare.peer.Download;
import io.swarmshare.peer.Peer;
import io.swarmshare.peer.PeerSettings;
import io.swarmshare.tracker.TrackerServer;
import io.swarmshare.tracker.TrackerSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
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

/**
 * A node in an actor system of its own: its peer, and for `node` its tracker too. Stopping it, by
 * {@link #stop} or by Ctrl-C/SIGTERM through Pekko's coordinated shutdown, first stops every
 * torrent, so that each tells its trackers {@code stopped}.
 */
final class PeerNode {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  /** What the node's guardian does: it holds the Peer and a status listener per torrent. */
  sealed interface Command {}

  private record Listen(CompletableFuture<ChunkServer.Status> started) implements Command {}

  private record Add(Download.Job job, Consumer<Download.Status> onStatus, ActorRef<Peer.Added> replyTo)
      implements Command {}

  private record Stop(ActorRef<Peer.Stopped> replyTo) implements Command {}

  private record StartTracker(TrackerSettings settings, CompletableFuture<TrackerServer.Status> status)
      implements Command {}

  private final ActorSystem<Command> system;
  private InetSocketAddress address;

  private PeerNode(ActorSystem<Command> system) {
    this.system = system;
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
    PeerSettings settings = PeerSettings.from(config);
    Addresses.requireLiteralOrResolvable(settings.host(), "--host");
    ActorSystem<Command> system = ActorSystem.create(guardian(settings), name, config);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "stop-torrents",
        () -> AskPattern.<Command, Peer.Stopped>ask(system, Stop::new, STOP_TIMEOUT, system.scheduler())
            .handle((stopped, failure) -> Done.getInstance()));
    return new PeerNode(system);
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

  private static Behavior<Command> guardian(PeerSettings settings) {
    return Behaviors.setup(ctx -> {
      AtomicReference<ActorRef<Peer.Command>> peer = new AtomicReference<>();
      return Behaviors.receive(Command.class)
          .onMessage(Listen.class, listen -> {
            ActorRef<ChunkServer.Status> reporter = ctx.spawn(reporting(listen.started()), "started");
            peer.set(ctx.spawn(Peer.create(settings, PeerId.generate(), reporter), "peer"));
            ctx.watch(peer.get());
            return Behaviors.same();
          })
          .onMessage(StartTracker.class, start -> {
            ActorRef<TrackerServer.Status> reporter = ctx.spawn(reporting(start.status()), "tracker-status");
            ctx.watch(ctx.spawn(TrackerServer.create(start.settings(), reporter), "tracker"));
            return Behaviors.same();
          })
          .onMessage(Add.class, add -> {
            ActorRef<Download.Status> listener = ctx.spawnAnonymous(Behaviors.receiveMessage(s -> {
              add.onStatus().accept(s);
              return Behaviors.same();
            }));
            peer.get().tell(new Peer.Add(add.job(), listener, add.replyTo()));
            return Behaviors.same();
          })
          .onMessage(Stop.class, stop -> {
            if (peer.get() == null) {
              stop.replyTo().tell(Peer.Stopped.INSTANCE);
            } else {
              peer.get().tell(new Peer.Stop(stop.replyTo()));
            }
            return Behaviors.same();
          })
          // The node stops when its peer or its tracker stops (a port in use, say).
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

  /** Adds a torrent; {@code onStatus} hears how it does, on an actor's thread, one call at a time. */
  Peer.Added add(Download.Job job, Consumer<Download.Status> onStatus) throws InterruptedException, ExecutionException,
      TimeoutException {
    return AskPattern.<Command, Peer.Added>ask(system, replyTo -> new Add(job, onStatus, replyTo), ASK_TIMEOUT,
        system.scheduler()).toCompletableFuture().get(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
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
