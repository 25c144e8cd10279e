package io.swarmshare.peer;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.peer.session.TorrentQueue;
import io.swarmshare.peer.session.TorrentState;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Which of the session's torrents may run now: those started ahead of the queue, then those the
 * download and seed queues ({@link TorrentQueue}) let in, in its order. Pure: it reads the held
 * torrents as they are and decides; the {@link Session} starts what it names, so each step is
 * asked again after the one before has started its torrents.
 */
final class Admission {

  private Admission() {}

  /** Torrents started ahead of the queue (torrent-start-now) that may start now. */
  static List<HeldTorrent> aheadOfQueue(Collection<HeldTorrent> torrents) {
    return torrents.stream()
        .filter(t -> t.queued && t.bypassQueue && !t.running() && !t.stopping && !t.moving)
        .toList();
  }

  /**
   * What the queue lets start now, and which waiting torrents whose pieces are not known are to
   * be looked at (their resume data loaded, or their files checked) to learn which queue they wait in.
   */
  static TorrentQueue.Plan<InfoHash> plan(TorrentQueue<InfoHash> queue, Function<InfoHash, HeldTorrent> torrents) {
    return queue.plan(h -> slot(torrents.apply(h)));
  }

  /** Torrents that wait for the queue and do not show it yet. */
  static List<HeldTorrent> waitingUnshown(Collection<HeldTorrent> torrents) {
    return torrents.stream()
        .filter(t -> t.queued && !t.running() && t.latest.state() != TorrentState.QUEUED)
        .toList();
  }

  /** Where a torrent stands for the queue. */
  static TorrentQueue.Slot slot(HeldTorrent t) {
    if (t.running()) {
      if (t.lookingAt) {
        return TorrentQueue.Slot.ASIDE;
      }
      if (t.stalled) {
        return TorrentQueue.Slot.STALLED;
      }
      if (t.complete == null) {
        return TorrentQueue.Slot.RUNNING_UNKNOWN;
      }
      return t.complete ? TorrentQueue.Slot.SEEDING : TorrentQueue.Slot.DOWNLOADING;
    }
    if (!t.queued || t.stopping || t.moving) {
      return TorrentQueue.Slot.ASIDE;
    }
    if (t.complete == null) {
      return TorrentQueue.Slot.WAITING_UNKNOWN;
    }
    return t.complete ? TorrentQueue.Slot.WAITING_TO_SEED : TorrentQueue.Slot.WAITING_TO_DOWNLOAD;
  }

  /** Moves {@code chosen} in the queue, as Transmission's queue-move-top, -up, -down and -bottom. */
  static void move(TorrentQueue<InfoHash> queue, Session.QueueMove move, List<InfoHash> chosen) {
    switch (move) {
      case TOP -> queue.moveTop(chosen);
      case UP -> queue.moveUp(chosen);
      case DOWN -> queue.moveDown(chosen);
      case BOTTOM -> queue.moveBottom(chosen);
    }
  }
}
