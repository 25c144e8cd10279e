package io.swarmshare.peer.choking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Decides which peers we upload to (BEP 3's choking, as libtorrent and the mainline client do it).
 * Every round (10 s by default) the regular slots go to the interested peers that serve us best:
 * while downloading, those we download fastest from (tit-for-tat); while seeding, those we upload
 * to fastest, except that a peer which has held a slot for {@code seedRotationRounds} rounds
 * gives it up to a waiting one, so that every leecher gets its turn. One more slot, the
 * optimistic unchoke, goes to a random choked interested peer and moves every few rounds (30 s
 * by default): it is how a newcomer with nothing to offer gets its first pieces.
 *
 * <p>Tracks, per peer, only how many rounds it has held a regular slot and whether it is the
 * optimistic one; {@link #peerGone} forgets it. Not thread-safe: the Download actor owns it.
 */
public final class Choker<P> {

  /** One peer as a round sees it: whether it wants our data and the rates over the last round. */
  public record Candidate<P>(P peer, boolean interested, long downloadRate, long uploadRate) {}

  private final int regularSlots;
  private final int optimisticEveryRounds;
  private final int seedRotationRounds;
  private final Random random;

  private final Map<P, Integer> roundsUnchoked = new HashMap<>();
  private P optimistic;
  private int round;

  public Choker(int regularSlots, int optimisticEveryRounds, int seedRotationRounds, Random random) {
    if (regularSlots < 0 || optimisticEveryRounds < 1 || seedRotationRounds < 1) {
      throw new IllegalArgumentException("need slots >= 0 and rounds >= 1");
    }
    this.regularSlots = regularSlots;
    this.optimisticEveryRounds = optimisticEveryRounds;
    this.seedRotationRounds = seedRotationRounds;
    this.random = random;
  }

  /** Runs one round: returns every peer that should be unchoked now; all others are choked. */
  public Set<P> decide(List<Candidate<P>> candidates, boolean seeding) {
    List<Candidate<P>> interested = new ArrayList<>();
    for (Candidate<P> c : candidates) {
      if (c.interested()) {
        interested.add(c);
      }
    }
    Comparator<Candidate<P>> byRate = seeding
        ? Comparator.comparingLong((Candidate<P> c) -> c.uploadRate()).reversed()
        : Comparator.comparingLong((Candidate<P> c) -> c.downloadRate()).reversed();
    if (seeding) {
      // Those who have had their turn go to the back, so the waiting ones get slots.
      byRate = Comparator.comparing((Candidate<P> c) -> roundsUnchoked.getOrDefault(c.peer(), 0) >= seedRotationRounds)
          .thenComparing(byRate);
    }
    interested.sort(byRate);

    Set<P> unchoked = new HashSet<>();
    for (int i = 0; i < Math.min(regularSlots, interested.size()); i++) {
      unchoked.add(interested.get(i).peer());
    }

    boolean keepOptimistic = optimistic != null && round % optimisticEveryRounds != 0
        && interested.stream().anyMatch(c -> c.peer().equals(optimistic));
    if (!keepOptimistic) {
      List<P> waiting = new ArrayList<>();
      for (Candidate<P> c : interested) {
        if (!unchoked.contains(c.peer())) {
          waiting.add(c.peer());
        }
      }
      optimistic = waiting.isEmpty() ? null : waiting.get(random.nextInt(waiting.size()));
    }
    if (optimistic != null) {
      unchoked.add(optimistic);
    }

    // A peer that is choked this round starts counting again from zero when next unchoked.
    Map<P, Integer> next = new HashMap<>();
    for (P p : unchoked) {
      next.put(p, roundsUnchoked.getOrDefault(p, 0) + 1);
    }
    roundsUnchoked.clear();
    roundsUnchoked.putAll(next);
    round++;
    return unchoked;
  }

  /** Forgets a peer that disconnected. */
  public void peerGone(P peer) {
    roundsUnchoked.remove(peer);
    if (peer.equals(optimistic)) {
      optimistic = null;
    }
  }

  /** How many peers the choker holds state for: never more than it has unchoked. */
  int tracked() {
    return roundsUnchoked.size();
  }
}
