package io.swarmshare.peer.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerListTest {

  static final long S = Duration.ofSeconds(1).toNanos();
  static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 6001);
  static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 6002);
  static final InetSocketAddress C = new InetSocketAddress("127.0.0.1", 6003);

  final PeerList list = new PeerList(PeerList.Rules.standard(100));

  @Test
  void dialsEachAddressOnceInTheOrderItWasLearnt() {
    list.add(List.of(A, B, A, C));
    assertThat(list.takeDue(2, 0)).containsExactly(A, B);
    assertThat(list.takeDue(5, 0)).containsExactly(C);
    assertThat(list.takeDue(5, 0)).isEmpty();
  }

  @Test
  void skipsAddressesThatCannotBeDialled() {
    list.add(List.of(new InetSocketAddress("127.0.0.1", 0), InetSocketAddress.createUnresolved("nowhere", 1), A));
    assertThat(list.size()).isEqualTo(1);
  }

  @Test
  void holdsAtMostMaxCandidates() {
    PeerList small = new PeerList(PeerList.Rules.standard(2));
    small.add(List.of(A, B, C));
    assertThat(small.knows(C)).isFalse();
    assertThat(small.size()).isEqualTo(2);
  }

  @Test
  void aFailedDialWaitsThirtySecondsDoubledThenTheAddressIsForgotten() {
    list.add(List.of(A));
    long now = 0;
    long[] waits = {30, 60, 120, 240};
    for (long wait : waits) {
      assertThat(list.takeDue(1, now)).containsExactly(A);
      list.dialFailed(A, now);
      assertThat(list.takeDue(1, now + wait * S - 1)).isEmpty();
      now += wait * S;
    }
    assertThat(list.takeDue(1, now)).containsExactly(A);
    list.dialFailed(A, now);
    assertThat(list.knows(A)).isFalse();
  }

  @Test
  void aLostConnectionIsRedialledAfterTwoSecondsDoubledUpToThirtyTwo() {
    list.add(List.of(A));
    long now = 0;
    long[] waits = {2, 4, 8, 16, 32, 32};
    for (long wait : waits) {
      assertThat(list.takeDue(1, now)).containsExactly(A);
      list.lost(A, now);
      assertThat(list.takeDue(1, now + wait * S - 1)).isEmpty();
      now += wait * S;
    }
    assertThat(list.takeDue(1, now)).containsExactly(A);
  }

  @Test
  void aLossAfterFailuresStartsTheFailureCountAgain() {
    list.add(List.of(A));
    for (int i = 0; i < 4; i++) {
      list.takeDue(1, Long.MAX_VALUE / 2);
      list.dialFailed(A, 0);
    }
    list.takeDue(1, Long.MAX_VALUE / 2);
    list.lost(A, 0);
    list.takeDue(1, Long.MAX_VALUE / 2);
    list.dialFailed(A, 0);
    assertThat(list.knows(A)).as("one failure after a working connection").isTrue();
  }

  @Test
  void ourselvesIsForgottenAfterTheDialEnds() {
    list.add(List.of(A));
    list.takeDue(1, 0);
    list.isUs(A);
    list.dialFailed(A, 0);
    assertThat(list.knows(A)).isFalse();
  }

  @Test
  void forgettingAHostDropsEveryPortOfItAndNoOther() {
    InetSocketAddress elsewhere = new InetSocketAddress("127.0.0.2", 6001);
    list.add(List.of(A, B, elsewhere));
    list.forgetHost(A.getAddress());
    assertThat(list.knows(A)).isFalse();
    assertThat(list.knows(B)).isFalse();
    assertThat(list.takeDue(5, 0)).containsExactly(elsewhere);
  }
}
