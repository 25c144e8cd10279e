package io.swarmshare.messages.tracker;

import static java.net.StandardProtocolFamily.INET;
import static java.net.StandardProtocolFamily.INET6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.MalformedMessageException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactPeersTest {

  static final HexFormat HEX = HexFormat.of();

  static PeerAddress peer(String literal, int port) throws Exception {
    return new PeerAddress(InetAddress.getByName(literal), port);
  }

  @Test
  void encodesIpv4PeersInSixBytesEach() throws Exception {
    List<PeerAddress> peers = List.of(peer("1.2.3.4", 6881), peer("10.0.0.255", 65535));
    String expected = "010203041ae1" + "0a0000ffffff";

    assertThat(HEX.formatHex(CompactPeers.encode(peers, INET))).isEqualTo(expected);
    assertThat(CompactPeers.decode(ByteBuffer.wrap(HEX.parseHex(expected)), INET))
        .containsExactlyElementsOf(peers);
  }

  @Test
  void encodesIpv6PeersInEighteenBytesEach() throws Exception {
    List<PeerAddress> peers = List.of(peer("2001:db8::1", 6881));
    String expected = "20010db8000000000000000000000001" + "1ae1";

    assertThat(HEX.formatHex(CompactPeers.encode(peers, INET6))).isEqualTo(expected);
    assertThat(CompactPeers.decode(ByteBuffer.wrap(HEX.parseHex(expected)), INET6))
        .containsExactlyElementsOf(peers);
  }

  @Test
  void keepsIpv4MappedAddressesInAnIpv6ListAsIpv6() {
    ByteBuffer mapped = ByteBuffer.wrap(HEX.parseHex("00000000000000000000ffff01020304" + "1ae1"));

    PeerAddress peer = CompactPeers.decode(mapped, INET6).get(0);

    assertThat(peer.address()).isInstanceOf(Inet6Address.class);
    assertThat(CompactPeers.encode(List.of(peer), INET6)).isEqualTo(mapped.array());
  }

  @Test
  void decodesAnEmptyList() {
    assertThat(CompactPeers.decode(ByteBuffer.allocate(0), INET)).isEmpty();
    assertThat(CompactPeers.decode(ByteBuffer.allocate(0), INET6)).isEmpty();
  }

  @Test
  void readsFromThePositionAndLeavesItAlone() throws Exception {
    ByteBuffer buffer = ByteBuffer.wrap(HEX.parseHex("ff" + "010203041ae1"));
    buffer.position(1);

    assertThat(CompactPeers.decode(buffer, INET)).containsExactly(peer("1.2.3.4", 6881));
    assertThat(buffer.position()).isEqualTo(1);
  }

  @Test
  void rejectsIpv4PeersThatAreNotAMultipleOfSixBytes() {
    assertThatThrownBy(() -> CompactPeers.decode(ByteBuffer.allocate(7), INET))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("6 bytes each, got 7 bytes");
  }

  @Test
  void rejectsIpv6PeersThatAreNotAMultipleOfEighteenBytes() {
    assertThatThrownBy(() -> CompactPeers.decode(ByteBuffer.allocate(12), INET6))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("18 bytes each, got 12 bytes");
  }

  @Test
  void refusesToEncodeAPeerOfTheOtherFamily() {
    assertThatThrownBy(() -> CompactPeers.encode(List.of(peer("::1", 1)), INET))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CompactPeers.encode(List.of(peer("1.2.3.4", 1)), INET6))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
