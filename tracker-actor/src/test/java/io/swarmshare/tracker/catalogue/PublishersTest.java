package io.swarmshare.tracker.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublishersTest {

  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final InetAddress REMOTE = address("192.0.2.7");
  static final long HOUR = 3_600_000_000_000L;

  static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static final Publishers.Key ALICE = new Publishers.Key("alice", "alice-secret-0123456789", 1000, 2);
  static final Publishers.Key BOB = new Publishers.Key("bob", "bob-secret-0123456789", 5000, 100);

  @Test
  void withoutKeysOnlyLoopbackPublishesAsLocal() {
    Publishers none = new Publishers(List.of(), 10, 777);
    assertThat(none.admit(Optional.empty(), LOOPBACK, 0))
        .isEqualTo(new Publishers.Admitted(new Catalogue.Publisher(Catalogue.LOCAL, 777)));
    Publishers.Refused remote = (Publishers.Refused) none.admit(Optional.of("anything-at-all-here"), REMOTE, 0);
    assertThat(remote.status()).isEqualTo(403);
    assertThat(remote.message()).contains("own host");
  }

  @Test
  void withKeysEveryoneNeedsOneEvenOnLoopback() {
    Publishers keys = new Publishers(List.of(ALICE, BOB), 10, 0);
    assertThat(((Publishers.Refused) keys.admit(Optional.empty(), LOOPBACK, 0)).status()).isEqualTo(401);
    assertThat(((Publishers.Refused) keys.admit(Optional.of("alice-secret-012345678"), REMOTE, 0)).status()).isEqualTo(403);
    assertThat(keys.admit(Optional.of("bob-secret-0123456789"), REMOTE, 0))
        .isEqualTo(new Publishers.Admitted(new Catalogue.Publisher("bob", 5000)));
  }

  @Test
  void eachKeyHasItsOwnRate() {
    Publishers keys = new Publishers(List.of(ALICE, BOB), 3, 0);
    Optional<String> alice = Optional.of(ALICE.secret());
    for (int i = 0; i < 3; i++) {
      assertThat(keys.admit(alice, REMOTE, 0)).isInstanceOf(Publishers.Admitted.class);
    }
    Publishers.Refused slow = (Publishers.Refused) keys.admit(alice, REMOTE, 0);
    assertThat(slow.status()).isEqualTo(429);
    assertThat(slow.rateLimited()).isTrue();
    assertThat(keys.admit(Optional.of(BOB.secret()), REMOTE, 0)).isInstanceOf(Publishers.Admitted.class);
    // Two an hour: one more after half an hour.
    assertThat(keys.admit(alice, REMOTE, HOUR / 2)).isInstanceOf(Publishers.Admitted.class);
    assertThat(keys.admit(alice, REMOTE, HOUR / 2)).isInstanceOf(Publishers.Refused.class);
  }

  @Test
  void refusesWeakOrClashingKeysAndNeverShowsASecret() {
    assertThatThrownBy(() -> new Publishers.Key("alice", "short", 1, 1)).hasMessageContaining("16");
    assertThatThrownBy(() -> new Publishers.Key("local", "0123456789abcdef", 1, 1)).hasMessageContaining("local");
    assertThatThrownBy(() -> new Publishers.Key("a b", "0123456789abcdef", 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Publishers(List.of(ALICE, new Publishers.Key("alice", "another-secret-0123", 1, 1)), 1, 0))
        .hasMessageContaining("alice");
    assertThat(ALICE.toString()).doesNotContain(ALICE.secret());
  }
}
