package io.swarmshare.messages.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HandshakeTest {

  static final HexFormat HEX = HexFormat.of();
  static final InfoHash INFO_HASH = InfoHash.fromHex("0102030405060708090a0b0c0d0e0f1011121314");
  static final PeerId PEER_ID =
      PeerId.of("-SS0100-abcdefghijkl".getBytes(StandardCharsets.US_ASCII));
  static final String EXPECTED =
      "13" + "426974546f7272656e742070726f746f636f6c" // 19, "BitTorrent protocol"
          + "0000000000100001" // reserved: extension protocol and DHT
          + "0102030405060708090a0b0c0d0e0f1011121314"
          + "2d5353303130302d6162636465666768696a6b6c";

  static Handshake example() {
    return new Handshake(HEX.parseHex("0000000000100001"), INFO_HASH, PEER_ID);
  }

  @Test
  void encodesTheSixtyEightBytesOfBep3() {
    ByteBuffer encoded = example().encode();

    assertThat(encoded.remaining()).isEqualTo(Handshake.LENGTH);
    assertThat(HEX.formatHex(encoded.array())).isEqualTo(EXPECTED);
  }

  @Test
  void decodesTheSixtyEightBytesOfBep3() {
    Handshake decoded = Handshake.decode(ByteBuffer.wrap(HEX.parseHex(EXPECTED)));

    assertThat(decoded).isEqualTo(example());
    assertThat(decoded.supportsExtensions()).isTrue();
    assertThat(decoded.supportsDht()).isTrue();
    assertThat(decoded.supportsFastExtension()).isFalse();
  }

  @Test
  void setsReservedBitTwentyForTheExtensionProtocol() {
    Handshake plain = Handshake.of(INFO_HASH, PEER_ID);
    Handshake extended = plain.withExtensionProtocol();

    assertThat(plain.supportsExtensions()).isFalse();
    assertThat(extended.supportsExtensions()).isTrue();
    assertThat(extended.reserved()).containsExactly(0, 0, 0, 0, 0, 0x10, 0, 0);
  }

  @Test
  void keepsUnknownReservedBits() {
    byte[] reserved = HEX.parseHex("8000000000000004");
    Handshake decoded = Handshake.decode(new Handshake(reserved, INFO_HASH, PEER_ID).encode());

    assertThat(decoded.reserved()).isEqualTo(reserved);
    assertThat(decoded.supportsFastExtension()).isTrue();
  }

  @Test
  void consumesOnlyTheHandshakeAndLeavesTheFramesThatFollow() {
    ByteBuffer stream = ByteBuffer.allocate(Handshake.LENGTH + 5)
        .put(example().encode())
        .put(HEX.parseHex("0000000102"))
        .flip();

    Handshake.decode(stream);

    assertThat(stream.position()).isEqualTo(Handshake.LENGTH);
    assertThat(stream.remaining()).isEqualTo(5);
  }

  @Test
  void isImmuneToChangesOfTheReservedArrays() {
    byte[] reserved = new byte[8];
    Handshake handshake = new Handshake(reserved, INFO_HASH, PEER_ID);
    reserved[0] = 1;
    handshake.reserved()[1] = 1;

    assertThat(handshake.reserved()).containsOnly(0);
  }

  @Test
  void rejectsAWrongProtocolLength() {
    ByteBuffer http = ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> Handshake.decode(http))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("19")
        .hasMessageContaining("got 71");
  }

  @Test
  void rejectsAnotherProtocolName() {
    byte[] bytes = HEX.parseHex(EXPECTED);
    bytes[1] = 'b';

    assertThatThrownBy(() -> Handshake.decode(ByteBuffer.wrap(bytes)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("BitTorrent protocol")
        .hasMessageContaining("offset 1");
  }

  @Test
  void rejectsAShortBufferWithoutConsumingIt() {
    ByteBuffer shortBuffer = ByteBuffer.wrap(HEX.parseHex(EXPECTED), 0, 67);

    assertThatThrownBy(() -> Handshake.decode(shortBuffer))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("68 bytes, got only 67");
    assertThat(shortBuffer.position()).isZero();
  }

  @Test
  void rejectsAnEmptyBuffer() {
    assertThatThrownBy(() -> Handshake.decode(ByteBuffer.allocate(0)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("got only 0");
  }

  @Test
  void refusesReservedBytesOfTheWrongLength() {
    assertThatThrownBy(() -> new Handshake(new byte[7], INFO_HASH, PEER_ID))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("8 reserved bytes");
  }
}
