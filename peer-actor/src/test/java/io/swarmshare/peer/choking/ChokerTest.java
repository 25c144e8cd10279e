package io.swarmshare.peer.choking;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.peer.choking.Choker.Candidate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ChokerTest {

  private static Candidate<String> leecher(String name, long downloadRate) {
    return new Candidate<>(name, true, downloadRate, 0);
  }

  @Test
  void unchokesTheFourWhoGiveUsMostAndOneOptimistically() {
    Choker<String> choker = new Choker<>(4, 3, 3, new Random(1));
    List<Candidate<String>> peers = List.of(
        leecher("a", 500), leecher("b", 400), leecher("c", 300), leecher("d", 200), leecher("e", 100),
        leecher("f", 50), new Candidate<>("uninterested", false, 10_000, 0));
    Set<String> unchoked = choker.decide(peers, false);
    assertThat(unchoked).hasSize(5).contains("a", "b", "c", "d").doesNotContain("uninterested");
    assertThat(unchoked).containsAnyOf("e", "f");
  }

  @Test
  void keepsTheOptimisticPeerForItsRoundsThenMovesIt() {
    Choker<String> choker = new Choker<>(1, 3, 3, new Random(7));
    List<Candidate<String>> peers = new ArrayList<>();
    peers.add(leecher("fast", 1000));
    for (int i = 0; i < 20; i++) {
      peers.add(leecher("p" + i, 0));
    }
    Set<String> optimists = new HashSet<>();
    String previous = null;
    for (int round = 0; round < 30; round++) {
      Set<String> unchoked = choker.decide(peers, false);
      assertThat(unchoked).hasSize(2).contains("fast");
      String optimistic = unchoked.stream().filter(p -> !p.equals("fast")).findFirst().orElseThrow();
      if (round % 3 != 0) {
        assertThat(optimistic).as("round %d", round).isEqualTo(previous);
      }
      optimists.add(optimistic);
      previous = optimistic;
    }
    assertThat(optimists.size()).isGreaterThan(3);
  }

  @Test
  void seedingRanksByUploadRateButRotatesSlots() {
    Choker<String> choker = new Choker<>(2, 100, 2, new Random(3));
    List<Candidate<String>> peers = List.of(
        new Candidate<>("a", true, 0, 900), new Candidate<>("b", true, 0, 800),
        new Candidate<>("c", true, 0, 10), new Candidate<>("d", true, 0, 5));
    Map<String, Integer> turns = new HashMap<>();
    for (int round = 0; round < 12; round++) {
      for (String p : choker.decide(peers, true)) {
        turns.merge(p, 1, Integer::sum);
      }
    }
    assertThat(turns.keySet()).contains("a", "b", "c", "d");
    assertThat(turns.values()).allMatch(n -> n >= 3);
  }

  @Test
  void unchokesNobodyWhenNobodyIsInterested() {
    Choker<String> choker = new Choker<>(4, 3, 3, new Random(1));
    assertThat(choker.decide(List.of(new Candidate<>("a", false, 5, 5)), false)).isEmpty();
    assertThat(choker.decide(List.of(), true)).isEmpty();
  }

  @Test
  void forgetsPeersThatLeave() {
    Choker<String> choker = new Choker<>(4, 3, 3, new Random(1));
    choker.decide(List.of(leecher("a", 1), leecher("b", 2)), false);
    assertThat(choker.tracked()).isEqualTo(2);
    choker.peerGone("a");
    choker.peerGone("b");
    assertThat(choker.tracked()).isZero();
    assertThat(choker.decide(List.of(leecher("c", 1)), false)).containsExactly("c");
  }

  @Property(tries = 200)
  void neverUnchokesMoreThanTheSlotsPlusOneNorAnUninterestedPeer(
      @ForAll @IntRange(min = 0, max = 30) int count, @ForAll @IntRange(min = 0, max = 6) int slots,
      @ForAll boolean seeding, @ForAll long seed) {
    Random random = new Random(seed);
    Choker<Integer> choker = new Choker<>(slots, 3, 3, random);
    for (int round = 0; round < 10; round++) {
      List<Candidate<Integer>> peers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        peers.add(new Candidate<>(i, random.nextBoolean(), random.nextInt(1000), random.nextInt(1000)));
      }
      Set<Integer> unchoked = choker.decide(peers, seeding);
      long interested = peers.stream().filter(Candidate::interested).count();
      assertThat(unchoked.size()).isLessThanOrEqualTo(Math.min(slots + 1, (int) interested));
      for (Integer p : unchoked) {
        assertThat(peers.get(p).interested()).isTrue();
      }
      assertThat(choker.tracked()).isEqualTo(unchoked.size());
    }
  }
}
