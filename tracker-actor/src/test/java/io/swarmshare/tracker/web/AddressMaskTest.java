package io.swarmshare.tracker.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressMaskTest {

  @Test
  void masksAllButTheNetwork() throws Exception {
    assertThat(AddressMask.mask(InetAddress.getByName("127.0.0.1"))).isEqualTo("127.0.x.x");
    assertThat(AddressMask.mask(InetAddress.getByName("203.0.113.77"))).isEqualTo("203.0.x.x");
    assertThat(AddressMask.mask(InetAddress.getByName("2001:db8:1234::7"))).isEqualTo("2001:db8:x:x:x:x:x:x");
  }

  @Test
  void writesFullAddressesAsAUrlWould() throws Exception {
    assertThat(AddressMask.full(InetAddress.getByName("203.0.113.77"))).isEqualTo("203.0.113.77");
    assertThat(AddressMask.full(InetAddress.getByName("2001:db8::7"))).isEqualTo("[2001:db8:0:0:0:0:0:7]");
  }
}
