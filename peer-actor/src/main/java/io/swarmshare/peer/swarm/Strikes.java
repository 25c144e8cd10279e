package io.swarmshare.peer.swarm;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Which addresses sent data that failed its hash check, and which are banned for it (libtorrent
 * bans by address too: a peer id is the remote's to choose, an address is not, so a liar that
 * comes back under a new id, dialling us or dialled, is still refused). A piece that fails counts
 * two points against an address that alone supplied it and one against each of several; an
 * address that reaches twice {@code maxHashFailures} points is banned for {@code banDuration}.
 * Points are forgotten after the same time without a new failure. Each of the two tables holds at
 * most {@code maxEntries} addresses, the oldest dropped first, so that a remote with many
 * addresses cannot grow them without bound.
 *
 * <p>Times are {@link System#nanoTime()} readings passed in, so that the rules test without clocks.
 */
public final class Strikes {

  public record Rules(int maxHashFailures, int maxEntries, Duration banDuration) {}

  private record Points(int points, long lastNanos) {}

  private final Rules rules;
  private final long durationNanos;
  /** In the order of their last failure, oldest first. */
  private final Map<InetAddress, Points> points = new LinkedHashMap<>();
  /** When each ban began, oldest first. */
  private final Map<InetAddress, Long> banned = new LinkedHashMap<>();

  public Strikes(Rules rules) {
    this.rules = rules;
    this.durationNanos = rules.banDuration().toNanos();
  }

  /**
   * Counts a piece that {@code contributors} peers supplied against the addresses of those of
   * them still here; returns the addresses it bans now.
   */
  public List<InetAddress> pieceFailed(int contributors, Collection<InetAddress> present, long nowNanos) {
    expire(nowNanos);
    int weight = contributors == 1 ? 2 : 1;
    List<InetAddress> newlyBanned = new ArrayList<>();
    for (InetAddress address : new LinkedHashSet<>(present)) {
      if (banned.containsKey(address)) {
        continue;
      }
      Points before = points.remove(address);
      int now = (before == null ? 0 : before.points()) + weight;
      if (now >= 2 * rules.maxHashFailures()) {
        banned.put(address, nowNanos);
        newlyBanned.add(address);
        trim(banned);
      } else {
        points.put(address, new Points(now, nowNanos));
        trim(points);
      }
    }
    return newlyBanned;
  }

  public boolean isBanned(InetAddress address, long nowNanos) {
    expire(nowNanos);
    return banned.containsKey(address);
  }

  /** How many addresses are banned now. */
  public int bannedCount(long nowNanos) {
    expire(nowNanos);
    return banned.size();
  }

  private void expire(long nowNanos) {
    Iterator<Map.Entry<InetAddress, Long>> bans = banned.entrySet().iterator();
    while (bans.hasNext() && nowNanos - bans.next().getValue() >= durationNanos) {
      bans.remove();
    }
    Iterator<Map.Entry<InetAddress, Points>> strikes = points.entrySet().iterator();
    while (strikes.hasNext() && nowNanos - strikes.next().getValue().lastNanos() >= durationNanos) {
      strikes.remove();
    }
  }

  private void trim(Map<InetAddress, ?> table) {
    Iterator<InetAddress> oldest = table.keySet().iterator();
    while (table.size() > rules.maxEntries()) {
      oldest.next();
      oldest.remove();
    }
  }
}
