package io.swarmshare.peer;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.peer.wire.Inbound;
import io.swarmshare.peer.wire.PeerConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * One remote peer that connected to us, and the blocks we serve it. It reads the remote's
 * handshake first and answers only for a torrent we hold; then it sends our bitfield, unchokes the
 * remote once it is interested, and serves its requests one block at a time, read from disk on the
 * blocking dispatcher. Requests for pieces we lack, out of range or longer than the block limit,
 * and more queued requests than allowed, close the connection: an honest client sends none of them.
 *
 * <p>Every remote that is interested is unchoked for now; the Choker's slots take over when
 * downloading lands, since tit-for-tat needs the rates of both directions.
 */
public final class RemotePeer extends AbstractBehavior<RemotePeer.Command> {

  public sealed interface Command permits Wire, BlockRead, KeepAlive, Resume {}

  private record Wire(PeerConnection.Event event) implements Command {}

  private record BlockRead(PeerMessage.Request request, ByteBuffer block, Throwable failure) implements Command {}

  private enum KeepAlive implements Command {
    INSTANCE
  }

  /** Time to look again whether the connection has room for the next block. */
  private enum Resume implements Command {
    INSTANCE
  }

  private static final Duration RESUME_DELAY = Duration.ofMillis(10);

  public static Behavior<Command> create(Flow<ByteString, ByteString, ?> transport,
      Function<InfoHash, Optional<ServedTorrent>> torrents, PeerId ourId, PeerSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ActorRef<PeerConnection.Event> events = ctx.messageAdapter(PeerConnection.Event.class, Wire::new);
      PeerConnection connection = PeerConnection.open(transport, events, settings.connectionLimits(), ctx.getSystem());
      Executor blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(PeerSettings.BLOCKING_DISPATCHER));
      return new RemotePeer(ctx, timers, connection, torrents, ourId, settings, blocking);
    }));
  }

  private final TimerScheduler<Command> timers;
  private final PeerConnection connection;
  private final Function<InfoHash, Optional<ServedTorrent>> torrents;
  private final PeerId ourId;
  private final PeerSettings settings;
  private final Executor blocking;

  private ServedTorrent torrent;
  private boolean remoteChoked = true;
  private final Deque<PeerMessage.Request> requests = new ArrayDeque<>();
  private boolean reading;

  private RemotePeer(ActorContext<Command> ctx, TimerScheduler<Command> timers, PeerConnection connection,
      Function<InfoHash, Optional<ServedTorrent>> torrents, PeerId ourId, PeerSettings settings, Executor blocking) {
    super(ctx);
    this.timers = timers;
    this.connection = connection;
    this.torrents = torrents;
    this.ourId = ourId;
    this.settings = settings;
    this.blocking = blocking;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Wire.class, this::onWire)
        .onMessage(BlockRead.class, this::onBlockRead)
        .onMessageEquals(KeepAlive.INSTANCE, this::onKeepAlive)
        .onMessageEquals(Resume.INSTANCE, this::onResume)
        .build();
  }

  private Behavior<Command> onWire(Wire msg) {
    PeerConnection.Event event = msg.event();
    if (event instanceof PeerConnection.Opened opened) {
      opened.ackTo().tell(PeerConnection.Ack.INSTANCE);
      return this;
    }
    if (event instanceof PeerConnection.Closed) {
      getContext().getLog().debug("remote closed the connection");
      return Behaviors.stopped();
    }
    if (event instanceof PeerConnection.Failed failed) {
      getContext().getLog().debug("connection failed: {}", failed.cause().getMessage());
      return Behaviors.stopped();
    }
    PeerConnection.Received received = (PeerConnection.Received) event;
    Behavior<Command> next = received.inbound() instanceof Inbound.Greeting greeting
        ? onGreeting(greeting.handshake())
        : onMessage(((Inbound.Message) received.inbound()).message());
    received.ackTo().tell(PeerConnection.Ack.INSTANCE);
    return next;
  }

  private Behavior<Command> onGreeting(Handshake theirs) {
    Optional<ServedTorrent> served = torrents.apply(theirs.infoHash());
    if (served.isEmpty()) {
      return refuse("a handshake for " + theirs.infoHash() + ", which we do not serve");
    }
    torrent = served.get();
    connection.greet(Handshake.of(torrent.infoHash(), ourId));
    connection.send(PeerMessage.BitfieldMessage.of(torrent.have()));
    timers.startTimerWithFixedDelay(KeepAlive.INSTANCE, settings.keepAliveInterval());
    return this;
  }

  private Behavior<Command> onMessage(PeerMessage message) {
    if (torrent == null) {
      return refuse("a message before the handshake");
    }
    if (message instanceof PeerMessage.Interested && remoteChoked) {
      remoteChoked = false;
      connection.send(PeerMessage.Unchoke.INSTANCE);
    } else if (message instanceof PeerMessage.Request request) {
      return onRequest(request);
    } else if (message instanceof PeerMessage.Cancel cancel) {
      requests.removeIf(r -> r.piece() == cancel.piece() && r.begin() == cancel.begin() && r.length() == cancel.length());
    }
    return this;
  }

  private Behavior<Command> onRequest(PeerMessage.Request request) {
    if (remoteChoked) {
      return this;
    }
    int piece = request.piece();
    if (piece >= torrent.info().pieceCount() || !torrent.has(piece)) {
      return refuse("a request for piece " + piece + ", which we do not have");
    }
    if (request.length() > settings.maxBlockLength()) {
      return refuse("a request for " + request.length() + " bytes, more than " + settings.maxBlockLength());
    }
    if ((long) request.begin() + request.length() > torrent.info().pieceSize(piece)) {
      return refuse("a request past the end of piece " + piece);
    }
    if (requests.size() >= settings.maxQueuedRequests()) {
      return refuse("more than " + settings.maxQueuedRequests() + " requests queued");
    }
    requests.add(request);
    readNext();
    return this;
  }

  /**
   * One block read at a time, and only while the connection has room: a remote that reads slowly
   * gets its blocks slowly, and never makes us hold more than the outbound queue.
   */
  private void readNext() {
    if (reading || requests.isEmpty()) {
      return;
    }
    if (connection.queued() >= settings.outboundQueue() / 2) {
      timers.startSingleTimer(Resume.INSTANCE, RESUME_DELAY);
      return;
    }
    PeerMessage.Request request = requests.poll();
    reading = true;
    getContext().pipeToSelf(
        CompletableFuture.supplyAsync(() -> {
          try {
            return torrent.storage().read(request.piece(), request.begin(), request.length());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, blocking),
        (block, failure) -> new BlockRead(request, block, failure));
  }

  private Behavior<Command> onBlockRead(BlockRead msg) {
    reading = false;
    if (msg.failure() != null) {
      getContext().getLog().warn("cannot read piece {} of {}: {}", msg.request().piece(), torrent.info().name(),
          msg.failure().getMessage());
      connection.abort(msg.failure());
      return Behaviors.stopped();
    }
    if (!connection.send(new PeerMessage.Piece(msg.request().piece(), msg.request().begin(), msg.block()))) {
      return refuse("data it does not read (outbound queue full)");
    }
    readNext();
    return this;
  }

  private Behavior<Command> onResume() {
    readNext();
    return this;
  }

  private Behavior<Command> onKeepAlive() {
    if (connection.queued() == 0) {
      connection.send(PeerMessage.KeepAlive.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> refuse(String what) {
    getContext().getLog().debug("closing the connection: {}", what);
    connection.abort(new IllegalStateException(what));
    return Behaviors.stopped();
  }
}
