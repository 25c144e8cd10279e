package io.swarmshare.daemon;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.MetainfoParser;
import io.swarmshare.peer.Download;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * How the daemon adds a .torrent (or a magnet link) to its Session, the one way that the RPC's
 * {@code torrent-add} and the watch directory share: the file is read only up to {@code max-torrent-size}, parsed,
 * and added; a torrent the Session already holds comes back as a {@link Duplicate}, as
 * Transmission answers {@code torrent-duplicate}.
 */
public final class TorrentAdder {

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

  /** A .torrent that cannot be added; the message says why, in Transmission's words. */
  public static final class Invalid extends Exception {
    public Invalid(String reason) {
      super(reason, null, false, false);
    }
  }

  /** What became of an add. */
  public sealed interface Outcome permits Added, Duplicate, Refused {}

  /** The torrent is now held, as the Session shows it. */
  public record Added(TorrentSnapshot torrent) implements Outcome {}

  /** The Session held this torrent already; nothing changed. */
  public record Duplicate(TorrentSnapshot torrent) implements Outcome {}

  /** The Session did not take it, for {@code reason} (it is still starting, say). */
  public record Refused(String reason) implements Outcome {}

  private final ActorRef<Session.Command> session;
  private final Scheduler scheduler;
  private final int maxTorrentBytes;

  public TorrentAdder(ActorRef<Session.Command> session, Scheduler scheduler, int maxTorrentBytes) {
    this.session = session;
    this.scheduler = scheduler;
    this.maxTorrentBytes = maxTorrentBytes;
  }

  /**
   * The first {@code max-torrent-size} + 1 bytes of {@code file}: enough for {@link #parse} to
   * refuse a larger one without reading it all. Blocking: call it off actors' threads.
   */
  public byte[] read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(maxTorrentBytes + 1);
    }
  }

  /** The torrent in {@code bytes}, or why there is none. */
  public Metainfo parse(byte[] bytes) throws Invalid {
    if (bytes.length > maxTorrentBytes) {
      throw new Invalid("invalid or corrupt torrent file: larger than " + maxTorrentBytes + " bytes");
    }
    try {
      return MetainfoParser.parse(bytes);
    } catch (MalformedMessageException e) {
      throw new Invalid("invalid or corrupt torrent file: " + e.getMessage());
    }
  }

  /** Adds {@code metainfo}, saved in {@code directory}, started unless {@code paused}. */
  public CompletionStage<Outcome> add(Metainfo metainfo, Path directory, boolean paused) {
    Download.Job job = new Download.Job(metainfo, directory, metainfo.trackerTiers());
    return add(replyTo -> new Session.Add(job, paused, replyTo), metainfo.infoHash());
  }

  /**
   * Adds the torrent of a magnet link, saved in {@code directory}, started unless {@code paused}:
   * the Session fetches its metadata from its peers when it may run.
   */
  public CompletionStage<Outcome> add(MagnetLink link, Path directory, boolean paused) {
    return add(replyTo -> new Session.AddMagnet(link, directory, paused, replyTo), link.infoHash());
  }

  private CompletionStage<Outcome> add(Function<ActorRef<Session.Added>, Session.Command> add, InfoHash hash) {
    return AskPattern.<Session.Command, Session.Added>ask(session, add::apply, ASK_TIMEOUT, scheduler)
        .thenCompose(added -> {
          if (added.torrent().isPresent()) {
            return CompletableFuture.completedFuture(new Added(added.torrent().get()));
          }
          // The Session says why in words; whether it is a duplicate is asked, not read from them.
          return AskPattern.<Session.Command, List<TorrentSnapshot>>ask(session,
              replyTo -> new Session.GetTorrent(Session.Selection.of(hash), replyTo), ASK_TIMEOUT,
              scheduler).thenApply(held -> held.isEmpty() ? new Refused(added.refusal()) : new Duplicate(held.get(0)));
        });
  }
}
