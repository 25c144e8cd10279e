package io.swarmshare.messages.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

  @Test
  void readsIpv4AndIpv6Literals() throws Exception {
    assertThat(IpLiteral.parse("10.0.0.1")).contains(InetAddress.getByName("10.0.0.1"));
    assertThat(IpLiteral.parse("2001:db8::1")).contains(InetAddress.getByName("2001:db8::1"));
    assertThat(IpLiteral.parse("::ffff:1.2.3.4")).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "localhost", "tracker.example", "999.1.1.1", "1.2.3", "1.2.3.4.5", "\u0661.2.3.4", "::g", "1:2:3:4:5:6:7:8:9"})
  void refusesAnythingElseWithoutLookingItUp(String text) {
    assertThat(IpLiteral.parse(text)).isEmpty();
  }
}
