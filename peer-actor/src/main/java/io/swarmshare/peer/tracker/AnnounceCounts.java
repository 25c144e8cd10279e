package io.swarmshare.peer.tracker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one torrent's announces went, per tracker URL: how many the tracker answered and how many
 * failed (refused, unreadable, unresolvable, or silent after every retry), and of the last one,
 * when it was, what came of it (the failure's reason, or the seeders, leechers and peers the
 * tracker reported) and when the next is due. Its {@link TrackerClient} counts; its Download reads
 * a copy into each status. Shared by the two actors, as counters that cost no message, and owned
 * by the Download, so the counts survive a restart of the client. One entry per URL the torrent
 * names, so it is as small as the torrent's tracker list.
 */
public final class AnnounceCounts {

  /** A number the tracker did not report. */
  public static final int UNKNOWN = -1;

  /**
   * One tracker's counts, as a copy. {@code lastResult} is the last failure's reason, or empty
   * when the last announce was answered; {@code seeders}, {@code leechers} and {@code peers} are
   * the last answer's ({@link #UNKNOWN} before one); {@code nextAnnounce} is when this tracker is
   * asked again (empty when it is not the one the client will ask).
   */
  public record Count(String tracker, long announces, long failures, Optional<Instant> lastAnnounce,
      boolean lastSucceeded, String lastResult, Optional<Instant> nextAnnounce, int seeders, int leechers,
      int peers) {

    /** Only the counts, nothing announced yet. */
    public Count(String tracker, long announces, long failures) {
      this(tracker, announces, failures, Optional.empty(), false, "", Optional.empty(), UNKNOWN, UNKNOWN, UNKNOWN);
    }
  }

  private static final class Tally {
    long announces;
    long failures;
    Instant last;
    boolean succeeded;
    String result = "";
    Instant next;
    int seeders = UNKNOWN;
    int leechers = UNKNOWN;
    int peers = UNKNOWN;
  }

  private final Map<String, Tally> trackers = new LinkedHashMap<>();

  /** The tracker answered at {@code when} with these counts, and asked to be announced to again after {@code interval}. */
  public synchronized void answered(String tracker, Instant when, int seeders, int leechers, int peers,
      Duration interval) {
    Tally t = trackers.computeIfAbsent(tracker, url -> new Tally());
    t.announces++;
    t.last = when;
    t.succeeded = true;
    t.result = "";
    t.next = when.plus(interval);
    t.seeders = seeders;
    t.leechers = leechers;
    t.peers = peers;
  }

  /** An announce to the tracker failed at {@code when}, for {@code why}; the client moves on from it. */
  public synchronized void failed(String tracker, Instant when, String why) {
    Tally t = trackers.computeIfAbsent(tracker, url -> new Tally());
    t.failures++;
    t.last = when;
    t.succeeded = false;
    t.result = why;
    t.next = null;
  }

  /** The next announce to {@code tracker} is due at {@code when} (after a round of failures, its back-off). */
  public synchronized void nextAnnounce(String tracker, Instant when) {
    trackers.computeIfAbsent(tracker, url -> new Tally()).next = when;
  }

  /** Every tracker asked so far, in the order first asked. */
  public synchronized List<Count> snapshot() {
    List<Count> out = new ArrayList<>(trackers.size());
    trackers.forEach((url, t) -> out.add(new Count(url, t.announces, t.failures, Optional.ofNullable(t.last),
        t.succeeded, t.result, Optional.ofNullable(t.next), t.seeders, t.leechers, t.peers)));
    return List.copyOf(out);
  }
}
