package io.swarmshare.peer.wire;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a remote's chokes and unchokes mean for the connection's owner, which sends a full queue of
 * requests at every unchoke it hears of. A choke is passed on at once (stop asking). An unchoke is
 * passed on at once too, unless the last one was passed on less than {@code debounce} ago: then it
 * waits out the rest, and is dropped if a choke comes first. Repeated chokes or unchokes are not
 * changes and are not passed on. A remote that unchokes more than {@code maxPerMinute} times in a
 * minute is flapping to make us resend requests, and is to be disconnected. Honest clients rechoke
 * every 10 to 15 seconds. Times are {@link System#nanoTime()} readings passed in.
 */
public final class UnchokeDebounce {

  /** What to do about what the remote said. */
  public enum Verdict {
    /** Tell the owner that the remote chokes us. */
    CHOKED,
    /** Tell the owner that the remote unchoked us. */
    UNCHOKED,
    /** Tell the owner nothing now; ask {@link #due} again after {@link #waitNanos}. */
    WAIT,
    /** Nothing changed for the owner. */
    NOTHING,
    /** The remote flaps: disconnect it. */
    FLAPPING
  }

  private static final long MINUTE = Duration.ofMinutes(1).toNanos();

  private final long debounceNanos;
  private final int maxPerMinute;
  private final Deque<Long> unchokes = new ArrayDeque<>();
  private boolean remoteChokes = true;
  private boolean ownerThinksChoked = true;
  private boolean everReported;
  private long lastReportNanos;

  public UnchokeDebounce(Duration debounce, int maxPerMinute) {
    this.debounceNanos = debounce.toNanos();
    this.maxPerMinute = maxPerMinute;
  }

  public Verdict choke() {
    remoteChokes = true;
    if (ownerThinksChoked) {
      return Verdict.NOTHING;
    }
    ownerThinksChoked = true;
    return Verdict.CHOKED;
  }

  public Verdict unchoke(long nowNanos) {
    if (!remoteChokes) {
      return Verdict.NOTHING;
    }
    remoteChokes = false;
    unchokes.addLast(nowNanos);
    while (nowNanos - unchokes.peekFirst() > MINUTE) {
      unchokes.removeFirst();
    }
    if (unchokes.size() > maxPerMinute) {
      return Verdict.FLAPPING;
    }
    return due(nowNanos);
  }

  /** Whether an unchoke that waited may be passed on now. */
  public Verdict due(long nowNanos) {
    if (remoteChokes || !ownerThinksChoked) {
      return Verdict.NOTHING;
    }
    if (everReported && waitNanos(nowNanos) > 0) {
      return Verdict.WAIT;
    }
    ownerThinksChoked = false;
    everReported = true;
    lastReportNanos = nowNanos;
    return Verdict.UNCHOKED;
  }

  /** How long until an unchoke may be passed on. */
  public long waitNanos(long nowNanos) {
    return Math.max(0, lastReportNanos + debounceNanos - nowNanos);
  }
}
