package io.swarmshare.peer.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.peer.wire.UnchokeDebounce.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnchokeDebounceTest {

  static final long SECOND = 1_000_000_000L;

  @Test
  void theFirstUnchokeAndEveryChokeArePassedOnAtOnce() {
    UnchokeDebounce d = new UnchokeDebounce(Duration.ofSeconds(1), 20);
    assertThat(d.unchoke(0)).isEqualTo(Verdict.UNCHOKED);
    assertThat(d.choke()).isEqualTo(Verdict.CHOKED);
  }

  @Test
  void repeatsAreNotChanges() {
    UnchokeDebounce d = new UnchokeDebounce(Duration.ofSeconds(1), 20);
    assertThat(d.choke()).as("we start choked").isEqualTo(Verdict.NOTHING);
    assertThat(d.unchoke(0)).isEqualTo(Verdict.UNCHOKED);
    assertThat(d.unchoke(10)).isEqualTo(Verdict.NOTHING);
    assertThat(d.choke()).isEqualTo(Verdict.CHOKED);
    assertThat(d.choke()).isEqualTo(Verdict.NOTHING);
  }

  @Test
  void anUnchokeSoonAfterTheLastWaitsAndIsDroppedIfAChokeComesFirst() {
    UnchokeDebounce d = new UnchokeDebounce(Duration.ofSeconds(1), 20);
    d.unchoke(0);
    d.choke();
    assertThat(d.unchoke(SECOND / 4)).isEqualTo(Verdict.WAIT);
    assertThat(d.waitNanos(SECOND / 4)).isEqualTo(3 * SECOND / 4);
    assertThat(d.due(SECOND / 2)).isEqualTo(Verdict.WAIT);
    assertThat(d.due(SECOND)).isEqualTo(Verdict.UNCHOKED);

    d.choke();
    assertThat(d.unchoke(SECOND + 10)).isEqualTo(Verdict.WAIT);
    assertThat(d.choke()).as("the owner never heard of that unchoke").isEqualTo(Verdict.NOTHING);
    assertThat(d.due(2 * SECOND)).isEqualTo(Verdict.NOTHING);
  }

  @Test
  void aRemoteThatUnchokesTooOftenInAMinuteIsFlappingButOnlyWithinTheMinute() {
    UnchokeDebounce d = new UnchokeDebounce(Duration.ofSeconds(1), 3);
    for (int i = 0; i < 3; i++) {
      assertThat(d.unchoke(i * SECOND)).isNotEqualTo(Verdict.FLAPPING);
      d.choke();
    }
    assertThat(d.unchoke(3 * SECOND)).isEqualTo(Verdict.FLAPPING);

    UnchokeDebounce honest = new UnchokeDebounce(Duration.ofSeconds(1), 3);
    for (int i = 0; i < 20; i++) {
      assertThat(honest.unchoke(i * 30 * SECOND)).isEqualTo(Verdict.UNCHOKED);
      honest.choke();
    }
  }
}
