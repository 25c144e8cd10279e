package io.swarmshare.peer;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.wire.ExtensionHandshake;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.MetadataCodec;
import io.swarmshare.messages.wire.MetadataMessage;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.peer.metadata.MetadataAssembly;
import io.swarmshare.peer.wire.Extensions;
import io.swarmshare.peer.wire.Inbound;
import io.swarmshare.peer.wire.PeerConnection;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A connection's phase for a torrent known only by its info hash (a magnet link): after the
 * handshake it speaks BEP 10 and asks the remote for the info dictionary, piece by piece (BEP 9),
 * a few pieces at a time, and tells its owner ({@link Connection.FetchMetadata}) either the whole
 * dictionary, checked against the info hash ({@link Connection.MetadataFetched}), or why this
 * remote cannot give it ({@link Connection.MetadataUnavailable}); then it waits to be closed.
 * Everything else the remote says is read and ignored. A remote that has not sent the whole
 * dictionary within {@code metadata.timeout} is given up.
 */
final class FetchingMetadata extends AbstractBehavior<Connection.Command> {

  /** Pieces asked for at once: 256 KiB in flight, well inside every client's request queue. */
  private static final int WINDOW = 16;

  private final PeerConnection connection;
  private final InetSocketAddress remote;
  private final InfoHash infoHash;
  private final PeerSettings.Metadata limits;
  private final ActorRef<Connection.Event> owner;
  private final Deque<Inbound> backlog;
  private OptionalInt remoteUtMetadata = OptionalInt.empty();
  private MetadataAssembly assembly;
  private int nextPiece;
  private int asked;
  private boolean reported;

  private FetchingMetadata(ActorContext<Connection.Command> ctx, PeerConnection connection, InetSocketAddress remote,
      InfoHash infoHash, PeerSettings.Metadata limits, ActorRef<Connection.Event> owner, Deque<Inbound> backlog) {
    super(ctx);
    this.connection = connection;
    this.remote = remote;
    this.infoHash = infoHash;
    this.limits = limits;
    this.owner = owner;
    this.backlog = backlog;
  }

  /**
   * Out of {@link Handshaking}: answers the remote's handshake if it dialled us ({@code answered}),
   * sends our extension handshake and reads on.
   */
  static Behavior<Connection.Command> start(ActorContext<Connection.Command> ctx, TimerScheduler<Connection.Command> timers,
      PeerConnection connection, InetSocketAddress remote, SessionContext node, Handshake theirs, boolean answered,
      ActorRef<Connection.Event> owner, Deque<Inbound> backlog, ActorRef<PeerConnection.Ack> heldAck) {
    FetchingMetadata phase = new FetchingMetadata(ctx, connection, remote, theirs.infoHash(), node.settings().metadata(),
        owner, backlog);
    if (answered) {
      connection.greet(Handshake.of(theirs.infoHash(), node.ourId()).withExtensionProtocol());
    }
    if (!theirs.supportsExtensions()) {
      return phase.unavailable("it does not speak the extension protocol (BEP 10)");
    }
    connection.send(Extensions.handshake(OptionalLong.empty()));
    timers.startSingleTimer(Connection.MetadataTimedOut.INSTANCE, node.settings().metadata().timeout());
    Behavior<Connection.Command> next = phase.drain();
    if (heldAck != null) {
      heldAck.tell(PeerConnection.Ack.INSTANCE);
    }
    return next;
  }

  @Override
  public Receive<Connection.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Connection.Wire.class, this::onWire)
        .onMessageEquals(Connection.MetadataTimedOut.INSTANCE, () -> unavailable("no whole metadata within "
            + limits.timeout().toSeconds() + " s"))
        .onMessage(Connection.Close.class, close -> Connection.close(getContext(), connection, remote, close.reason()))
        .onMessage(Connection.Command.class, other -> this)
        .onSignal(PostStop.class, stop -> {
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
      return this;
    }
    backlog.addAll(received.inbound());
    Behavior<Connection.Command> next = drain();
    received.ackTo().tell(PeerConnection.Ack.INSTANCE);
    return next;
  }

  private Behavior<Connection.Command> drain() {
    while (!backlog.isEmpty()) {
      if (!(backlog.poll() instanceof Inbound.Message m)) {
        return refuse("a second handshake");
      }
      if (reported || !(m.message() instanceof PeerMessage.Extended extended)) {
        continue; // what a remote says of pieces and choking does not matter to a torrent without metadata yet
      }
      try {
        Behavior<Connection.Command> next = onExtended(extended);
        if (next != this) {
          return next;
        }
      } catch (MalformedMessageException e) {
        return refuse(e.getMessage());
      }
    }
    return this;
  }

  private Behavior<Connection.Command> onExtended(PeerMessage.Extended extended) {
    if (extended.extendedId() == 0) {
      return onTheirHandshake(ExtensionHandshake.decode(extended.payload()));
    }
    if (extended.extendedId() != Extensions.OUR_UT_METADATA) {
      return this;
    }
    MetadataMessage message = MetadataCodec.decode(extended.payload());
    if (message instanceof MetadataMessage.Reject reject) {
      return unavailable("it refused metadata piece " + reject.piece());
    }
    if (!(message instanceof MetadataMessage.Data data) || assembly == null) {
      return this;
    }
    assembly.accept(data);
    asked--;
    if (assembly.complete()) {
      Optional<byte[]> verified = assembly.verified();
      if (verified.isEmpty()) {
        return unavailable("its metadata does not hash to " + infoHash);
      }
      reported = true;
      owner.tell(new Connection.MetadataFetched(getContext().getSelf(), verified.get()));
      return this;
    }
    return askMore();
  }

  private Behavior<Connection.Command> onTheirHandshake(ExtensionHandshake theirs) {
    if (assembly != null) {
      return this; // a later handshake may update what it offers; the size we work to stays
    }
    remoteUtMetadata = theirs.idOf(ExtensionHandshake.UT_METADATA);
    if (remoteUtMetadata.isEmpty()) {
      return unavailable("it does not offer metadata (no ut_metadata, BEP 9)");
    }
    if (theirs.metadataSize().isEmpty()) {
      return unavailable("it does not say how big the metadata is");
    }
    long size = theirs.metadataSize().getAsLong();
    if (size > limits.maxSize()) {
      return unavailable("it offers " + size + " bytes of metadata, more than the " + limits.maxSize() + " we take");
    }
    assembly = new MetadataAssembly(infoHash, (int) size);
    return askMore();
  }

  private Behavior<Connection.Command> askMore() {
    List<PeerMessage> requests = new ArrayList<>();
    while (asked < WINDOW && nextPiece < assembly.pieceCount()) {
      requests.add(new PeerMessage.Extended(remoteUtMetadata.getAsInt(),
          MetadataCodec.encode(new MetadataMessage.Request(nextPiece++))));
      asked++;
    }
    if (!connection.sendAll(requests)) {
      return refuse("a remote that does not read (outbound queue full)");
    }
    return this;
  }

  /** Tells the owner once; the owner closes the connection. */
  private Behavior<Connection.Command> unavailable(String why) {
    if (!reported) {
      reported = true;
      owner.tell(new Connection.MetadataUnavailable(getContext().getSelf(), remote, why));
    }
    return this;
  }

  private Behavior<Connection.Command> refuse(String what) {
    if (!reported) {
      reported = true;
      owner.tell(new Connection.MetadataUnavailable(getContext().getSelf(), remote, what));
    }
    return Connection.refuse(getContext(), connection, remote, what);
  }
}
