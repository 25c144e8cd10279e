package io.swarmshare.tracker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

  static final InetAddress PROXY = ip("192.0.2.1");
  static final InetAddress STRANGER = ip("198.51.100.7");

  static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static ClientAddress.Claims claims(String forwardedFor, String realIp, String forwarded, String ip) {
    return new ClientAddress.Claims(Optional.ofNullable(forwardedFor), Optional.ofNullable(realIp),
        Optional.ofNullable(forwarded), Optional.ofNullable(ip));
  }

  @Test
  void aStrangerIsItsConnectionWhateverItClaims() {
    ClientAddress trusting = new ClientAddress(Set.of(PROXY), true);
    assertThat(trusting.of(STRANGER, claims("10.0.0.1", "10.0.0.2", "for=10.0.0.3", "10.0.0.4"))).isEqualTo(STRANGER);
    assertThat(new ClientAddress(Set.of(), true).of(STRANGER, claims("10.0.0.1", null, null, "10.0.0.4")))
        .isEqualTo(STRANGER);
  }

  @Test
  void aTrustedProxyIsBelievedHeadersFirstAndTheLastHopOnly() {
    ClientAddress c = new ClientAddress(Set.of(PROXY), false);
    assertThat(c.of(PROXY, claims("10.0.0.66, 203.0.113.9", "10.0.0.2", null, null))).isEqualTo(ip("203.0.113.9"));
    assertThat(c.of(PROXY, claims("203.0.113.9:4711", null, null, null))).isEqualTo(ip("203.0.113.9"));
    assertThat(c.of(PROXY, claims(null, " 203.0.113.10 ", null, null))).isEqualTo(ip("203.0.113.10"));
    assertThat(c.of(PROXY, claims(null, null, "for=10.0.0.1, for=\"[2001:db8::1]:4711\";proto=http", null)))
        .isEqualTo(ip("2001:db8::1"));
    assertThat(c.of(PROXY, claims(null, null, "proto=https;For=203.0.113.11", null))).isEqualTo(ip("203.0.113.11"));
  }

  @Test
  void theIpParameterCountsOnlyWhenTrustedAndFromAProxy() {
    assertThat(new ClientAddress(Set.of(PROXY), false).of(PROXY, claims(null, null, null, "203.0.113.5"))).isEqualTo(PROXY);
    assertThat(new ClientAddress(Set.of(PROXY), true).of(PROXY, claims(null, null, null, "203.0.113.5")))
        .isEqualTo(ip("203.0.113.5"));
  }

  @Test
  void nothingButAnIpLiteralIsEverTaken() {
    ClientAddress c = new ClientAddress(Set.of(PROXY), true);
    assertThat(c.of(PROXY, claims("localhost", "example.org", "for=_hidden", "not-an-ip"))).isEqualTo(PROXY);
    assertThat(c.of(PROXY, claims("", "", "", ""))).isEqualTo(PROXY);
    assertThat(c.of(PROXY, claims(",", null, ",", null))).isEqualTo(PROXY);
  }
}
