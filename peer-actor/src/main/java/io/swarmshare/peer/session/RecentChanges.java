package io.swarmshare.peer.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * What Transmission's {@code torrent-get} with {@code ids: "recently-active"} answers from: which
 * snapshot changes a client polling for changes must hear of, and the ids of the torrents removed
 * in the last {@link #WINDOW} (at most {@link #MAX_REMOVED} of them, the oldest dropped first).
 * Clients such as Transmission's web UI and Qt client poll with it every few seconds and list
 * everything now and then, so a removal dropped by the bound only shows late, never wrongly.
 */
public final class RecentChanges {

  /** Transmission's RecentlyActiveSeconds (rpcimpl.cc); its clients count on it. */
  public static final Duration WINDOW = Duration.ofSeconds(60);
  /** So that removing thousands of torrents at once cannot grow the list without bound. */
  public static final int MAX_REMOVED = 1000;

  private record Removal(int id, Instant at) {}

  private final ArrayDeque<Removal> removed = new ArrayDeque<>();

  public void removed(int id, Instant at) {
    removed.addLast(new Removal(id, at));
    if (removed.size() > MAX_REMOVED) {
      removed.removeFirst();
    }
  }

  /** The ids removed in the window before {@code now}, in ascending order; older ones are forgotten. */
  public List<Integer> removedSince(Instant now) {
    Instant cutoff = now.minus(WINDOW);
    for (Iterator<Removal> it = removed.iterator(); it.hasNext(); ) {
      if (it.next().at().isBefore(cutoff)) {
        it.remove();
      }
    }
    return removed.stream().map(Removal::id).distinct().sorted().toList();
  }

  /** Whether a torrent last changed at {@code changed} (null: not since this process took it up) is recently active. */
  public static boolean recent(Instant changed, Instant now) {
    return changed != null && changed.isAfter(now.minus(WINDOW));
  }

  /**
   * Whether going from {@code before} to {@code after} changes what a client shows: its state,
   * pieces, bytes moved or checked, rates, peers, trackers, settings or place in the queue. The
   * seconds spent downloading and seeding are left out, since they tick on every status of a
   * running torrent even when nothing happens (Transmission's date_changed does not move either).
   */
  public static boolean shows(TorrentSnapshot before, TorrentSnapshot after) {
    return before.state() != after.state()
        || before.piecesHave() != after.piecesHave()
        || before.verifiedBytes() != after.verifiedBytes()
        || before.downloaded() != after.downloaded()
        || before.uploaded() != after.uploaded()
        || before.downloadRate() != after.downloadRate()
        || before.uploadRate() != after.uploadRate()
        || before.peers() != after.peers()
        || before.peersSendingToUs() != after.peersSendingToUs()
        || before.peersGettingFromUs() != after.peersGettingFromUs()
        || before.checkedBytes() != after.checkedBytes()
        || before.hashFailures() != after.hashFailures()
        || before.queuePosition() != after.queuePosition()
        || !before.completed().equals(after.completed())
        || !Objects.equals(before.problem(), after.problem())
        || !before.trackers().equals(after.trackers())
        || !before.goals().equals(after.goals())
        || !before.labels().equals(after.labels())
        || !before.directory().equals(after.directory());
  }
}
