package io.swarmshare.peer.tracker;

import java.net.InetSocketAddress;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.io.Udp;
import org.apache.pekko.io.UdpMessage;
import org.apache.pekko.util.ByteString;

/**
 * The classic edge of Pekko IO UDP, which answers only classic actors: it binds an ephemeral port
 * and hands the socket and every datagram to a typed owner as the owner's own messages.
 */
final class UdpBridge<T> extends AbstractActor {

  private final org.apache.pekko.actor.typed.ActorRef<T> owner;
  private final Function<ActorRef, T> bound;
  private final BiFunction<ByteString, InetSocketAddress, T> received;

  static <T> Props props(org.apache.pekko.actor.typed.ActorRef<T> owner, Function<ActorRef, T> bound,
      BiFunction<ByteString, InetSocketAddress, T> received) {
    return Props.create(UdpBridge.class, () -> new UdpBridge<>(owner, bound, received));
  }

  private UdpBridge(org.apache.pekko.actor.typed.ActorRef<T> owner, Function<ActorRef, T> bound,
      BiFunction<ByteString, InetSocketAddress, T> received) {
    this.owner = owner;
    this.bound = bound;
    this.received = received;
  }

  @Override
  public void preStart() {
    Udp.get(getContext().getSystem()).getManager()
        .tell(UdpMessage.bind(getSelf(), new InetSocketAddress(0)), getSelf());
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(Udp.Bound.class, b -> owner.tell(bound.apply(getSender())))
        .match(Udp.Received.class, r -> owner.tell(received.apply(r.data(), r.sender())))
        .match(Udp.CommandFailed.class, f -> {
          throw new IllegalStateException("UDP: " + f.cmd());
        })
        .build();
  }
}
