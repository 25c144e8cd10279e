package io.swarmshare.peer.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.PeerId;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrikesTest {

  final PeerId liar = PeerId.generate();
  final PeerId honest = PeerId.generate();
  final Strikes strikes = new Strikes(3);

  @Test
  void aPeerThatAloneSuppliedFailedPiecesIsBannedAtTheLimit() {
    assertThat(strikes.pieceFailed(1, List.of(liar))).isEmpty();
    assertThat(strikes.pieceFailed(1, List.of(liar))).isEmpty();
    assertThat(strikes.pieceFailed(1, List.of(liar))).containsExactly(liar);
    assertThat(strikes.isBanned(liar)).isTrue();
  }

  @Test
  void aSharedFailureCountsHalf() {
    for (int i = 0; i < 5; i++) {
      assertThat(strikes.pieceFailed(2, List.of(liar, honest))).isEmpty();
    }
    assertThat(strikes.pieceFailed(2, List.of(liar, honest))).containsExactlyInAnyOrder(liar, honest);
  }

  @Test
  void contributorsThatLeftStillSetTheWeight() {
    // Two peers supplied the piece; one has gone: the one still here gets one point, not two.
    for (int i = 0; i < 5; i++) {
      strikes.pieceFailed(2, List.of(liar));
    }
    assertThat(strikes.isBanned(liar)).isFalse();
  }

  @Test
  void aBanIsReportedOnce() {
    for (int i = 0; i < 3; i++) {
      strikes.pieceFailed(1, List.of(liar));
    }
    assertThat(strikes.pieceFailed(1, List.of(liar))).isEmpty();
    assertThat(strikes.isBanned(liar)).isTrue();
    assertThat(strikes.isBanned(honest)).isFalse();
  }
}
