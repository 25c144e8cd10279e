package io.swarmshare.peer;

import io.swarmshare.peer.session.CheckQueue;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The session's checking queue: a {@link Download} checks its data on disk only when this says
 * it may ({@link CheckQueue}: {@code checking-slots} at a time, the rest in the order they asked).
 * A Download that stops while it checks or waits gives up its place.
 */
public final class Checking extends AbstractBehavior<Checking.Command> {

  public sealed interface Command permits Enter, Leave, GetSize, Gone {}

  /** {@code download} wants to check; it hears {@link Download.MayCheck} when its turn comes. */
  public record Enter(ActorRef<Download.Command> download) implements Command {}

  /** {@code download} finished its check. */
  public record Leave(ActorRef<Download.Command> download) implements Command {}

  /** How long the queue is now, for the node's metrics. */
  public record GetSize(ActorRef<Size> replyTo) implements Command {}

  /** Torrents waiting for their turn to check, and torrents checking now. */
  public record Size(int waiting, int checking) {}

  private record Gone(ActorRef<Download.Command> download) implements Command {}

  public static Behavior<Command> create(int slots) {
    return Behaviors.setup(ctx -> new Checking(ctx, new CheckQueue<>(slots)));
  }

  private final CheckQueue<ActorRef<Download.Command>> queue;

  private Checking(ActorContext<Command> ctx, CheckQueue<ActorRef<Download.Command>> queue) {
    super(ctx);
    this.queue = queue;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Enter.class, this::onEnter)
        .onMessage(Leave.class, msg -> leave(msg.download()))
        .onMessage(Gone.class, msg -> leave(msg.download()))
        .onMessage(GetSize.class, msg -> {
          msg.replyTo().tell(new Size(queue.waiting(), queue.checking()));
          return this;
        })
        .build();
  }

  private Behavior<Command> onEnter(Enter msg) {
    if (queue.position(msg.download()) == -1) {
      getContext().watchWith(msg.download(), new Gone(msg.download()));
    }
    if (queue.enter(msg.download())) {
      msg.download().tell(Download.MayCheck.INSTANCE);
    } else {
      getContext().getLog().debug("{} waits to check its data: {} ahead of it", msg.download().path().name(),
          queue.position(msg.download()) - 1);
    }
    return this;
  }

  private Behavior<Command> leave(ActorRef<Download.Command> download) {
    if (queue.position(download) != -1) {
      getContext().unwatch(download);
    }
    for (ActorRef<Download.Command> next : queue.leave(download)) {
      next.tell(Download.MayCheck.INSTANCE);
    }
    return this;
  }
}
