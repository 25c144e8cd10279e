package io.swarmshare.peer.udp;

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
 * The classic edge of Pekko IO UDP, which answers only classic actors: it binds {@code address}
 * and hands the socket (with the address it got), every datagram, or the failure to bind to a
 * typed owner as the owner's own messages.
 */
final class UdpBridge<T> extends AbstractActor {

  private final org.apache.pekko.actor.typed.ActorRef<T> owner;
  private final InetSocketAddress address;
  private final BiFunction<ActorRef, InetSocketAddress, T> bound;
  private final BiFunction<ByteString, InetSocketAddress, T> received;
  private final Function<String, T> failed;

  static <T> Props props(org.apache.pekko.actor.typed.ActorRef<T> owner, InetSocketAddress address,
      BiFunction<ActorRef, InetSocketAddress, T> bound, BiFunction<ByteString, InetSocketAddress, T> received,
      Function<String, T> failed) {
    return Props.create(UdpBridge.class, () -> new UdpBridge<>(owner, address, bound, received, failed));
  }

  private UdpBridge(org.apache.pekko.actor.typed.ActorRef<T> owner, InetSocketAddress address,
      BiFunction<ActorRef, InetSocketAddress, T> bound, BiFunction<ByteString, InetSocketAddress, T> received,
      Function<String, T> failed) {
    this.owner = owner;
    this.address = address;
    this.bound = bound;
    this.received = received;
    this.failed = failed;
  }

  @Override
  public void preStart() {
    Udp.get(getContext().getSystem()).getManager().tell(UdpMessage.bind(getSelf(), address), getSelf());
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(Udp.Bound.class, b -> owner.tell(bound.apply(getSender(), b.localAddress())))
        .match(Udp.Received.class, r -> owner.tell(received.apply(r.data(), r.sender())))
        .match(Udp.CommandFailed.class, f -> {
          if (f.cmd() instanceof Udp.Bind) {
            owner.tell(failed.apply("cannot bind UDP " + address));
            getContext().stop(getSelf());
          }
          // A send that failed is a datagram lost, as UDP loses them: its sender's timeout tells it.
        })
        .build();
  }
}
