package io.swarmshare.peer;

import io.swarmshare.messages.InfoHash;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;

/**
 * Listens for remote peers (Pekko Streams TCP) and gives each its own {@link Connection}, which
 * reads the remote's handshake and takes it to the torrent's {@link Download}. Past
 * {@code max-connections} a newcomer is closed at once, before it costs anything.
 */
public final class ChunkServer extends AbstractBehavior<ChunkServer.Command> {

  public sealed interface Command permits Bound, BindFailed, Accepted, RemoteGone {}

  private record Bound(Tcp.ServerBinding binding) implements Command {}

  private record BindFailed(Throwable cause) implements Command {}

  private record Accepted(Tcp.IncomingConnection connection) implements Command {}

  private enum RemoteGone implements Command {
    INSTANCE
  }

  /** Whether the server could listen. */
  public sealed interface Status permits Listening, Failed {}

  public record Listening(InetSocketAddress address) implements Status {}

  public record Failed(String reason) implements Status {}

  public static Behavior<Command> create(Connection.Node node,
      Function<InfoHash, Optional<ActorRef<Download.Command>>> downloads, ActorRef<Status> status) {
    return Behaviors.setup(ctx -> new ChunkServer(ctx, node, downloads, status));
  }

  private final Connection.Node node;
  private final PeerSettings settings;
  private final Function<InfoHash, Optional<ActorRef<Download.Command>>> downloads;
  private final ActorRef<Status> status;
  private Tcp.ServerBinding binding;
  private int connections;

  private ChunkServer(ActorContext<Command> ctx, Connection.Node node,
      Function<InfoHash, Optional<ActorRef<Download.Command>>> downloads, ActorRef<Status> status) {
    super(ctx);
    this.node = node;
    this.settings = node.settings();
    this.downloads = downloads;
    this.status = status;
    ActorRef<Command> self = ctx.getSelf();
    Source<Tcp.IncomingConnection, CompletionStage<Tcp.ServerBinding>> incoming =
        Tcp.get(ctx.getSystem()).bind(settings.host(), settings.port());
    ctx.pipeToSelf(
        incoming.to(Sink.foreach(c -> self.tell(new Accepted(c)))).run(ctx.getSystem()),
        (bound, failure) -> failure == null ? new Bound(bound) : new BindFailed(failure));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Bound.class, this::onBound)
        .onMessage(BindFailed.class, this::onBindFailed)
        .onMessage(Accepted.class, this::onAccepted)
        .onMessageEquals(RemoteGone.INSTANCE, () -> {
          connections--;
          return this;
        })
        .onSignal(PostStop.class, signal -> {
          if (binding != null) {
            binding.unbind();
          }
          return this;
        })
        .build();
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
    status.tell(new Failed("cannot listen on TCP " + settings.host() + ":" + settings.port() + ": "
        + root.getMessage()));
    return Behaviors.stopped();
  }

  private Behavior<Command> onAccepted(Accepted msg) {
    if (connections >= settings.maxConnections()) {
      getContext().getLog().debug("refused {}: {} connections already", msg.connection().remoteAddress(), connections);
      msg.connection().handleWith(Flow.fromSinkAndSource(Sink.cancelled(), Source.empty()), getContext().getSystem());
      return this;
    }
    connections++;
    ActorRef<Connection.Command> remote = getContext().spawnAnonymous(
        Connection.answer(msg.connection().flow(), msg.connection().remoteAddress(), downloads, node));
    getContext().watchWith(remote, RemoteGone.INSTANCE);
    return this;
  }
}
