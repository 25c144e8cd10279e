package io.swarmshare.messages.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.MalformedMessageException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class PeerAddressTest {

  static PeerAddress peer(String literal, int port) throws UnknownHostException {
    return new PeerAddress(InetAddress.getByName(literal), port);
  }

  @Test
  void printsIpv4AsAddressColonPort() throws Exception {
    assertThat(peer("1.2.3.4", 6881)).hasToString("1.2.3.4:6881");
  }

  @Test
  void printsIpv6InBracketsShortenedAsInRfc5952() throws Exception {
    assertThat(peer("::1", 6881)).hasToString("[::1]:6881");
    assertThat(peer("::", 0)).hasToString("[::]:0");
    assertThat(peer("2001:db8:0:0:0:0:0:1", 80)).hasToString("[2001:db8::1]:80");
    assertThat(peer("2001:db8:0:0:1:0:0:0", 80)).hasToString("[2001:db8:0:0:1::]:80");
    assertThat(peer("2001:db8:0:1:0:0:0:1", 80)).hasToString("[2001:db8:0:1::1]:80");
    assertThat(peer("2001:db8:0:1:1:1:1:1", 80)).hasToString("[2001:db8:0:1:1:1:1:1]:80");
    assertThat(peer("fe80:0:0:1:0:0:2:3", 80)).hasToString("[fe80::1:0:0:2:3]:80");
  }

  @Test
  void knowsItsFamily() throws Exception {
    assertThat(peer("1.2.3.4", 1).family()).isEqualTo(StandardProtocolFamily.INET);
    assertThat(peer("::1", 1).family()).isEqualTo(StandardProtocolFamily.INET6);
  }

  @Test
  void becomesASocketAddress() throws Exception {
    assertThat(peer("1.2.3.4", 6881).toSocketAddress())
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("1.2.3.4"), 6881));
  }

  @Test
  void refusesAPortOutOfRange() {
    assertThatThrownBy(() -> peer("1.2.3.4", 65536))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("65536");
    assertThatThrownBy(() -> peer("1.2.3.4", -1)).isInstanceOf(MalformedMessageException.class);
  }
}
