package io.swarmshare.tracker;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the endpoints and the Tracker bump on every request, read by {@code /stats}. Shared
 * across actors, so they are adders rather than actor state: counting must never cost a message.
 */
public final class TrackerStats {

  final LongAdder announces = new LongAdder();
  final LongAdder scrapes = new LongAdder();
  final LongAdder errors = new LongAdder();

  public void announced() {
    announces.increment();
  }

  public void scraped() {
    scrapes.increment();
  }

  /** A request that was malformed, forged or refused. */
  public void failed() {
    errors.increment();
  }

  public long announces() {
    return announces.sum();
  }

  public long scrapes() {
    return scrapes.sum();
  }

  public long errors() {
    return errors.sum();
  }
}
