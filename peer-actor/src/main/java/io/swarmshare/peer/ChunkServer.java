package io.swarmshare.peer;

import io.swarmshare.messages.LogThrottle;
import io.swarmshare.peer.crypto.AnsweringTransport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;

/**
 * Listens for remote peers (Pekko Streams TCP) and gives each its own {@link Connection}, which
 * reads the remote's handshake and hands it to the router, which finds the torrent's owner. Past
 * {@code max-connections} a newcomer is closed at once, before it costs anything. A restarted
 * server binds the port the node had before, since the trackers and the swarm know the node by it,
 * and tries again with back-off while that port is still closing.
 */
public final class ChunkServer extends AbstractBehavior<ChunkServer.Command> {

  public sealed interface Command permits Bound, BindFailed, Rebind, Accepted, RemoteGone, Crash {}

  private record Bound(Tcp.ServerBinding binding) implements Command {}

  private record BindFailed(Throwable cause) implements Command {}

  private enum Rebind implements Command {
    INSTANCE
  }

  private record Accepted(Tcp.IncomingConnection connection) implements Command {}

  private enum RemoteGone implements Command {
    INSTANCE
  }

  /** A test seam, never sent by production code: fails the actor, to show its supervisor at work. */
  public record Crash() implements Command {}

  /** Whether the server could listen. */
  public sealed interface Status permits Listening, Failed {}

  public record Listening(InetSocketAddress address) implements Status {}

  public record Failed(String reason) implements Status {}

  private static final Duration FIRST_REBIND = Duration.ofMillis(250);
  private static final Duration LAST_REBIND = Duration.ofSeconds(30);

  /**
   * A server on the configured port, or on {@code boundBefore} when that is not 0: the port the
   * node listened on before a restart. Only a first bind that fails is reported as {@link Failed}.
   */
  public static Behavior<Command> create(SessionContext node, IntSupplier boundBefore,
      ActorRef<Connection.Event> router, ActorRef<Status> status) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new ChunkServer(ctx, timers, node, boundBefore.getAsInt(), router, status)));
  }

  private final SessionContext node;
  private final PeerSettings settings;
  private final LogThrottle refusalLog = new LogThrottle(Duration.ofMinutes(1), 1024);
  /** Where answered connections take the remote's handshake: the Session, which knows every torrent. */
  private final ActorRef<Connection.Event> router;
  private final ActorRef<Status> status;
  private final TimerScheduler<Command> timers;
  private final int port;
  private final boolean rebinding;
  private Duration nextRebind = FIRST_REBIND;
  private Tcp.ServerBinding binding;
  private int connections;

  private ChunkServer(ActorContext<Command> ctx, TimerScheduler<Command> timers, SessionContext node,
      int boundBefore, ActorRef<Connection.Event> router, ActorRef<Status> status) {
    super(ctx);
    this.timers = timers;
    this.node = node;
    this.settings = node.settings();
    this.rebinding = boundBefore != 0;
    this.port = rebinding ? boundBefore : settings.port();
    this.router = router;
    this.status = status;
    bind();
  }

  private Behavior<Command> bind() {
    ActorRef<Command> self = getContext().getSelf();
    Source<Tcp.IncomingConnection, CompletionStage<Tcp.ServerBinding>> incoming =
        Tcp.get(getContext().getSystem()).bind(settings.host(), port);
    getContext().pipeToSelf(
        incoming.to(Sink.foreach(c -> self.tell(new Accepted(c)))).run(getContext().getSystem()),
        (bound, failure) -> failure == null ? new Bound(bound) : new BindFailed(failure));
    return this;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Bound.class, this::onBound)
        .onMessage(BindFailed.class, this::onBindFailed)
        .onMessageEquals(Rebind.INSTANCE, this::bind)
        .onMessage(Accepted.class, this::onAccepted)
        .onMessageEquals(RemoteGone.INSTANCE, () -> {
          connections--;
          return this;
        })
        .onMessage(Crash.class, crash -> {
          throw new IllegalStateException("crash injected by a test");
        })
        .onSignal(PreRestart.class, signal -> unbind())
        .onSignal(PostStop.class, signal -> unbind())
        .build();
  }

  private Behavior<Command> unbind() {
    if (binding != null) {
      binding.unbind();
    }
    return this;
  }

  private Behavior<Command> onBound(Bound msg) {
    binding = msg.binding();
    getContext().getLog().info("peer listening on {}", binding.localAddress());
    status.tell(new Listening(binding.localAddress()));
    return this;
  }

  private Behavior<Command> onBindFailed(BindFailed msg) {
    Throwable root = msg.cause();
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String reason = "cannot listen on TCP " + settings.host() + ":" + port + ": " + root.getMessage();
    if (!rebinding) {
      status.tell(new Failed(reason));
      return Behaviors.stopped();
    }
    getContext().getLog().warn("{}; trying again in {} ms", reason, nextRebind.toMillis());
    timers.startSingleTimer(Rebind.INSTANCE, nextRebind);
    Duration doubled = nextRebind.multipliedBy(2);
    nextRebind = doubled.compareTo(LAST_REBIND) > 0 ? LAST_REBIND : doubled;
    return this;
  }

  private Behavior<Command> onAccepted(Accepted msg) {
    if (connections >= settings.maxConnections()) {
      if (getContext().getLog().isDebugEnabled()) {
        refusalLog.admit(msg.connection().remoteAddress().getAddress().getHostAddress()).ifPresent(heldBack ->
            getContext().getLog().debug("refused {}: {} connections already{}", msg.connection().remoteAddress(),
                connections, heldBack));
      }
      msg.connection().handleWith(Flow.fromSinkAndSource(Sink.cancelled(), Source.empty()), getContext().getSystem());
      return this;
    }
    connections++;
    ActorRef<Connection.Command> remote = getContext().spawnAnonymous(
        Connection.answer(AnsweringTransport.over(msg.connection().flow(), node.torrentKeys(),
            settings.incomingEncryption()), msg.connection().remoteAddress(), router, node));
    getContext().watchWith(remote, RemoteGone.INSTANCE);
    return this;
  }
}
