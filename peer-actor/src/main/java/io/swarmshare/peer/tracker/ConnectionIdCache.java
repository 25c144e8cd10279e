package io.swarmshare.peer.tracker;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * BEP 15 connection ids we hold, one per tracker address, each usable for a minute after it was
 * received, after which the tracker may refuse it. Time is passed in, so that tests need no clock.
 * Bounded by the number of trackers the node talks to.
 */
public final class ConnectionIdCache<A> {

  /** How long BEP 15 lets a client use an id. */
  public static final Duration VALIDITY = Duration.ofMinutes(1);

  private record Entry(long id, long receivedNanos) {}

  private final Map<A, Entry> ids = new HashMap<>();

  public void put(A tracker, long connectionId, long nowNanos) {
    ids.put(tracker, new Entry(connectionId, nowNanos));
  }

  /** The id to use with {@code tracker}, if one is still fresh. */
  public OptionalLong get(A tracker, long nowNanos) {
    Entry e = ids.get(tracker);
    if (e == null) {
      return OptionalLong.empty();
    }
    if (nowNanos - e.receivedNanos() >= VALIDITY.toNanos()) {
      ids.remove(tracker);
      return OptionalLong.empty();
    }
    return OptionalLong.of(e.id());
  }

  /** The tracker refused the id (an error response): connect again before the next request. */
  public void forget(A tracker) {
    ids.remove(tracker);
  }

  int size() {
    return ids.size();
  }
}
