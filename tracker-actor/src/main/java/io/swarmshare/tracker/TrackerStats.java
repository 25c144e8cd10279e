package io.swarmshare.tracker;

import io.swarmshare.tracker.limits.Limit;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the endpoints and the Tracker bump on every request, read by {@code /stats}. Shared
 * across actors, so they are adders rather than actor state: counting must never cost a message.
 */
public final class TrackerStats {

  final LongAdder announces = new LongAdder();
  final LongAdder scrapes = new LongAdder();
  final LongAdder errors = new LongAdder();
  private final Map<Limit, LongAdder> limitHits = new EnumMap<>(Limit.class);

  public TrackerStats() {
    for (Limit limit : Limit.values()) {
      limitHits.put(limit, new LongAdder());
    }
  }

  private final long startNanos = System.nanoTime();
  private long sampleNanos = startNanos;
  private long sampleAnnounces;
  private long sampleErrors;
  private Rates rates = new Rates(0, 0);

  /** Announces and errors per second, over the time between two readings at least a second apart. */
  public record Rates(double announcesPerSecond, double errorsPerSecond) {}

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

  /** A request refused, dropped or cut off by {@code limit}. */
  public void limited(Limit limit) {
    limitHits.get(limit).increment();
  }

  /** How often {@code limit} was hit since the start. */
  public long hits(Limit limit) {
    return limitHits.get(limit).sum();
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

  public long uptimeSeconds() {
    return (System.nanoTime() - startNanos) / 1_000_000_000L;
  }

  public synchronized Rates rates() {
    long now = System.nanoTime();
    double seconds = (now - sampleNanos) / 1e9;
    if (seconds >= 1) {
      long a = announces();
      long e = errors();
      rates = new Rates((a - sampleAnnounces) / seconds, (e - sampleErrors) / seconds);
      sampleNanos = now;
      sampleAnnounces = a;
      sampleErrors = e;
    }
    return rates;
  }
}
