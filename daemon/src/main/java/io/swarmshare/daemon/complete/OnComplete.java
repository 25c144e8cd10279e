package io.swarmshare.daemon.complete;

import com.typesafe.config.Config;
import io.swarmshare.messages.Printable;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-complete command, as Transmission's done-script: {@code sh -c COMMAND} the moment a
 * torrent's last piece is verified, with {@code SWARMSHARE_NAME}, {@code SWARMSHARE_INFO_HASH},
 * {@code SWARMSHARE_PATH} (its file or directory) and {@code SWARMSHARE_LABELS} (its labels, comma
 * separated, as qBittorrent hands its program a torrent's tags) in its environment, its output the
 * node's own. The labels are how one node-wide command does something of its own per torrent.
 * {@code get --on-complete} runs it through {@link #run}; the daemon through this actor, which
 * follows the session's events and runs the node-wide {@code swarmshare.daemon.on-complete} for
 * every torrent that completes while it runs (not for one that was complete when taken up). It
 * does not wait for a command: each runs on its own, and how it exits is logged.
 */
public final class OnComplete extends AbstractBehavior<Session.Event> {

  private static final Logger log = LoggerFactory.getLogger(OnComplete.class);

  /** {@code swarmshare.daemon.on-complete}; empty means none. */
  public static Optional<String> command(Config root) {
    String command = root.getString("swarmshare.daemon.on-complete").strip();
    return command.isEmpty() ? Optional.empty() : Optional.of(command);
  }

  /**
   * Starts {@code command} for the torrent {@code done}; the future is its exit code, and a code
   * other than 0 is logged.
   */
  public static CompletableFuture<Integer> run(String command, TorrentSnapshot done) throws IOException {
    String name = done.name();
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).inheritIO();
    builder.environment().put("SWARMSHARE_NAME", name);
    builder.environment().put("SWARMSHARE_INFO_HASH", done.infoHash().hex());
    builder.environment().put("SWARMSHARE_PATH", done.directory().resolve(name).toString());
    builder.environment().put("SWARMSHARE_LABELS", String.join(",", done.labels()));
    return builder.start().onExit().thenApply(process -> {
      if (process.exitValue() != 0) {
        log.warn("on-complete command for {} exited with {}", Printable.escape(name), process.exitValue());
      }
      return process.exitValue();
    });
  }

  /** Follows {@code session} and runs {@code command} for each torrent that completes. */
  public static Behavior<Session.Event> create(ActorRef<Session.Command> session, String command) {
    return Behaviors.setup(ctx -> {
      session.tell(new Session.Subscribe(Session.Selection.everything(), ctx.getSelf()));
      return new OnComplete(ctx, command);
    });
  }

  private final String command;

  private OnComplete(ActorContext<Session.Event> ctx, String command) {
    super(ctx);
    this.command = command;
  }

  @Override
  public Receive<Session.Event> createReceive() {
    return newReceiveBuilder()
        .onMessage(Session.TorrentCompleted.class, this::onCompleted)
        .onAnyMessage(event -> this) // the other changes are not its business
        .build();
  }

  private Behavior<Session.Event> onCompleted(Session.TorrentCompleted completed) {
    try {
      run(command, completed.torrent());
    } catch (IOException e) {
      log.warn("cannot run the on-complete command for {}: {}", Printable.escape(completed.torrent().name()),
          e.getMessage());
    }
    return this;
  }
}
