package io.swarmshare.peer;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.peer.wire.Inbound;
import io.swarmshare.peer.wire.PeerConnection;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A {@link Connection}'s first phase, until an owner takes it: the remote's handshake is read and
 * reported ({@link Connection.Handshaken}) to whoever dialled or routes the connection, and nothing
 * more is read while that one decides. {@link Connection.Welcome} turns the actor into the
 * connection proper, handing it what arrived with the handshake; {@link Connection.Refuse} or
 * {@link Connection.Close} ends it. Nothing of a torrent is known here, so the steps that belong
 * before a torrent's owner sees a connection (BEP 10's extension handshake for a magnet link's
 * metadata) have their place in this phase; an encrypted transport is undone below it, in the
 * stream ({@code crypto.AnsweringTransport}).
 */
final class Handshaking extends AbstractBehavior<Connection.Command> {

  private final TimerScheduler<Connection.Command> timers;
  private final PeerConnection connection;
  private final InetSocketAddress remote;
  private final SessionContext node;
  /** Who hears the handshake: the Download that dialled, or the Session that routes answered connections. */
  private final ActorRef<Connection.Event> reportTo;
  /** The torrent we asked for when we dialled; null when the remote dialled us. */
  private final InfoHash dialledFor;
  /** What arrived with the handshake, for the connection once it is welcomed. */
  private final Deque<Inbound> backlog = new ArrayDeque<>();
  /** The acknowledgement held back, so that nothing more is read until the owner decides. */
  private ActorRef<PeerConnection.Ack> heldAck;
  /** The remote's handshake, once read. */
  private Handshake theirs;

  Handshaking(ActorContext<Connection.Command> ctx, TimerScheduler<Connection.Command> timers, PeerConnection connection,
      InetSocketAddress remote, SessionContext node, ActorRef<Connection.Event> reportTo, InfoHash dialledFor) {
    super(ctx);
    this.timers = timers;
    this.connection = connection;
    this.remote = remote;
    this.node = node;
    this.reportTo = reportTo;
    this.dialledFor = dialledFor;
  }

  @Override
  public Receive<Connection.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Connection.Wire.class, this::onWire)
        .onMessage(Connection.Welcome.class, welcome -> Connection.welcomed(getContext(), timers, connection, remote,
            node, welcome, theirs, dialledFor == null, backlog, heldAck))
        .onMessage(Connection.FetchMetadata.class, fetch -> FetchingMetadata.start(getContext(), timers, connection,
            remote, node, theirs, dialledFor == null, fetch.owner(), backlog, heldAck))
        .onMessage(Connection.Refuse.class, refused -> refuse(refused.reason()))
        .onMessage(Connection.Close.class, close -> Connection.close(getContext(), connection, remote, close.reason()))
        .onMessage(Connection.Crash.class, crash -> {
          throw new IllegalStateException("crash injected by a test");
        })
        .onSignal(PostStop.class, stop -> {
          // Closed already unless the actor failed or was stopped from outside; then the socket goes too.
          connection.abort(new IllegalStateException("the connection's actor stopped"));
          return this;
        })
        .build();
  }

  private Behavior<Connection.Command> onWire(Connection.Wire msg) {
    PeerConnection.Event event = msg.event();
    Optional<Behavior<Connection.Command>> openedOrEnded = Connection.openedOrEnded(getContext(), remote, event);
    if (openedOrEnded.isPresent()) {
      return openedOrEnded.get();
    }
    if (!(event instanceof PeerConnection.Received received)) {
      return this; // nothing is sent before the owner takes the connection, so no block can have left
    }
    heldAck = received.ackTo();
    backlog.addAll(received.inbound());
    if (theirs != null) {
      return this;
    }
    if (!(backlog.poll() instanceof Inbound.Greeting greeting)) {
      return refuse("a message before the handshake");
    }
    if (dialledFor != null && !dialledFor.equals(greeting.handshake().infoHash())) {
      return refuse("a handshake for " + greeting.handshake().infoHash() + ", not the torrent we asked for");
    }
    theirs = greeting.handshake();
    reportTo.tell(new Connection.Handshaken(getContext().getSelf(), greeting.handshake().infoHash(),
        greeting.handshake().peerId(), remote, dialledFor != null));
    return this;
  }

  private Behavior<Connection.Command> refuse(String what) {
    return Connection.refuse(getContext(), connection, remote, what);
  }
}
