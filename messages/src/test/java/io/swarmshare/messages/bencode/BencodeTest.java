package io.swarmshare.messages.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BencodeTest {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static BValue decode(String s) {
    return BencodeDecoder.decode(ascii(s));
  }

  private static String encode(BValue v) {
    return new String(BencodeEncoder.encode(v), StandardCharsets.ISO_8859_1);
  }

  @Test
  void decodesTheExamplesOfBep3() {
    assertThat(decode("4:spam")).isEqualTo(BString.of("spam"));
    assertThat(decode("i3e")).isEqualTo(new BInteger(3));
    assertThat(decode("i-3e")).isEqualTo(new BInteger(-3));
    assertThat(decode("i0e")).isEqualTo(new BInteger(0));
    assertThat(decode("0:")).isEqualTo(BString.of(""));
    assertThat(decode("l4:spam4:eggse"))
        .isEqualTo(new BList(List.of(BString.of("spam"), BString.of("eggs"))));
    assertThat(decode("d3:cow3:moo4:spam4:eggse"))
        .isEqualTo(BDict.builder().put("cow", "moo").put("spam", "eggs").build());
    assertThat(decode("d4:spaml1:a1:bee"))
        .isEqualTo(BDict.builder()
            .put("spam", new BList(List.of(BString.of("a"), BString.of("b")))).build());
  }

  @Test
  void encodesDictionaryKeysSortedAsRawBytes() {
    Map<BString, BValue> entries = new LinkedHashMap<>();
    entries.put(BString.of(new byte[] {(byte) 0xff}), new BInteger(1));
    entries.put(BString.of("b"), new BInteger(2));
    entries.put(BString.of("a"), new BInteger(3));
    entries.put(BString.of("A"), new BInteger(4));
    // 0xff is above every ASCII letter when bytes are compared unsigned.
    assertThat(encode(new BDict(entries))).isEqualTo("d1:Ai4e1:ai3e1:bi2e1:\u00ffi1ee");
  }

  @Test
  void keepsTheExactSpanOfEveryValue() {
    byte[] input = ascii("d4:infod6:lengthi7ee3:zzzi1ee");
    BDict top = (BDict) BencodeDecoder.decode(input);
    BValue.Span span = top.get("info").orElseThrow().span().orElseThrow();
    assertThat(new String(input, span.start(), span.length(), StandardCharsets.ISO_8859_1))
        .isEqualTo("d6:lengthi7ee");
    assertThat(top.span()).contains(new BValue.Span(0, input.length));
    assertThat(BString.of("x").span()).isEmpty();
  }

  @Test
  void keepsUnsortedKeysReadable() {
    // Real torrents sometimes have them; the info hash uses the original bytes anyway.
    assertThat(decode("d1:bi1e1:ai2ee"))
        .isEqualTo(BDict.builder().put("a", 2).put("b", 1).build());
  }

  @ParameterizedTest(name = "{0} -> offset {1}")
  @CsvSource(delimiter = '|', value = {
      "i03e | 1 | leading zero",
      "i-0e | 1 | -0",
      "i-03e | 2 | leading zero",
      "ie | 1 | expected a digit",
      "i-e | 2 | expected a digit",
      "i12 | 3 | expected 'e'",
      "i1.5e | 2 | expected 'e'",
      "i99999999999999999999e | 1 | does not fit in 64 bits",
      "03:abc | 0 | leading zero",
      "3abc | 1 | expected ':'",
      "5:abc | 0 | runs past the end of input",
      "-1:a | 0 | expected 'i', 'l', 'd' or a digit",
      "l | 1 | found the end of input",
      "d3:fooe | 6 | expected 'i', 'l', 'd' or a digit, found 'e'",
      "di1ei2ee | 1 | expected a string key",
      "d1:ai1e1:ai2ee | 7 | duplicate dictionary key",
      "d1:bi1e1:ai2e1:bi3ee | 13 | duplicate dictionary key \"b\"",
      "i1ei2e | 3 | expected the end of input",
      "x | 0 | expected 'i', 'l', 'd' or a digit",
      "'' | 0 | expected a value, found the end of input",
  })
  void rejectsMalformedInputWithTheOffset(String input, int offset, String message) {
    assertThatThrownBy(() -> decode(input))
        .isInstanceOf(BencodeException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((BencodeException) e).offset()).isEqualTo(offset));
  }

  @Test
  void rejectsAHugeLengthWithoutAllocatingIt() {
    assertThatThrownBy(() -> decode("2147483647:x"))
        .isInstanceOf(BencodeException.class)
        .hasMessageContaining("2147483647 bytes runs past the end");
    assertThatThrownBy(() -> decode("9223372036854775807:x"))
        .isInstanceOf(BencodeException.class)
        .hasMessageContaining("runs past the end");
  }

  @Test
  void rejectsNestingDeeperThanTheLimit() {
    String deep = "l".repeat(101) + "e".repeat(101);
    assertThatThrownBy(() -> decode(deep))
        .isInstanceOf(BencodeException.class)
        .hasMessageContaining("nesting deeper than 100 levels");
    assertThat(decode("l".repeat(100) + "e".repeat(100))).isInstanceOf(BList.class);
    BencodeDecoder shallow = new BencodeDecoder(3, 1000);
    assertThatThrownBy(() -> shallow.decodeAll(ascii("lllleeee")))
        .hasMessageContaining("nesting deeper than 3 levels");
    assertThat(shallow.decodeAll(ascii("llleee"))).isInstanceOf(BList.class);
  }

  @Test
  void rejectsMoreValuesThanTheLimit() {
    BencodeDecoder small = new BencodeDecoder(10, 5);
    assertThat(small.decodeAll(ascii("li1ei2ei3ei4ee"))).isInstanceOf(BList.class);
    assertThatThrownBy(() -> small.decodeAll(ascii("li1ei2ei3ei4ei5ee")))
        .isInstanceOf(BencodeException.class)
        .hasMessageContaining("more than 5 values");
  }

  @Test
  void sortsKeysThatCameOutOfOrderAndKeepsTheSpans() {
    BValue value = decode("li7ed1:bi1e1:ai2eee");
    BDict dict = (BDict) ((BList) value).items().get(1);
    assertThat(dict.entries().keySet()).containsExactly(BString.of("a"), BString.of("b"));
    assertThat(dict.get("b")).contains(new BInteger(1));
    assertThat(dict.span()).contains(new BValue.Span(4, 18));
    assertThat(dict.get("a").flatMap(BValue::span)).contains(new BValue.Span(14, 17));
    assertThat(encode(dict)).isEqualTo("d1:ai2e1:bi1ee");
  }

  @Test
  void tellsTextFromBytes() {
    assertThat(BString.of("héllo").utf8()).contains("héllo");
    assertThat(BString.of(new byte[] {(byte) 0xc3, 0x28}).utf8()).isEmpty();
  }

  @Property
  void decodingAnEncodingGivesTheValueBack(@ForAll("values") BValue value) {
    byte[] encoded = BencodeEncoder.encode(value);
    BValue decoded = BencodeDecoder.decode(encoded);
    assertThat(decoded).isEqualTo(value);
    assertThat(BencodeEncoder.encode(decoded)).isEqualTo(encoded);
    assertThat(decoded.span()).contains(new BValue.Span(0, encoded.length));
  }

  @Provide
  Arbitrary<BValue> values() {
    Arbitrary<BValue> leaves = Arbitraries.oneOf(
        Arbitraries.longs().map(BInteger::new),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(BString::of));
    return Arbitraries.recursive(
        () -> leaves,
        inner -> Arbitraries.oneOf(
            leaves,
            inner.list().ofMaxSize(4).map(BList::new),
            Arbitraries.maps(Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(BString::of), inner)
                .ofMaxSize(4)
                .map(BDict::new)),
        0, 4);
  }

  @Property
  void reEncodingCanonicalInputGivesTheSameBytes(@ForAll("values") BValue value) {
    List<BValue> twice = new ArrayList<>(List.of(value, value));
    byte[] encoded = BencodeEncoder.encode(new BList(twice));
    assertThat(BencodeEncoder.encode(BencodeDecoder.decode(encoded))).isEqualTo(encoded);
  }
}
