package io.swarmshare.messages.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.swarmshare.messages.MalformedMessageException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class CompactPeersPropertiesTest {

  @Property
  void ipv4PeersRoundTrip(@ForAll @Size(max = 20) List<@From("ipv4") PeerAddress> peers) {
    byte[] bytes = CompactPeers.encode(peers, StandardProtocolFamily.INET);

    assertThat(bytes).hasSize(6 * peers.size());
    assertThat(CompactPeers.decode(ByteBuffer.wrap(bytes), StandardProtocolFamily.INET))
        .isEqualTo(peers);
  }

  @Property
  void ipv6PeersRoundTrip(@ForAll @Size(max = 20) List<@From("ipv6") PeerAddress> peers) {
    byte[] bytes = CompactPeers.encode(peers, StandardProtocolFamily.INET6);

    assertThat(bytes).hasSize(18 * peers.size());
    assertThat(CompactPeers.decode(ByteBuffer.wrap(bytes), StandardProtocolFamily.INET6))
        .isEqualTo(peers);
  }

  @Property
  void randomBytesAreDecodedOrRejectedCleanly(
      @ForAll @Size(max = 100) byte[] bytes, @ForAll boolean ipv6) {
    StandardProtocolFamily family =
        ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    Throwable thrown = catchThrowable(() -> CompactPeers.decode(ByteBuffer.wrap(bytes), family));
    if (thrown != null) {
      assertThat(thrown).isInstanceOf(MalformedMessageException.class);
    }
  }

  @Provide
  Arbitrary<PeerAddress> ipv4() {
    return PeerAddresses.ipv4();
  }

  @Provide
  Arbitrary<PeerAddress> ipv6() {
    return PeerAddresses.ipv6();
  }
}
