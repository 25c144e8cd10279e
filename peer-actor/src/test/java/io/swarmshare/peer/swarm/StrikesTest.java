package io.swarmshare.peer.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrikesTest {

  static final long HOUR = Duration.ofHours(1).toNanos();

  static InetAddress address(int n) {
    try {
      return InetAddress.getByAddress(new byte[] {10, 0, (byte) (n >> 8), (byte) n});
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  final InetAddress liar = address(1);
  final InetAddress honest = address(2);
  final Strikes strikes = new Strikes(new Strikes.Rules(3, 100, Duration.ofHours(1)));

  @Test
  void anAddressThatAloneSuppliedFailedPiecesIsBannedAtTheLimit() {
    assertThat(strikes.pieceFailed(1, List.of(liar), 0)).isEmpty();
    assertThat(strikes.pieceFailed(1, List.of(liar), 1)).isEmpty();
    assertThat(strikes.pieceFailed(1, List.of(liar), 2)).containsExactly(liar);
    assertThat(strikes.isBanned(liar, 3)).isTrue();
  }

  @Test
  void aSharedFailureCountsHalf() {
    for (int i = 0; i < 5; i++) {
      assertThat(strikes.pieceFailed(2, List.of(liar, honest), i)).isEmpty();
    }
    assertThat(strikes.pieceFailed(2, List.of(liar, honest), 5)).containsExactlyInAnyOrder(liar, honest);
  }

  @Test
  void contributorsThatLeftStillSetTheWeight() {
    // Two peers supplied the piece; one has gone: the one still here gets one point, not two.
    for (int i = 0; i < 5; i++) {
      strikes.pieceFailed(2, List.of(liar), i);
    }
    assertThat(strikes.isBanned(liar, 5)).isFalse();
  }

  @Test
  void twoConnectionsFromOneAddressCountAsOne() {
    strikes.pieceFailed(2, List.of(liar, liar), 0);
    strikes.pieceFailed(2, List.of(liar, liar), 1);
    assertThat(strikes.isBanned(liar, 2)).isFalse();
  }

  @Test
  void aBanIsReportedOnce() {
    for (int i = 0; i < 3; i++) {
      strikes.pieceFailed(1, List.of(liar), i);
    }
    assertThat(strikes.pieceFailed(1, List.of(liar), 3)).isEmpty();
    assertThat(strikes.isBanned(liar, 4)).isTrue();
    assertThat(strikes.isBanned(honest, 4)).isFalse();
  }

  @Test
  void bansAndPointsExpire() {
    for (int i = 0; i < 3; i++) {
      strikes.pieceFailed(1, List.of(liar), i);
    }
    strikes.pieceFailed(1, List.of(honest), 0);
    assertThat(strikes.isBanned(liar, HOUR)).isTrue();
    assertThat(strikes.isBanned(liar, HOUR + 2)).isFalse();
    // The honest address's one failure is forgotten too: two more do not ban it.
    strikes.pieceFailed(1, List.of(honest), HOUR + 2);
    strikes.pieceFailed(1, List.of(honest), HOUR + 3);
    assertThat(strikes.isBanned(honest, HOUR + 4)).isFalse();
  }

  @Test
  void theTablesAreBoundedOldestFirst() {
    Strikes small = new Strikes(new Strikes.Rules(1, 3, Duration.ofHours(1)));
    for (int n = 1; n <= 5; n++) {
      assertThat(small.pieceFailed(1, List.of(address(n)), n)).containsExactly(address(n));
    }
    assertThat(small.bannedCount(6)).isEqualTo(3);
    assertThat(small.isBanned(address(1), 6)).isFalse();
    assertThat(small.isBanned(address(5), 6)).isTrue();
  }
}
