package io.swarmshare.tracker.udp;

import java.net.InetSocketAddress;
import java.util.List;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Udp;
import org.apache.pekko.io.UdpMessage;
import org.apache.pekko.io.UdpSO;

/**
 * The classic edge of Pekko IO UDP, which answers only classic actors: it binds, and hands every
 * datagram and the binding's outcome to the typed {@link UdpEndpoint} as that actor's own messages.
 */
final class UdpSocket extends AbstractActor {

  private final org.apache.pekko.actor.typed.ActorRef<UdpEndpoint.Command> endpoint;
  private final InetSocketAddress address;
  private final int receiveBuffer;

  static Props props(
      org.apache.pekko.actor.typed.ActorRef<UdpEndpoint.Command> endpoint, InetSocketAddress address, int receiveBuffer) {
    return Props.create(UdpSocket.class, () -> new UdpSocket(endpoint, address, receiveBuffer));
  }

  private UdpSocket(
      org.apache.pekko.actor.typed.ActorRef<UdpEndpoint.Command> endpoint, InetSocketAddress address, int receiveBuffer) {
    this.endpoint = endpoint;
    this.address = address;
    this.receiveBuffer = receiveBuffer;
  }

  @Override
  public void preStart() {
    ActorRef manager = Udp.get(getContext().getSystem()).getManager();
    // A burst of announces queues in the kernel while we work; the default buffer holds ~200.
    List<Inet.SocketOption> options = List.of(UdpSO.receiveBufferSize(receiveBuffer));
    manager.tell(UdpMessage.bind(getSelf(), address, options), getSelf());
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
