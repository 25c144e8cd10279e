package io.swarmshare.tracker.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionCountsTest {

  @Test
  void countsPerAddressAndForgetsAnAddressWithNoneOpen() {
    ConnectionCounts counts = new ConnectionCounts(2);
    assertThat(counts.tryOpen(1)).isTrue();
    assertThat(counts.tryOpen(1)).isTrue();
    assertThat(counts.tryOpen(1)).isFalse();
    assertThat(counts.tryOpen(2)).isTrue();
    assertThat(counts.open(1)).isEqualTo(2);
    counts.close(1);
    assertThat(counts.tryOpen(1)).isTrue();
    counts.close(1);
    counts.close(1);
    counts.close(2);
    assertThat(counts.addresses()).isZero();
    counts.close(3);
    assertThat(counts.addresses()).isZero();
  }

  @Test
  void zeroIsNoLimit() {
    ConnectionCounts counts = new ConnectionCounts(0);
    for (int i = 0; i < 100; i++) {
      assertThat(counts.tryOpen(1)).isTrue();
    }
    assertThat(counts.open(1)).isEqualTo(100);
  }

  @Test
  void anIpv6HostIsCountedByItsSlash64() throws Exception {
    assertThat(AddressKey.of(InetAddress.getByName("2001:db8:1:2::1")))
        .isEqualTo(AddressKey.of(InetAddress.getByName("2001:db8:1:2:ffff::9")))
        .isNotEqualTo(AddressKey.of(InetAddress.getByName("2001:db8:1:3::1")));
    assertThat(AddressKey.of(InetAddress.getByName("10.0.0.1"))).isNotEqualTo(AddressKey.of(InetAddress.getByName("10.0.0.2")));
    assertThat(AddressKey.of(InetAddress.getByName("0.0.0.0"))).isNotEqualTo(AddressKey.of(InetAddress.getByName("::")));
  }
}
