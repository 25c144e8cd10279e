package io.swarmshare.peer.wire;

import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.messages.wire.PeerWireCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.util.ByteString;

/**
 * One connection to a remote peer, both directions, as one Pekko Stream bound to the actor that
 * owns it. Inbound, bytes become the remote's handshake and messages, handed to the owner in order,
 * a batch at a time: the next is read off the socket only after the owner acknowledges the last, so a slow disk
 * slows the remote down instead of filling memory. Outbound, messages go through a queue of fixed
 * size; when it is full {@link #send} says so and the owner decides (a peer that does not read its
 * data is not worth queueing for). A connection that sends nothing for the idle timeout, or no
 * handshake within the handshake timeout, fails.
 */
public final class PeerConnection {

  /** What the owner receives. Every {@link Opened} and {@link Received} must be acknowledged. */
  public sealed interface Event permits Opened, Received, Closed, Failed, BlockSent {}

  public record Opened(ActorRef<Ack> ackTo) implements Event {}

  /** What arrived since the owner last acknowledged, in order: one item, or several while it was busy. */
  public record Received(List<Inbound> inbound, ActorRef<Ack> ackTo) implements Event {}

  public record Closed() implements Event {}

  public record Failed(Throwable cause) implements Event {}

  /** A block given to {@link #sendBlock} has left the queue for the socket: room for another. */
  public enum BlockSent implements Event {
    INSTANCE
  }

  /** What waits in the outbound queue: encoded bytes, and whether they carry a block. */
  private record Frame(ByteString bytes, boolean block) {}

  /** The owner's acknowledgement: "send me the next one". */
  public enum Ack {
    INSTANCE
  }

  /**
   * Sizes and timeouts, from the peer's settings. {@code readBuffer} is how many bytes of decoded
   * messages may wait for the owner before the socket is no longer read.
   */
  public record Limits(int maxFrameLength, int readBuffer, int outboundQueue, Duration handshakeTimeout,
      Duration idleTimeout) {}

  private static final long WRITE_BATCH = 256 * 1024;
  /** What each message costs the read buffer besides the bytes it carries. */
  static final long MESSAGE_OVERHEAD = 64;

  private final BoundedSourceQueue<Frame> outgoing;
  private final WireEncoder encoder;
  /** Whether the owner closed or aborted: the queue then refuses offers by throwing, so we ask first. */
  private boolean finished;

  private PeerConnection(BoundedSourceQueue<Frame> outgoing, WireEncoder encoder) {
    this.outgoing = outgoing;
    this.encoder = encoder;
  }

  /**
   * Runs a connection over {@code transport} (a TCP connection's flow) and tells {@code owner}
   * what arrives. The owner {@link #greet greets} first: at once when it dialled, after reading
   * the remote's handshake when it answered, since only then does it know which torrent is meant.
   */
  public static PeerConnection open(Flow<ByteString, ByteString, ?> transport, ActorRef<Event> owner, Limits limits,
      ClassicActorSystemProvider system) {
    PeerWireCodec codec = new PeerWireCodec(limits.maxFrameLength());
    Sink<List<Inbound>, ?> toOwner = ActorSink.<List<Inbound>, Event, Ack>actorRefWithBackpressure(
        owner, (ackTo, inbound) -> new Received(inbound, ackTo), Opened::new, Ack.INSTANCE, new Closed(), Failed::new);
    BoundedSourceQueue<Frame> queue = Source.<Frame>queue(limits.outboundQueue())
        .map(frame -> {
          if (frame.block()) {
            owner.tell(BlockSent.INSTANCE);
          }
          return frame.bytes();
        })
        // While the socket is busy, what waits goes out as one write instead of many small ones.
        .batchWeighted(WRITE_BATCH, bytes -> (long) bytes.size(), bytes -> bytes, ByteString::concat)
        .via(transport)
        .via(new WireDecoder(codec))
        // Counted in whole messages, not bytes, so that a remote dripping one byte at a time is
        // closed all the same: the handshake must be whole in time, and then a message (a
        // keep-alive at least) come within each idle timeout.
        .initialTimeout(limits.handshakeTimeout())
        .idleTimeout(limits.idleTimeout())
        // While the owner is busy (deciding, writing, held back by a rate limit), what arrives is
        // handed over together, up to the read buffer; past it nothing more is read off the socket.
        .batchWeighted(limits.readBuffer(), PeerConnection::weight, PeerConnection::batchOf, PeerConnection::append)
        .to(toOwner)
        .run(system);
    return new PeerConnection(queue, new WireEncoder(codec));
  }

  /**
   * What an item costs the read buffer: the bytes it holds (a block, a bitfield, an extension's
   * payload) and a fixed amount for the objects around them, so that a flood of small or large
   * messages of any type is bounded alike.
   */
  static long weight(Inbound inbound) {
    long held = Handshake.LENGTH;
    if (inbound instanceof Inbound.Message m) {
      PeerMessage message = m.message();
      held = message instanceof PeerMessage.Piece p ? p.block().remaining()
          : message instanceof PeerMessage.BitfieldMessage b ? b.bits().remaining()
          : message instanceof PeerMessage.Extended e ? e.payload().remaining()
          : 0;
    }
    return MESSAGE_OVERHEAD + held;
  }

  private static List<Inbound> batchOf(Inbound first) {
    List<Inbound> batch = new ArrayList<>();
    batch.add(first);
    return batch;
  }

  private static List<Inbound> append(List<Inbound> batch, Inbound next) {
    batch.add(next);
    return batch;
  }

  /** Queues our handshake, which must go before any message. */
  public boolean greet(Handshake ours) {
    return offer(encoder.encode(ours), false);
  }

  /** Queues a message; false if the queue is full or the connection is closed. */
  public boolean send(PeerMessage message) {
    return offer(encoder.encode(message), false);
  }

  /** Queues a block; the owner hears {@link BlockSent} when it leaves the queue. */
  public boolean sendBlock(PeerMessage.Piece block) {
    return offer(encoder.encode(block), true);
  }

  private boolean offer(ByteString bytes, boolean block) {
    return !finished && outgoing.offer(new Frame(bytes, block)) == QueueOfferResult.enqueued();
  }

  /** Queues several messages as one write (a batch of requests, say); false as for {@link #send}. */
  public boolean sendAll(List<? extends PeerMessage> messages) {
    ByteString batch = ByteString.emptyByteString();
    for (PeerMessage m : messages) {
      batch = batch.concat(encoder.encode(m));
    }
    return offer(batch, false);
  }

  /** How many writes wait to be sent. */
  public int queued() {
    return outgoing.size();
  }

  /** Sends what is queued, then closes our side. */
  public void close() {
    finish(BoundedSourceQueue::complete);
  }

  /** Closes at once, dropping what is queued. */
  public void abort(Throwable why) {
    finish(queue -> queue.fail(why));
  }

  private void finish(Consumer<BoundedSourceQueue<Frame>> how) {
    if (!finished) {
      finished = true;
      try {
        how.accept(outgoing);
      } catch (IllegalStateException alreadyOver) {
        // The stream ended by itself (the remote closed, a timeout): nothing left to close.
      }
    }
  }
}
