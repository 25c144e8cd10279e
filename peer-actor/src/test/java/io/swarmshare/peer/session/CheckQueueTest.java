package io.swarmshare.peer.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CheckQueueTest {

  @Test
  void oneAtATimeInTheOrderTheyAsked() {
    CheckQueue<String> queue = new CheckQueue<>(1);
    assertThat(queue.enter("a")).isTrue();
    assertThat(queue.enter("b")).isFalse();
    assertThat(queue.enter("c")).isFalse();
    assertThat(queue.position("c")).isEqualTo(2);
    assertThat(queue.leave("a")).containsExactly("b");
    assertThat(queue.leave("b")).containsExactly("c");
    assertThat(queue.leave("c")).isEmpty();
    assertThat(queue.checking()).isZero();
  }

  @Test
  void oneThatLeavesWhileWaitingGivesUpItsPlace() {
    CheckQueue<String> queue = new CheckQueue<>(1);
    queue.enter("a");
    queue.enter("b");
    queue.enter("c");
    assertThat(queue.leave("b")).as("b was only waiting").isEmpty();
    assertThat(queue.leave("a")).containsExactly("c");
    assertThat(queue.position("b")).isEqualTo(-1);
  }

  @Test
  void askingTwiceKeepsOnePlace() {
    CheckQueue<String> queue = new CheckQueue<>(1);
    assertThat(queue.enter("a")).isTrue();
    assertThat(queue.enter("a")).isTrue();
    queue.enter("b");
    assertThat(queue.enter("b")).isFalse();
    assertThat(queue.waiting()).isEqualTo(1);
  }

  @Test
  void needsASlot() {
    assertThatThrownBy(() -> new CheckQueue<String>(0)).hasMessageContaining("at least one slot");
  }

  /** Whatever the order of entries and departures: never more than the slots, and never a free slot unused. */
  @Property
  void neverMoreThanTheSlotsAndNoSlotIdleWhileOthersWait(@ForAll @IntRange(min = 1, max = 4) int slots,
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 9) Integer> ops) {
    CheckQueue<Integer> queue = new CheckQueue<>(slots);
    List<Integer> inQueue = new ArrayList<>();
    for (int op : ops) {
      if (queue.position(op) == -1) {
        inQueue.add(op);
        queue.enter(op);
      } else {
        inQueue.remove(Integer.valueOf(op));
        queue.leave(op);
      }
      assertThat(queue.checking() + queue.waiting()).isEqualTo(inQueue.size());
      assertThat(queue.checking()).isEqualTo(Math.min(slots, inQueue.size()));
    }
  }
}
