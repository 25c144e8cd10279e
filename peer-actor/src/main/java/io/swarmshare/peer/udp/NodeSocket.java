package io.swarmshare.peer.udp;

import io.swarmshare.messages.LogThrottle;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.io.UdpMessage;
import org.apache.pekko.util.ByteString;

/**
 * The node's one UDP socket, as libtorrent has one: every torrent's UDP tracker announces go out
 * of it and come back into it, and DHT and uTP will share it. What arrives is told apart by its
 * first bytes ({@link DatagramKind}); a tracker's answer goes to the one who sent the request with
 * its transaction id to that address. It binds the node's peer port, as clients do so that one
 * port serves TCP and UDP, or, if that is taken, another, with one log line. Sends wait while it
 * binds.
 */
public final class NodeSocket extends AbstractBehavior<NodeSocket.Command> {

  public sealed interface Command permits Send, Bound, Received, BindFailed {}

  /**
   * Sends a UDP tracker request to {@code to}; the answer from there with {@code transaction}
   * comes to {@code replyTo}. A newer send with the same transaction and address replaces it.
   */
  public record Send(ByteString datagram, InetSocketAddress to, int transaction, ActorRef<Datagram> replyTo)
      implements Command {}

  /** A datagram for whoever sent the request it answers. */
  public record Datagram(ByteString data, InetSocketAddress from) {}

  private record Bound(org.apache.pekko.actor.ActorRef socket, InetSocketAddress address) implements Command {}

  private record Received(ByteString data, InetSocketAddress from) implements Command {}

  private record BindFailed(String why) implements Command {}

  /** Who waits for which answer. */
  private record Awaited(int transaction, InetSocketAddress from) {}

  /**
   * Requests awaiting an answer, at most this many: the oldest go first, as their senders have
   * long timed out (a tracker answers within seconds, or is asked again with a new transaction).
   */
  static final int MAX_AWAITED = 4096;
  /** Sends held while the socket binds. */
  static final int MAX_HELD = 1024;

  public static Behavior<Command> create(InetSocketAddress address) {
    return Behaviors.setup(ctx -> new NodeSocket(ctx, address));
  }

  private final InetSocketAddress wanted;
  private final Map<Awaited, ActorRef<Datagram>> awaited = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Awaited, ActorRef<Datagram>> eldest) {
      return size() > MAX_AWAITED;
    }
  };
  private final Deque<Send> held = new ArrayDeque<>();
  private final LogThrottle strays = new LogThrottle(Duration.ofMinutes(1), 256);
  private org.apache.pekko.actor.ActorRef socket;

  private NodeSocket(ActorContext<Command> ctx, InetSocketAddress address) {
    super(ctx);
    this.wanted = address;
    bind(address);
  }

  private void bind(InetSocketAddress address) {
    Adapter.actorOf(getContext(), UdpBridge.props(getContext().getSelf(), address, Bound::new, Received::new,
        BindFailed::new), "udp-" + address.getPort());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Send.class, this::onSend)
        .onMessage(Bound.class, this::onBound)
        .onMessage(BindFailed.class, this::onBindFailed)
        .onMessage(Received.class, this::onReceived)
        .build();
  }

  private Behavior<Command> onSend(Send msg) {
    awaited.remove(new Awaited(msg.transaction(), msg.to()));
    awaited.put(new Awaited(msg.transaction(), msg.to()), msg.replyTo());
    if (socket == null) {
      if (held.size() == MAX_HELD) {
        held.poll();
      }
      held.add(msg);
    } else {
      socket.tell(UdpMessage.send(msg.datagram(), msg.to()), org.apache.pekko.actor.ActorRef.noSender());
    }
    return this;
  }

  private Behavior<Command> onBound(Bound msg) {
    socket = msg.socket();
    getContext().getLog().debug("the node's UDP socket is {}", msg.address());
    while (!held.isEmpty()) {
      Send s = held.poll();
      socket.tell(UdpMessage.send(s.datagram(), s.to()), org.apache.pekko.actor.ActorRef.noSender());
    }
    return this;
  }

  private Behavior<Command> onBindFailed(BindFailed msg) {
    if (wanted.getPort() == 0) {
      throw new IllegalStateException(msg.why()); // no port at all: the supervisor tries again
    }
    getContext().getLog().info("{} (in use?): the node's UDP traffic takes another port", msg.why());
    bind(new InetSocketAddress(wanted.getAddress(), 0));
    return this;
  }

  private Behavior<Command> onReceived(Received msg) {
    DatagramKind kind = DatagramKind.of(msg.data().asByteBuffer());
    ActorRef<Datagram> to = kind == DatagramKind.TRACKER
        ? awaited.remove(new Awaited(msg.data().asByteBuffer().getInt(4), msg.from())) : null;
    if (to != null) {
      to.tell(new Datagram(msg.data(), msg.from()));
    } else if (getContext().getLog().isDebugEnabled()) {
      strays.admit(msg.from().getAddress().getHostAddress()).ifPresent(heldBack -> getContext().getLog().debug(
          "a datagram nobody here waits for ({}, {} bytes) from {}{}", kind, msg.data().size(), msg.from(),
          heldBack));
    }
    return this;
  }
}
