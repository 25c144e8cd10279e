package io.swarmshare.peer.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The order of a session's torrents and which of those that want to run may run now, as
 * Transmission's queue decides it: every torrent has a place (0 first), at most {@code downloads}
 * torrents download and at most {@code seeds} seed at once where that queue is on, and the rest
 * wait in order. A torrent that waits for one direction never holds up one waiting for the other.
 * A torrent whose pieces on disk are not known yet may start at once only if it would fit either
 * way, and counts against both while it runs unknown; otherwise it is first looked at (its resume
 * data loaded or its files checked) to learn which queue it belongs in. A stalled torrent counts
 * against neither.
 *
 * @param <T> what identifies a torrent
 */
public final class TorrentQueue<T> {

  /**
   * The node's queue settings (Transmission's download-queue-*, seed-queue-* and
   * queue-stalled-*): with {@code stalledFreed}, a running torrent that moved no data for
   * {@code stalledAfter} holds no place in its queue.
   */
  public record Limits(boolean downloadsQueued, int downloads, boolean seedsQueued, int seeds, boolean stalledFreed,
      Duration stalledAfter) {
    public Limits {
      if (downloads < 0 || seeds < 0) {
        throw new IllegalArgumentException("a queue size must not be negative");
      }
      if (stalledAfter.isNegative()) {
        throw new IllegalArgumentException("the stalled time must not be negative");
      }
    }

    /** Whether a running torrent idle since {@code activeSince} is stalled at {@code now}. */
    public boolean stalled(Instant activeSince, Instant now) {
      return stalledFreed && !activeSince.plus(stalledAfter).isAfter(now);
    }
  }

  /** Where a torrent is, as the queue needs to know it. */
  public enum Slot {
    /** Running: downloading, or checking its way to a download. */
    DOWNLOADING,
    /** Running: seeding, or checking its way to seeding. */
    SEEDING,
    /** Running, checking, and nobody knows yet whether it will download or seed. */
    RUNNING_UNKNOWN,
    WAITING_TO_DOWNLOAD,
    WAITING_TO_SEED,
    /** Wants to run; what it has on disk is not known. */
    WAITING_UNKNOWN,
    /** Running, but moved no data for a while: holds no place, so that another may start. */
    STALLED,
    /** Stopped, failed, stopping, or being looked at: neither counts nor is a candidate. */
    ASIDE
  }

  /** What the owner is to do: start these now, and look at these to learn their queue. */
  public record Plan<T>(List<T> start, List<T> lookAt) {}

  private final List<T> order = new ArrayList<>();
  private Limits limits;

  public TorrentQueue(Limits limits) {
    this.limits = limits;
  }

  public Limits limits() {
    return limits;
  }

  public void limits(Limits limits) {
    this.limits = limits;
  }

  /** A new torrent goes last. */
  public void add(T torrent) {
    if (!order.contains(torrent)) {
      order.add(torrent);
    }
  }

  public void remove(T torrent) {
    order.remove(torrent);
  }

  /** Where the torrent stands, 0 first; -1 if the queue does not hold it. */
  public int position(T torrent) {
    return order.indexOf(torrent);
  }

  public List<T> order() {
    return List.copyOf(order);
  }

  /** Puts the torrent at {@code position}, or last if that is past the end. */
  public void moveTo(T torrent, int position) {
    if (order.remove(torrent)) {
      order.add(Math.max(0, Math.min(position, order.size())), torrent);
    }
  }

  /** Moves the torrents to the front, keeping their order among themselves. */
  public void moveTop(Collection<T> torrents) {
    List<T> moving = held(torrents);
    order.removeAll(moving);
    order.addAll(0, moving);
  }

  public void moveBottom(Collection<T> torrents) {
    List<T> moving = held(torrents);
    order.removeAll(moving);
    order.addAll(moving);
  }

  /** Moves each torrent one place up; those already packed at the front stay. */
  public void moveUp(Collection<T> torrents) {
    List<T> moving = held(torrents);
    for (int i = 0; i < moving.size(); i++) {
      int at = order.indexOf(moving.get(i));
      if (at > i) {
        order.add(at - 1, order.remove(at));
      }
    }
  }

  /** Moves each torrent one place down; those already packed at the back stay. */
  public void moveDown(Collection<T> torrents) {
    List<T> moving = held(torrents);
    for (int i = moving.size() - 1, last = order.size() - 1; i >= 0; i--, last--) {
      int at = order.indexOf(moving.get(i));
      if (at < last) {
        order.add(at + 1, order.remove(at));
      }
    }
  }

  /** The torrents the queue holds, in queue order. */
  private List<T> held(Collection<T> torrents) {
    return torrents.stream().filter(order::contains).distinct().sorted(Comparator.comparingInt(order::indexOf))
        .toList();
  }

  /**
   * Which waiting torrents may start now, in queue order, given where every torrent is; a waiting
   * torrent whose pieces are unknown and that does not fit either way now is to be looked at.
   */
  public Plan<T> plan(Function<T, Slot> slots) {
    int downloading = 0;
    int seeding = 0;
    for (T t : order) {
      Slot s = slots.apply(t);
      downloading += s == Slot.DOWNLOADING || s == Slot.RUNNING_UNKNOWN ? 1 : 0;
      seeding += s == Slot.SEEDING || s == Slot.RUNNING_UNKNOWN ? 1 : 0;
    }
    List<T> start = new ArrayList<>();
    List<T> lookAt = new ArrayList<>();
    for (T t : order) {
      switch (slots.apply(t)) {
        case WAITING_TO_DOWNLOAD -> {
          if (room(limits.downloadsQueued(), limits.downloads(), downloading)) {
            start.add(t);
            downloading++;
          }
        }
        case WAITING_TO_SEED -> {
          if (room(limits.seedsQueued(), limits.seeds(), seeding)) {
            start.add(t);
            seeding++;
          }
        }
        case WAITING_UNKNOWN -> {
          if (room(limits.downloadsQueued(), limits.downloads(), downloading)
              && room(limits.seedsQueued(), limits.seeds(), seeding)) {
            start.add(t);
            downloading++;
            seeding++;
          } else {
            lookAt.add(t);
          }
        }
        default -> { }
      }
    }
    return new Plan<>(start, lookAt);
  }

  private static boolean room(boolean queued, int size, int running) {
    return !queued || running < size;
  }
}
