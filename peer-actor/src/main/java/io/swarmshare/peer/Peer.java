package io.swarmshare.peer;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.peer.bandwidth.RateLimit;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;

/**
 * The node's peer: its listening port ({@link ChunkServer}) and one {@link Download} per torrent it
 * holds, each restarted with back-off when it fails. Torrents added before the port is bound wait
 * for it, since every announce carries the port.
 *
 * <p>The peer restarts itself with back-off too. What it was asked to hold and the port it got
 * outlive a restart, so the new incarnation listens on the same port and takes up every torrent
 * again; each Download then finds its verified pieces on disk.
 */
public final class Peer extends AbstractBehavior<Peer.Command> {

  public sealed interface Command permits Add, Stop, Listen, Route, DownloadEnded, DownloadStopped, Crash {}

  /** Fetch or seed a torrent; the reply says whether it was taken. */
  public record Add(Download.Job job, ActorRef<Download.Status> listener, ActorRef<Added> replyTo)
      implements Command {}

  /** The reply to {@link Add}: the torrent's Download, or why there is none. */
  public record Added(InfoHash infoHash, Optional<ActorRef<Download.Command>> download, String refusal) {}

  /** Stops every torrent (each says {@code stopped} to its tracker), then the node's peer. */
  public record Stop(ActorRef<Stopped> replyTo) implements Command {}

  public enum Stopped {
    INSTANCE
  }

  private record Listen(ChunkServer.Status status) implements Command {}

  /** A handshake an answered connection read: it goes to the owner of the torrent it names. */
  private record Route(Connection.Event event) implements Command {}

  private record DownloadEnded(InfoHash infoHash, ActorRef<Download.Command> download) implements Command {}

  private record DownloadStopped(ActorRef<Stopped> replyTo) implements Command {}

  /** A test seam, never sent by production code: fails the actor, to show its supervisor at work. */
  public record Crash() implements Command {}

  /** What outlives a restart: the torrents the node was asked to hold and the port it listens on. */
  private static final class Held {
    final Map<InfoHash, Add> torrents = new LinkedHashMap<>();
    int port;
  }

  private static final int STASH = 1000;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  /**
   * A node's peer with these settings and id; {@code started} hears once whether the port could
   * be bound (the peer stops if not).
   */
  public static Behavior<Command> create(PeerSettings settings, PeerId ourId, ActorRef<ChunkServer.Status> started) {
    return Behaviors.setup(outer -> {
      SessionContext node = new SessionContext(ourId, settings, new RateLimit(settings.uploadLimit()),
          new RateLimit(settings.downloadLimit()),
          outer.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(PeerSettings.BLOCKING_DISPATCHER)));
      Held held = new Held();
      return supervised(Behaviors.setup(ctx -> Behaviors.withStash(STASH,
          stash -> new Peer(ctx, stash, node, held, started))));
    });
  }

  /** The peer side's restart policy, for the Peer and every child that is restarted. */
  static <T> Behavior<T> supervised(Behavior<T> behavior) {
    return Behaviors.supervise(behavior)
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
  }

  private final ActorContext<Command> ctx;
  private final StashBuffer<Command> stash;
  private final SessionContext node;
  private final Held held;
  private final ActorRef<ChunkServer.Status> started;
  private final Map<InfoHash, ActorRef<Download.Command>> downloads = new HashMap<>();
  private InetSocketAddress listening;
  private int stopsPending;

  private Peer(ActorContext<Command> ctx, StashBuffer<Command> stash, SessionContext node, Held held,
      ActorRef<ChunkServer.Status> started) {
    super(ctx);
    this.ctx = ctx;
    this.stash = stash;
    this.node = node;
    this.held = held;
    this.started = started;
    ActorRef<ChunkServer.Status> status = ctx.messageAdapter(ChunkServer.Status.class, Listen::new);
    ActorRef<Connection.Event> router = ctx.messageAdapter(Connection.Event.class, Route::new);
    ctx.spawn(supervised(ChunkServer.create(node, () -> held.port, router, status)), "chunk-server");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Listen.class, this::onListen)
        .onMessage(Add.class, this::onAdd)
        .onMessage(Route.class, this::onRoute)
        .onMessage(DownloadEnded.class, msg -> {
          if (downloads.remove(msg.infoHash(), msg.download())) {
            held.torrents.remove(msg.infoHash());
          }
          return this;
        })
        .onMessage(Stop.class, this::onStop)
        .onMessage(DownloadStopped.class, this::onDownloadStopped)
        .onMessage(Crash.class, crash -> {
          throw new IllegalStateException("crash injected by a test");
        })
        .build();
  }

  private Behavior<Command> onListen(Listen msg) {
    if (msg.status() instanceof ChunkServer.Failed failed) {
      started.tell(failed);
      return Behaviors.stopped();
    }
    InetSocketAddress address = ((ChunkServer.Listening) msg.status()).address();
    if (listening == null) {
      listening = address;
      if (held.port == 0) {
        held.port = address.getPort();
        started.tell(msg.status());
      } else {
        ctx.getLog().info("peer restarted; taking up its {} torrents again", held.torrents.size());
        List<Add> torrents = List.copyOf(held.torrents.values());
        held.torrents.clear();
        torrents.forEach(this::spawnDownload);
      }
      return stash.unstashAll(this);
    }
    return this;
  }

  private Behavior<Command> onRoute(Route msg) {
    if (msg.event() instanceof Connection.Handshaken handshaken) {
      ActorRef<Download.Command> owner = downloads.get(handshaken.infoHash());
      if (owner == null) {
        handshaken.connection().tell(new Connection.Refuse(
            "a handshake for " + handshaken.infoHash() + ", which we do not serve"));
      } else {
        owner.tell(new Download.FromConnection(handshaken));
      }
    } else {
      // Only a handshake comes before an owner takes the connection.
      msg.event().connection().tell(new Connection.Close("a message before the handshake was answered"));
    }
    return this;
  }

  private Behavior<Command> onAdd(Add msg) {
    if (listening == null) {
      if (stash.isFull()) {
        msg.replyTo().tell(new Added(msg.job().metainfo().infoHash(), Optional.empty(), "the node is still starting"));
      } else {
        stash.stash(msg);
      }
      return this;
    }
    InfoHash hash = msg.job().metainfo().infoHash();
    if (downloads.containsKey(hash)) {
      msg.replyTo().tell(new Added(hash, Optional.empty(), "the node already holds " + msg.job().metainfo().info().name()));
      return this;
    }
    msg.replyTo().tell(new Added(hash, Optional.of(spawnDownload(msg)), null));
    return this;
  }

  private ActorRef<Download.Command> spawnDownload(Add msg) {
    InfoHash hash = msg.job().metainfo().infoHash();
    ActorRef<Download.Command> download = ctx.spawn(
        supervised(Download.create(msg.job(), node, listening.getPort(), msg.listener())), "download-" + hash.hex());
    ctx.watchWith(download, new DownloadEnded(hash, download));
    downloads.put(hash, download);
    held.torrents.put(hash, msg);
    return download;
  }

  private Behavior<Command> onStop(Stop msg) {
    held.torrents.clear();
    stopsPending = downloads.size();
    if (stopsPending == 0) {
      msg.replyTo().tell(Stopped.INSTANCE);
      return Behaviors.stopped();
    }
    for (ActorRef<Download.Command> d : downloads.values()) {
      ctx.ask(Download.Stopped.class, d, STOP_TIMEOUT, Download.Stop::new,
          (stopped, failure) -> new DownloadStopped(msg.replyTo()));
    }
    return this;
  }

  private Behavior<Command> onDownloadStopped(DownloadStopped msg) {
    if (--stopsPending == 0) {
      msg.replyTo().tell(Stopped.INSTANCE);
      return Behaviors.stopped();
    }
    return this;
  }
}
