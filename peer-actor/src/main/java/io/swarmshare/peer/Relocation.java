package io.swarmshare.peer;

import io.swarmshare.messages.metainfo.Info;
import io.swarmshare.peer.storage.TorrentStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The moves of torrents' data that the {@link Session} runs for torrent-set-location: each runs its
 * {@link Mover} on the disk pool. The Session keeps the decisions that need its state: stopping a
 * torrent for its move, pointing it at the new place, starting or checking it after.
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

  Relocation(Mover mover, Executor disk) {
    this.mover = mover;
    this.disk = disk;
  }

  /** Starts moving the torrent's data from its directory to {@code directory} on the disk pool. */
  CompletableFuture<Void> start(HeldTorrent t, Path directory) {
    Info info = t.job.metainfo().info();
    Path from = t.job.directory();
    return CompletableFuture.runAsync(() -> {
      try {
        mover.move(info, from, directory);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, disk);
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
