package io.swarmshare.peer.swarm;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The addresses a torrent may dial (libtorrent's peer_list), kept apart from the connections
 * themselves. For each address, in the order it was learnt: whether a connection to it is open
 * or being opened, how many dials in a row failed, how often a working connection was lost, and
 * when it may be dialled next. An address that keeps failing is forgotten; one that is ourselves
 * is never dialled again; the list holds at most {@code maxCandidates}. Bans are its owner's to
 * keep ({@link Strikes}): it names banned hosts to {@link #forgetHost} and adds none of theirs.
 *
 * <p>Times are {@link System#nanoTime()} readings passed in, so that the rules test without clocks.
 */
public final class PeerList {

  /** The rules: how many addresses, and how long to wait after a failure or a loss. */
  public record Rules(int maxCandidates, Duration retryAfterFailure, Duration redialAfterLoss, int maxRedialDoublings,
      int maxDialFailures) {

    /** A dial that failed waits 30 s, doubled for each failure in a row, and five in a row forget it; a lost
     * connection is redialled after 2 s, doubled for each loss up to 32 s. */
    public static Rules standard(int maxCandidates) {
      return new Rules(maxCandidates, Duration.ofSeconds(30), Duration.ofSeconds(2), 4, 5);
    }
  }

  private static final class Candidate {
    int failures;
    int losses;
    long notBeforeNanos;
    boolean connected;
  }

  private final Rules rules;
  private final Map<InetSocketAddress, Candidate> candidates = new LinkedHashMap<>();

  public PeerList(Rules rules) {
    this.rules = rules;
  }

  /** Learns addresses (from a tracker, a user, a peer), skipping ones that cannot be dialled. */
  public void add(Collection<InetSocketAddress> addresses) {
    for (InetSocketAddress a : addresses) {
      if (candidates.size() >= rules.maxCandidates()) {
        return;
      }
      if (a.getPort() != 0 && !a.isUnresolved()) {
        candidates.putIfAbsent(a, new Candidate());
      }
    }
  }

  /**
   * Up to {@code count} addresses that are due to be dialled, oldest first; each is counted as
   * connected until {@link #dialFailed}, {@link #lost} or {@link #forget} says otherwise.
   */
  public List<InetSocketAddress> takeDue(int count, long nowNanos) {
    List<InetSocketAddress> due = new ArrayList<>();
    for (Map.Entry<InetSocketAddress, Candidate> e : candidates.entrySet()) {
      if (due.size() >= count) {
        break;
      }
      Candidate c = e.getValue();
      if (!c.connected && nowNanos - c.notBeforeNanos >= 0) {
        c.connected = true;
        due.add(e.getKey());
      }
    }
    return due;
  }

  /** A dial to {@code address} ended before the remote was taken: wait longer each time, then forget it. */
  public void dialFailed(InetSocketAddress address, long nowNanos) {
    Candidate c = candidates.get(address);
    if (c == null) {
      return;
    }
    c.connected = false;
    if (++c.failures >= rules.maxDialFailures()) {
      candidates.remove(address);
    } else {
      c.notBeforeNanos = nowNanos + (rules.retryAfterFailure().toNanos() << (c.failures - 1));
    }
  }

  /** A connection that worked was lost: the peer was there, so dial again soon, later if it keeps going. */
  public void lost(InetSocketAddress address, long nowNanos) {
    Candidate c = candidates.get(address);
    if (c == null) {
      return;
    }
    c.connected = false;
    c.failures = 0;
    c.notBeforeNanos = nowNanos + (rules.redialAfterLoss().toNanos() << Math.min(c.losses++, rules.maxRedialDoublings()));
  }

  /** The address is ourselves: it is never dialled again. */
  public void isUs(InetSocketAddress address) {
    Candidate c = candidates.get(address);
    if (c != null) {
      c.failures = rules.maxDialFailures();
    }
  }

  /** Drops the address (a seeder when we seed too, a banned peer). */
  public void forget(InetSocketAddress address) {
    candidates.remove(address);
  }

  /** Drops every address of {@code host}, whatever its port (a banned host). */
  public void forgetHost(InetAddress host) {
    candidates.keySet().removeIf(a -> host.equals(a.getAddress()));
  }

  public boolean knows(InetSocketAddress address) {
    return candidates.containsKey(address);
  }

  public int size() {
    return candidates.size();
  }
}
