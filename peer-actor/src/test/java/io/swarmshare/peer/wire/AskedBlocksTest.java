package io.swarmshare.peer.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.peer.pieces.BlockRequest;
import org.junit.jupiter.api.Test;

class AskedBlocksTest {

  static BlockRequest block(int piece, int index) {
    return new BlockRequest(piece, index * 16384, 16384);
  }

  @Test
  void aBlockWeAskedForArrivesOnceAndOneWeNeverAskedForIsUnrequested() {
    AskedBlocks asked = new AskedBlocks(4);
    asked.asked(block(0, 0));
    assertThat(asked.arrived(block(0, 0))).isTrue();
    assertThat(asked.arrived(block(0, 0))).as("the same block twice").isFalse();
    assertThat(asked.arrived(block(0, 1))).isFalse();
    assertThat(asked.arrived(new BlockRequest(0, 0, 100))).as("a different length").isFalse();
  }

  @Test
  void aCancelledBlockMayStillArriveBecauseItCouldBeOnItsWay() {
    AskedBlocks asked = new AskedBlocks(4);
    asked.asked(block(1, 0));
    asked.cancelled(block(1, 0));
    assertThat(asked.awaited()).isZero();
    assertThat(asked.arrived(block(1, 0))).isTrue();
  }

  @Test
  void aChokeAbandonsEveryAwaitedBlockAndOnlyTheNewestAbandonedAreRemembered() {
    AskedBlocks asked = new AskedBlocks(2);
    for (int i = 0; i < 3; i++) {
      asked.asked(block(2, i));
    }
    asked.choked();
    assertThat(asked.awaited()).isZero();
    int late = 0;
    for (int i = 0; i < 3; i++) {
      late += asked.arrived(block(2, i)) ? 1 : 0;
    }
    assertThat(late).as("late blocks still recognised, up to the bound").isEqualTo(2);
  }

  @Test
  void askingAgainForAnAbandonedBlockAwaitsItAgain() {
    AskedBlocks asked = new AskedBlocks(1);
    asked.asked(block(3, 0));
    asked.choked();
    asked.asked(block(3, 0));
    assertThat(asked.awaited()).isOne();
    asked.asked(block(3, 1));
    asked.choked();
    assertThat(asked.arrived(block(3, 1))).isTrue();
  }
}
