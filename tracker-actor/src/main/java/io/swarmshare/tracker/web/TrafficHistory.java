package io.swarmshare.tracker.web;

import io.swarmshare.tracker.TrackerStats;
import io.swarmshare.tracker.TrackerStats.Protocol;
import java.util.ArrayList;
import java.util.List;

/**
 * The traffic graph's memory: the tracker's counters (announces and scrapes answered, by protocol,
 * and errors) read every sample interval into a ring of fixed size, so that it holds the last
 * {@code capacity} readings and never more. Rates are the differences between neighbouring
 * readings over the time between them. Written by one timer, read by HTTP requests: synchronized.
 */
public final class TrafficHistory {

  /** The counters at one moment, {@code atMillis} since the epoch; each only grows. */
  public record Sample(long atMillis, long udpAnnounces, long httpAnnounces, long udpScrapes, long httpScrapes,
      long errors) {

    public static Sample of(TrackerStats stats, long atMillis) {
      return new Sample(atMillis, stats.announces(Protocol.UDP), stats.announces(Protocol.HTTP),
          stats.scrapes(Protocol.UDP), stats.scrapes(Protocol.HTTP), stats.errors());
    }
  }

  /** Per second between the reading before and the one at {@code atMillis}. */
  public record Rate(long atMillis, double udpAnnounces, double httpAnnounces, double udpScrapes,
      double httpScrapes, double errors) {}

  private final Sample[] ring;
  private int next;
  private int size;

  /** Keeps the last {@code capacity} samples (at least 2: a rate needs two). */
  public TrafficHistory(int capacity) {
    if (capacity < 2) {
      throw new IllegalArgumentException("a traffic history needs room for 2 samples, got " + capacity);
    }
    this.ring = new Sample[capacity];
  }

  /** Adds a reading; the oldest goes once the ring is full. A reading not later than the last is ignored. */
  public synchronized void add(Sample sample) {
    if (size > 0 && sample.atMillis() <= latest().atMillis()) {
      return;
    }
    ring[next] = sample;
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
  }

  private Sample latest() {
    return ring[(next - 1 + ring.length) % ring.length];
  }

  /** How many readings it holds. */
  public synchronized int size() {
    return size;
  }

  /** The rates between neighbouring readings, oldest first: one fewer than the readings. */
  public synchronized List<Rate> rates() {
    List<Rate> out = new ArrayList<>(Math.max(0, size - 1));
    int first = (next - size + ring.length) % ring.length;
    for (int i = 1; i < size; i++) {
      Sample a = ring[(first + i - 1) % ring.length];
      Sample b = ring[(first + i) % ring.length];
      double seconds = (b.atMillis() - a.atMillis()) / 1000.0;
      out.add(new Rate(b.atMillis(), per(a.udpAnnounces(), b.udpAnnounces(), seconds),
          per(a.httpAnnounces(), b.httpAnnounces(), seconds), per(a.udpScrapes(), b.udpScrapes(), seconds),
          per(a.httpScrapes(), b.httpScrapes(), seconds), per(a.errors(), b.errors(), seconds)));
    }
    return out;
  }

  private static double per(long before, long after, double seconds) {
    return Math.max(0, after - before) / seconds;
  }
}
