package io.swarmshare.tracker;

import io.swarmshare.tracker.limits.Limit;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the endpoints and the Tracker bump on every request, read by {@code /stats} and
 * {@code /metrics}: announces and scrapes answered, by protocol; errors, by protocol and kind; and
 * how often each limit was hit. Shared across actors, so they are adders rather than actor state:
 * counting must never cost a message.
 */
public final class TrackerStats {

  /** Which side of the tracker a request came in on. */
  public enum Protocol {
    UDP,
    HTTP;

    /** The name as a metric label says it. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Why a request got an error instead of an answer. */
  public enum ErrorKind {
    /** Not a request the codecs accept, or one no peer can be served for (port 0, no address). */
    MALFORMED,
    /** A UDP announce or scrape without a valid connection id: forged, or expired. */
    CONNECTION_ID,
    /** An announce the registry refused because it would pass one of its limits. */
    REFUSED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<Protocol, LongAdder> announces = new EnumMap<>(Protocol.class);
  private final Map<Protocol, LongAdder> scrapes = new EnumMap<>(Protocol.class);
  private final Map<Protocol, Map<ErrorKind, LongAdder>> errors = new EnumMap<>(Protocol.class);
  private final Map<Limit, LongAdder> limitHits = new EnumMap<>(Limit.class);

  public TrackerStats() {
    for (Protocol protocol : Protocol.values()) {
      announces.put(protocol, new LongAdder());
      scrapes.put(protocol, new LongAdder());
      Map<ErrorKind, LongAdder> kinds = new EnumMap<>(ErrorKind.class);
      for (ErrorKind kind : ErrorKind.values()) {
        kinds.put(kind, new LongAdder());
      }
      errors.put(protocol, kinds);
    }
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

  /** An announce that came in over {@code protocol} was answered with peers. */
  public void announced(Protocol protocol) {
    announces.get(protocol).increment();
  }

  /** A scrape that came in over {@code protocol} was answered. */
  public void scraped(Protocol protocol) {
    scrapes.get(protocol).increment();
  }

  /** A request over {@code protocol} that was malformed, forged or refused. */
  public void failed(Protocol protocol, ErrorKind kind) {
    errors.get(protocol).get(kind).increment();
  }

  /** A request refused, dropped or cut off by {@code limit}. */
  public void limited(Limit limit) {
    limitHits.get(limit).increment();
  }

  /** How often {@code limit} was hit since the start. */
  public long hits(Limit limit) {
    return limitHits.get(limit).sum();
  }

  public long announces(Protocol protocol) {
    return announces.get(protocol).sum();
  }

  public long scrapes(Protocol protocol) {
    return scrapes.get(protocol).sum();
  }

  public long errors(Protocol protocol, ErrorKind kind) {
    return errors.get(protocol).get(kind).sum();
  }

  public long announces() {
    return announces.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long scrapes() {
    return scrapes.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long errors() {
    return errors.values().stream().flatMap(k -> k.values().stream()).mapToLong(LongAdder::sum).sum();
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
