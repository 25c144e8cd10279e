package io.swarmshare.peer.tracker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one torrent's announces went, per tracker URL: how many the tracker answered and how many
 * failed (refused, unreadable, unresolvable, or silent after every retry). Its {@link TrackerClient}
 * counts; its Download reads a copy into each status. Shared by the two actors, as counters that
 * cost no message, and owned by the Download, so the counts survive a restart of the client. One
 * entry per URL the torrent names, so it is as small as the torrent's tracker list.
 */
public final class AnnounceCounts {

  /** One tracker's counts, as a copy. */
  public record Count(String tracker, long announces, long failures) {}

  private static final class Tally {
    long announces;
    long failures;
  }

  private final Map<String, Tally> trackers = new LinkedHashMap<>();

  public synchronized void answered(String tracker) {
    trackers.computeIfAbsent(tracker, t -> new Tally()).announces++;
  }

  public synchronized void failed(String tracker) {
    trackers.computeIfAbsent(tracker, t -> new Tally()).failures++;
  }

  /** Every tracker asked so far, in the order first asked. */
  public synchronized List<Count> snapshot() {
    List<Count> out = new ArrayList<>(trackers.size());
    trackers.forEach((url, t) -> out.add(new Count(url, t.announces, t.failures)));
    return List.copyOf(out);
  }
}
