package io.swarmshare.peer.swarm;

import io.swarmshare.messages.PeerId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who sent data that failed its hash check, and who is banned for it. A piece that fails counts
 * two points against a peer that alone supplied it and one against each of several; a peer that
 * reaches twice {@code maxHashFailures} points is banned: nothing more it sends is used.
 */
public final class Strikes {

  private final int maxHashFailures;
  private final Map<PeerId, Integer> points = new HashMap<>();
  private final Set<PeerId> banned = new HashSet<>();

  public Strikes(int maxHashFailures) {
    this.maxHashFailures = maxHashFailures;
  }

  /**
   * Counts a piece that {@code contributors} peers supplied against those of them still here;
   * returns the ones it bans now.
   */
  public List<PeerId> pieceFailed(int contributors, Collection<PeerId> present) {
    int weight = contributors == 1 ? 2 : 1;
    List<PeerId> newlyBanned = new ArrayList<>();
    for (PeerId id : present) {
      if (points.merge(id, weight, Integer::sum) >= 2 * maxHashFailures && banned.add(id)) {
        points.remove(id);
        newlyBanned.add(id);
      }
    }
    return newlyBanned;
  }

  public boolean isBanned(PeerId id) {
    return banned.contains(id);
  }
}
