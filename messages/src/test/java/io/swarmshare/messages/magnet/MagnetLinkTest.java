package io.swarmshare.messages.magnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MagnetLinkTest {

  private static final InfoHash HASH = InfoHash.fromHex("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");

  @Test
  void readsTheFieldsOfBep9() {
    MagnetLink link = MagnetLink.parse(
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=My+File%20%C3%A9"
            + "&tr=udp%3A%2F%2Ftracker.example%3A6969%2Fannounce&tr=http://b.example/announce"
            + "&x.pe=10.0.0.1:6881&x.pe=[::1]:51413&xl=1234");
    assertThat(link.infoHash()).isEqualTo(HASH);
    assertThat(link.displayName()).contains("My File é");
    assertThat(link.trackers()).containsExactly("udp://tracker.example:6969/announce", "http://b.example/announce");
    assertThat(link.peers()).containsExactly("10.0.0.1:6881", "[::1]:51413");
  }

  @Test
  void givesItsPeersAsAddressesResolvingNoName() {
    MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + "ab".repeat(20)
        + "&x.pe=127.0.0.1:6881&x.pe=%5B::1%5D:6882&x.pe=peer.example:6883&x.pe=300.1.1.1:6884");
    List<InetSocketAddress> peers = link.peerAddresses();
    assertThat(peers).hasSize(4);
    assertThat(peers.get(0).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(peers.get(0).getPort()).isEqualTo(6881);
    assertThat(peers.get(1).getAddress().isLoopbackAddress()).isTrue();
    assertThat(peers.get(2).isUnresolved()).isTrue();
    assertThat(peers.get(2).getHostString()).isEqualTo("peer.example");
    assertThat(peers.get(3).isUnresolved()).isTrue(); // not an address: left for the dialler, never looked up here
  }

  @Test
  void readsABase32InfoHash() {
    MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + HASH.base32());
    assertThat(link.infoHash()).isEqualTo(HASH);
    assertThat(link.displayName()).isEmpty();
  }

  @Test
  void formatsWithTheHexHash() {
    MagnetLink link = new MagnetLink(HASH, Optional.of("a b&c"), List.of("udp://t:1/announce"), List.of());
    assertThat(link.format()).isEqualTo(
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=a%20b%26c&tr=udp%3A%2F%2Ft%3A1%2Fannounce");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://example.com/",
      "magnet:?dn=nothing",
      "magnet:?xt=urn:btih:1234",
      "magnet:?xt=urn:btih:zz2fe1c06bba254a9dc9f519b335aa7c1367a88a",
      "magnet:?xt=urn:btmh:1220abcd",
      "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&x.pe=nohost",
      "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&x.pe=1.2.3.4:99999",
      "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&x.pe=::1:80",
      "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&x.pe=1.2.3.4:+80",
      "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&x.pe=1.2.3.4:\uff18\uff10",
      "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=%ZZ",
      "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&xt=urn:btih:0000000000000000000000000000000000000000",
      "magnet:?xt",
  })
  void refusesMalformedLinks(String link) {
    assertThatThrownBy(() -> MagnetLink.parse(link)).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void refusesABase32HashWithCharactersThatUpperCaseToSeveral() {
    // Found by DecoderFuzzTest: U+FB03 (the ligature "ffi") upper-cases to "FFI", so the hash grew
    // past its 32 characters and the error message for the '$' read past their end: a
    // StringIndexOutOfBoundsException. 32 ligatures "ff" made a 40-byte "info hash".
    String link = "magnet:?xt=urn:btih:AD7SAJJ5EYTH7AFAYDQPB\uFB03H4737QAA$C&dn=base1234";
    assertThatThrownBy(() -> MagnetLink.parse(link))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("invalid base32 character '\uFB03' at position 21");
    assertThatThrownBy(() -> MagnetLink.parse("magnet:?xt=urn:btih:" + "\uFB00".repeat(32)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("invalid base32 character '\uFB00' at position 0");
  }

  @Test
  void refusesAnAbsurdlyLongLink() {
    String link = "magnet:?xt=urn:btih:" + HASH.hex() + "&dn=" + "a".repeat(MagnetLink.MAX_LENGTH);
    assertThatThrownBy(() -> MagnetLink.parse(link)).hasMessageContaining("longer than");
  }

  @Property
  void formattingThenParsingGivesTheLinkBack(@ForAll("links") MagnetLink link) {
    assertThat(MagnetLink.parse(link.format())).isEqualTo(link);
  }

  @Provide
  Arbitrary<MagnetLink> links() {
    Arbitrary<InfoHash> hashes = Arbitraries.bytes().array(byte[].class).ofSize(20).map(InfoHash::of);
    Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars("éü€").ofMaxLength(20);
    Arbitrary<String> peers = Arbitraries.integers().between(1, 65535).map(p -> "192.0.2.7:" + p);
    return Combinators.combine(
            hashes, text.optional(), text.list().ofMaxSize(3), peers.list().ofMaxSize(2))
        .as(MagnetLink::new);
  }

  @Test
  void quotesWhatItRefusesWithEveryUnprintableCharacterEscaped() {
    assertThatThrownBy(() -> MagnetLink.parse("magnet:?xt=urn:btih:%1B%5B2J%E2%80%AEfake"))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("info hash '\\x1b[2J\\u202efake'")
        .hasMessageNotContaining("\u001b");
  }
}
