package io.swarmshare.peer.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.peer.session.SeedingGoals.Goals;
import io.swarmshare.peer.session.SeedingGoals.Mode;
import io.swarmshare.peer.session.SeedingGoals.Node;
import io.swarmshare.peer.session.SeedingGoals.Reached;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SeedingGoalsTest {

  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  static final Node NONE = new Node(false, 2.0, false, Duration.ofMinutes(30));
  static final Node RATIO_ONE = new Node(true, 1.0, false, Duration.ofMinutes(30));
  static final Node IDLE_TEN = new Node(false, 2.0, true, Duration.ofMinutes(10));

  @Test
  void aTorrentFollowingTheNodeStopsAtTheNodesRatioOnceItUploadedThatManyTimesItsSize() {
    Goals goals = Goals.following(RATIO_ONE);
    assertThat(SeedingGoals.reached(goals, RATIO_ONE, 1000, 999, T0, T0)).isEmpty();
    assertThat(SeedingGoals.reached(goals, RATIO_ONE, 1000, 1000, T0, T0)).contains(Reached.RATIO);
    assertThat(SeedingGoals.reached(goals, NONE, 1000, 1_000_000, T0, T0)).as("the node has no ratio").isEmpty();
  }

  @Test
  void itsOwnRatioOverridesTheNodesAndUnlimitedHasNone() {
    Goals own = Goals.following(RATIO_ONE).withRatio(Mode.OWN, 0.5);
    assertThat(SeedingGoals.ratioLimit(own, NONE)).contains(0.5);
    assertThat(SeedingGoals.ratioReached(own, NONE, 1000, 500)).isTrue();
    Goals unlimited = own.withRatio(Mode.UNLIMITED, 0.5);
    assertThat(SeedingGoals.ratioLimit(unlimited, RATIO_ONE)).isEmpty();
    assertThat(SeedingGoals.ratioReached(unlimited, RATIO_ONE, 1000, 1_000_000)).isFalse();
  }

  @Test
  void aRatioOfZeroIsReachedAtOnce() {
    Goals zero = Goals.following(NONE).withRatio(Mode.OWN, 0);
    assertThat(SeedingGoals.reached(zero, NONE, 1000, 0, T0, T0)).contains(Reached.RATIO);
  }

  @Test
  void theIdleGoalCountsFromTheLaterOfTheStartAndTheLastActivity() {
    Goals goals = Goals.following(IDLE_TEN);
    Instant lastActive = T0.plusSeconds(60);
    assertThat(SeedingGoals.reached(goals, IDLE_TEN, 1000, 0, lastActive, lastActive.plus(Duration.ofMinutes(9))))
        .isEmpty();
    assertThat(SeedingGoals.reached(goals, IDLE_TEN, 1000, 0, lastActive, lastActive.plus(Duration.ofMinutes(10))))
        .contains(Reached.IDLE);
    Goals own = goals.withIdle(Mode.OWN, Duration.ofMinutes(1));
    assertThat(SeedingGoals.reached(own, NONE, 1000, 0, T0, T0.plusSeconds(60))).contains(Reached.IDLE);
    assertThat(SeedingGoals.reached(own.withIdle(Mode.UNLIMITED, Duration.ofMinutes(1)), IDLE_TEN, 1000, 0, T0,
        T0.plus(Duration.ofDays(1)))).isEmpty();
  }

  @Test
  void theRatioIsLookedAtBeforeTheIdleLimit() {
    Node both = new Node(true, 1.0, true, Duration.ofMinutes(1));
    assertThat(SeedingGoals.reached(Goals.following(both), both, 10, 10, T0, T0.plusSeconds(3600)))
        .contains(Reached.RATIO);
  }

  @Test
  void modesAreTransmissionsNumbersAndBadValuesAreRefused() {
    assertThat(Mode.ofTransmission(0)).isEqualTo(Mode.NODE);
    assertThat(Mode.ofTransmission(2)).isEqualTo(Mode.UNLIMITED);
    assertThat(Mode.OWN.transmission()).isEqualTo(1);
    assertThatThrownBy(() -> Mode.ofTransmission(3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Goals(Mode.OWN, -1, Mode.NODE, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Goals(Mode.OWN, Double.NaN, Mode.NODE, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Node(false, 1, false, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThat(SeedingGoals.idleLimit(Goals.following(NONE), NONE)).isEqualTo(Optional.empty());
  }
}
