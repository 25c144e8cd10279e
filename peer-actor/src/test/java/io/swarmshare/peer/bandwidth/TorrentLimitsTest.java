package io.swarmshare.peer.bandwidth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TorrentLimitsTest {

  @Test
  void aLimitSwitchedOffKeepsItsNumberAndAppliesNone() {
    TorrentLimits limited = TorrentLimits.Changes.none().apply(TorrentLimits.NONE);
    limited = new TorrentLimits.Changes(Optional.of(50_000L), Optional.of(true), Optional.empty(), Optional.empty(),
        Optional.empty()).apply(limited);
    RateLimit node = RateLimit.unlimited();
    RateLimit up = node.within();
    RateLimit down = node.within();
    limited.applyTo(up, down);
    assertThat(down.rate()).isEqualTo(50_000);
    assertThat(up.rate()).isZero();

    TorrentLimits off = new TorrentLimits.Changes(Optional.empty(), Optional.of(false), Optional.empty(),
        Optional.empty(), Optional.empty()).apply(limited);
    off.applyTo(up, down);
    assertThat(off.download()).as("kept for when it is switched on again").isEqualTo(50_000);
    assertThat(down.rate()).isZero();
  }

  @Test
  void refusesANegativeLimit() {
    assertThatThrownBy(() -> new TorrentLimits(-1, true, 0, false, true)).isInstanceOf(IllegalArgumentException.class);
  }
}
