package io.swarmshare.peer;

import io.swarmshare.messages.metainfo.Info;
import io.swarmshare.peer.storage.TorrentStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The moves of torrents' data that the {@link Session} runs for torrent-set-location: each runs its
 * {@link Mover} on the disk pool, and what must not overlap a move (a removal that deletes the
 * data, a shutdown that saves where the data is) waits behind it. The Session keeps the decisions
 * that need its state: stopping a torrent for its move, pointing it at the new place, starting or
 * checking it after.
 *
 * <p>Tracks: the torrents whose move runs now (from its start until the Session has handled its
 * end), each with what waits for it. It outlives a restart of the Session, as the moves do. Only
 * the Session's thread touches it.
 */
final class Relocation {

  /** Moves the files of a torrent that exist from one download directory to another; blocking. */
  interface Mover {
    void move(Info info, Path from, Path to) throws IOException;
  }

  /** The mover of a running node: all or nothing, as {@link TorrentStorage#moveTo} says. */
  static final Mover FILES = (info, from, to) -> {
    try (TorrentStorage storage = TorrentStorage.open(info, from)) {
      storage.moveTo(to);
    }
  };

  private final Mover mover;
  private final Executor disk;
  private final Map<HeldTorrent, List<Runnable>> running = new HashMap<>();

  Relocation(Mover mover, Executor disk) {
    this.mover = mover;
    this.disk = disk;
  }

  /**
   * Starts moving the torrent's data from its directory to {@code directory} on the disk pool; what
   * waits for it runs once the Session calls {@link #ended}.
   */
  CompletableFuture<Void> start(HeldTorrent t, Path directory) {
    Info info = t.metainfo.info();
    Path from = t.directory;
    running.put(t, new ArrayList<>());
    return CompletableFuture.runAsync(() -> {
      try {
        mover.move(info, from, directory);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, disk);
  }

  /** The Session has taken in the end of the torrent's move (it points where the data is): what waited runs. */
  void ended(HeldTorrent t) {
    List<Runnable> waiting = running.remove(t);
    if (waiting != null) {
      waiting.forEach(Runnable::run);
    }
  }

  /** Runs {@code then} once none of {@code torrents} is being moved; at once if none is. */
  void afterMoves(Collection<HeldTorrent> torrents, Runnable then) {
    List<HeldTorrent> moving = torrents.stream().filter(running::containsKey).toList();
    int[] left = {moving.size()};
    if (left[0] == 0) {
      then.run();
    }
    for (HeldTorrent t : moving) {
      running.get(t).add(() -> {
        if (--left[0] == 0) {
          then.run();
        }
      });
    }
  }

  /** Runs {@code then} once every move that runs now has ended, those of removed torrents too. */
  void afterAllMoves(Runnable then) {
    afterMoves(List.copyOf(running.keySet()), then);
  }

  /** The reply to one {@link Session.Relocate}, sent once each torrent it chose is done. */
  static final class Reply {
    private final int matched;
    private final ActorRef<Session.Relocated> replyTo;
    private final List<String> failures = new ArrayList<>();
    private int left;

    Reply(int matched, ActorRef<Session.Relocated> replyTo) {
      this.matched = matched;
      this.replyTo = replyTo;
      this.left = matched;
      if (matched == 0) {
        replyTo.tell(new Session.Relocated(0, List.of()));
      }
    }

    void done() {
      if (--left == 0) {
        replyTo.tell(new Session.Relocated(matched, List.copyOf(failures)));
      }
    }

    /** A torrent that could not be moved, in one line; it counts as done. */
    void failed(String line) {
      failures.add(line);
      done();
    }
  }
}
