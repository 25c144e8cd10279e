package io.swarmshare.messages.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PeerId;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class HandshakePropertiesTest {

  @Property
  void roundTrips(@ForAll("handshakes") Handshake handshake) {
    assertThat(Handshake.decode(handshake.encode())).isEqualTo(handshake);
  }

  @Property
  void randomBytesAreDecodedOrRejectedCleanly(@ForAll @Size(max = 100) byte[] bytes) {
    assertDecodesOrRejects(bytes);
  }

  @Property
  void mutatedHandshakesAreDecodedOrRejectedCleanly(
      @ForAll("handshakes") Handshake handshake,
      @ForAll @IntRange(max = Handshake.LENGTH - 1) int at,
      @ForAll byte value,
      @ForAll @IntRange(max = Handshake.LENGTH) int keep) {
    byte[] bytes = handshake.encode().array();
    bytes[at] = value;
    assertDecodesOrRejects(Arrays.copyOf(bytes, keep));
  }

  private static void assertDecodesOrRejects(byte[] bytes) {
    Throwable thrown = catchThrowable(() -> Handshake.decode(ByteBuffer.wrap(bytes)));
    if (thrown != null) {
      assertThat(thrown).isInstanceOf(MalformedMessageException.class);
    }
  }

  @Provide
  Arbitrary<Handshake> handshakes() {
    return Combinators
        .combine(bytes(Handshake.RESERVED_LENGTH), bytes(InfoHash.LENGTH), bytes(PeerId.LENGTH))
        .as((reserved, hash, id) -> new Handshake(reserved, InfoHash.of(hash), PeerId.of(id)));
  }

  private static Arbitrary<byte[]> bytes(int length) {
    return Arbitraries.bytes().array(byte[].class).ofSize(length);
  }
}
