package io.swarmshare.tracker.udp;

import java.net.InetSocketAddress;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.io.Udp;
import org.apache.pekko.io.UdpMessage;

/**
 * The classic edge of Pekko IO UDP, which answers only classic actors: it binds, and hands every
 * datagram and the binding's outcome to the typed {@link UdpEndpoint} as that actor's own messages.
 */
final class UdpSocket extends AbstractActor {

  private final org.apache.pekko.actor.typed.ActorRef<UdpEndpoint.Command> endpoint;
  private final InetSocketAddress address;

  static Props props(org.apache.pekko.actor.typed.ActorRef<UdpEndpoint.Command> endpoint, InetSocketAddress address) {
    return Props.create(UdpSocket.class, () -> new UdpSocket(endpoint, address));
  }

  private UdpSocket(org.apache.pekko.actor.typed.ActorRef<UdpEndpoint.Command> endpoint, InetSocketAddress address) {
    this.endpoint = endpoint;
    this.address = address;
  }

  @Override
  public void preStart() {
    ActorRef manager = Udp.get(getContext().getSystem()).getManager();
    manager.tell(UdpMessage.bind(getSelf(), address), getSelf());
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(Udp.Bound.class, bound -> {
          endpoint.tell(new UdpEndpoint.Bound(getSender(), bound.localAddress()));
          getContext().become(ready());
        })
        .match(Udp.CommandFailed.class, failed -> {
          endpoint.tell(new UdpEndpoint.BindFailed(address));
          getContext().stop(getSelf());
        })
        .build();
  }

  private Receive ready() {
    return receiveBuilder()
        .match(Udp.Received.class, r -> endpoint.tell(new UdpEndpoint.Datagram(r.data(), r.sender())))
        .match(Udp.Unbound.class, u -> getContext().stop(getSelf()))
        .build();
  }
}
