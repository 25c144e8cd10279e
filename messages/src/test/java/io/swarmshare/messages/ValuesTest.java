package io.swarmshare.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ValuesTest {

  private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";

  @Test
  void readsAndWritesAnInfoHashInEveryForm() {
    InfoHash hash = InfoHash.fromHex(HEX);
    assertThat(hash.hex()).isEqualTo(HEX);
    assertThat(InfoHash.fromHex(HEX.toUpperCase())).isEqualTo(hash);
    assertThat(hash.base32()).hasSize(32);
    assertThat(InfoHash.fromBase32(hash.base32())).isEqualTo(hash);
    assertThat(InfoHash.fromBase32(hash.base32().toLowerCase())).isEqualTo(hash);
    assertThat(hash.urlEncoded()).isEqualTo("%C1%2F%E1%C0k%BA%25J%9D%C9%F5%19%B35%AA%7C%13g%A8%8A");
    assertThat(InfoHash.of(PercentEncoding.decode(hash.urlEncoded()))).isEqualTo(hash);
  }

  @Test
  void refusesMalformedInfoHashes() {
    assertThatThrownBy(() -> InfoHash.fromHex("abc")).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("40 hex digits, got 3");
    assertThatThrownBy(() -> InfoHash.fromHex("z".repeat(40))).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("hexadecimal");
    assertThatThrownBy(() -> InfoHash.fromBase32("1".repeat(32))).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("invalid base32 character '1'");
    assertThatThrownBy(() -> InfoHash.of(new byte[19])).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void encodesBase32AsRfc4648() {
    // RFC 4648 section 10 test vectors, without padding.
    assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
    assertThat(Base32.encode("fooba".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTB");
    assertThat(Base32.encode("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
  }

  @Test
  void generatesPeerIdsWithOurClientPrefix() {
    PeerId id = PeerId.generate();
    assertThat(new String(id.bytes(), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("-SS0100-");
    assertThat(PeerId.generate()).isNotEqualTo(id);
    assertThat(PeerId.fromHex(id.hex())).isEqualTo(id);
    assertThat(PeerId.of(PercentEncoding.decode(id.urlEncoded()))).isEqualTo(id);
  }

  @Test
  void decodesPercentEscapesAsBytes() {
    assertThat(PercentEncoding.decode("%00%ff+a")).containsExactly(0, 0xff, ' ', 'a');
    assertThatThrownBy(() -> PercentEncoding.decode("%4")).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("truncated percent escape at position 0");
    assertThatThrownBy(() -> PercentEncoding.decode("ab%zz")).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("invalid percent escape at position 2");
    assertThatThrownBy(() -> PercentEncoding.decode("%\u0661\u0661")).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("invalid percent escape");
  }

  @Property
  void percentEncodingRoundTrips(@ForAll byte[] bytes) {
    assertThat(PercentEncoding.decode(PercentEncoding.encode(bytes))).isEqualTo(bytes);
  }

  @Property
  void base32RoundTrips(@ForAll @Size(value = 20) byte[] bytes) {
    assertThat(Base32.decode(Base32.encode(bytes))).isEqualTo(bytes);
    assertThat(InfoHash.fromBase32(InfoHash.of(bytes).base32())).isEqualTo(InfoHash.of(bytes));
  }

  @Test
  void keepsABitfieldInWireOrder() {
    Bitfield field = new Bitfield(10);
    field.set(0);
    field.set(9);
    assertThat(field.toBytes()).containsExactly(0x80, 0x40);
    assertThat(field.cardinality()).isEqualTo(2);
    assertThat(field.nextSet(1)).isEqualTo(9);
    assertThat(field.nextClear(0)).isEqualTo(1);
    field.clear(0);
    assertThat(field.get(0)).isFalse();
    assertThat(Bitfield.full(10).isComplete()).isTrue();
    assertThat(Bitfield.full(10).toBytes()).containsExactly(0xff, 0xc0);
  }

  @Test
  void refusesABitfieldWithTheWrongLengthOrSpareBitsSet() {
    assertThatThrownBy(() -> Bitfield.fromBytes(new byte[3], 10))
        .isInstanceOf(MalformedMessageException.class).hasMessageContaining("is 2 bytes, got 3");
    assertThatThrownBy(() -> Bitfield.fromBytes(new byte[] {0, 0x20}, 10))
        .isInstanceOf(MalformedMessageException.class).hasMessageContaining("spare bits");
    assertThat(Bitfield.fromBytes(new byte[] {0, 0x40}, 10).get(9)).isTrue();
  }

  @Property
  void bitfieldBytesRoundTrip(@ForAll @Size(max = 64) boolean[] bits) {
    Bitfield field = new Bitfield(bits.length);
    for (int i = 0; i < bits.length; i++) {
      if (bits[i]) {
        field.set(i);
      }
    }
    Bitfield back = Bitfield.fromBytes(field.toBytes(), bits.length);
    assertThat(back).isEqualTo(field);
    assertThat(back.cardinality()).isEqualTo(field.cardinality());
  }
}
