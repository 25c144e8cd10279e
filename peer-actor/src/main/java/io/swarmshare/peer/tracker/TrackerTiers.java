package io.swarmshare.peer.tracker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The order in which a torrent's trackers are tried, as BEP 12 says: each tier is shuffled once;
 * trackers are tried tier by tier, in order; a tracker that answers moves to the front of its tier
 * and is asked first from then on. After every tracker has failed once, the round starts again
 * from the first tier (the caller waits its back-off in between).
 */
public final class TrackerTiers {

  private final List<List<String>> tiers = new ArrayList<>();
  private int tier;
  private int index;

  public TrackerTiers(List<List<String>> announceTiers, Random random) {
    for (List<String> urls : announceTiers) {
      if (!urls.isEmpty()) {
        List<String> shuffled = new ArrayList<>(urls);
        Collections.shuffle(shuffled, random);
        tiers.add(shuffled);
      }
    }
  }

  /** The tracker to ask now, or empty if the torrent names none. */
  public Optional<String> current() {
    return tiers.isEmpty() ? Optional.empty() : Optional.of(tiers.get(tier).get(index));
  }

  /** The current tracker answered: it leads its tier, and the next round starts from it. */
  public void succeeded() {
    List<String> urls = tiers.get(tier);
    urls.add(0, urls.remove(index));
    index = 0;
    tier = 0;
  }

  /**
   * The current tracker failed: move to the next one. Returns true when that starts a new round,
   * every tracker having failed since the last success or the start.
   */
  public boolean failed() {
    if (tiers.isEmpty()) {
      return true;
    }
    index++;
    if (index < tiers.get(tier).size()) {
      return false;
    }
    index = 0;
    tier++;
    if (tier < tiers.size()) {
      return false;
    }
    tier = 0;
    return true;
  }

  /** Every tracker, in the order they would be tried now. */
  public List<String> all() {
    List<String> all = new ArrayList<>();
    tiers.forEach(all::addAll);
    return all;
  }
}
