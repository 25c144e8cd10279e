package io.swarmshare.peer;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.peer.bandwidth.RateLimit;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
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
 */
public final class Peer extends AbstractBehavior<Peer.Command> {

  public sealed interface Command permits Add, Stop, Listen, DownloadEnded, DownloadStopped {}

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

  private record DownloadEnded(InfoHash infoHash) implements Command {}

  private record DownloadStopped(ActorRef<Stopped> replyTo) implements Command {}

  private static final int STASH = 1000;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  /**
   * A node's peer with these settings and id; {@code started} hears once whether the port could
   * be bound (the peer stops if not).
   */
  public static Behavior<Command> create(PeerSettings settings, PeerId ourId, ActorRef<ChunkServer.Status> started) {
    return Behaviors.setup(ctx -> Behaviors.withStash(STASH, stash -> {
      Connection.Node node = new Connection.Node(ourId, settings, new RateLimit(settings.uploadLimit()),
          new RateLimit(settings.downloadLimit()));
      return new Peer(ctx, stash, node, started);
    }));
  }

  private final ActorContext<Command> ctx;
  private final StashBuffer<Command> stash;
  private final Connection.Node node;
  private final ActorRef<ChunkServer.Status> started;
  /** Read by inbound connections to find a torrent's Download; only this actor writes it. */
  private final Map<InfoHash, ActorRef<Download.Command>> downloads = new ConcurrentHashMap<>();
  private InetSocketAddress listening;
  private int stopsPending;

  private Peer(ActorContext<Command> ctx, StashBuffer<Command> stash, Connection.Node node,
      ActorRef<ChunkServer.Status> started) {
    super(ctx);
    this.ctx = ctx;
    this.stash = stash;
    this.node = node;
    this.started = started;
    ActorRef<ChunkServer.Status> status = ctx.messageAdapter(ChunkServer.Status.class, Listen::new);
    ctx.spawn(Behaviors.supervise(ChunkServer.create(node, hash -> Optional.ofNullable(downloads.get(hash)), status))
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)),
        "chunk-server");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Listen.class, this::onListen)
        .onMessage(Add.class, this::onAdd)
        .onMessage(DownloadEnded.class, msg -> {
          downloads.remove(msg.infoHash());
          return this;
        })
        .onMessage(Stop.class, this::onStop)
        .onMessage(DownloadStopped.class, this::onDownloadStopped)
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
      started.tell(msg.status());
      return stash.unstashAll(this);
    }
    if (listening.getPort() != address.getPort()) {
      ctx.getLog().warn("the peer's listener came back on port {} instead of {}; trackers learn it at the next announce",
          address.getPort(), listening.getPort());
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
    ActorRef<Download.Command> download = ctx.spawn(
        Behaviors.supervise(Download.create(msg.job(), node, listening.getPort(), msg.listener()))
            .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)),
        "download-" + hash.hex());
    ctx.watchWith(download, new DownloadEnded(hash));
    downloads.put(hash, download);
    msg.replyTo().tell(new Added(hash, Optional.of(download), null));
    return this;
  }

  private Behavior<Command> onStop(Stop msg) {
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
