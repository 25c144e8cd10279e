package io.swarmshare.messages.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** BEP 10's extension handshake and BEP 9's ut_metadata messages, as clients send them. */
class ExtensionMessagesTest {

  static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  static String text(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  @Test
  void aHandshakeAsLibtorrentSendsItIsRead() {
    // libtorrent 2.0's keys, trimmed: unknown ones (yourip, complete_ago) are ignored.
    ExtensionHandshake h = ExtensionHandshake.decode(bytes("d12:complete_agoi-1e1:md11:lt_donthavei7e"
        + "10:share_modei8e11:upload_onlyi3e12:ut_holepunchi4e11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei31235e"
        + "1:pi6881e4:reqqi500e1:v18:libtorrent/2.0.8.06:yourip4:\u007f\u0000\u0000\u0001e"));
    assertThat(h.idOf(ExtensionHandshake.UT_METADATA)).hasValue(2);
    assertThat(h.idOf("ut_pex")).hasValue(1);
    assertThat(h.metadataSize()).hasValue(31235);
    assertThat(h.port()).hasValue(6881);
    assertThat(h.requestQueue()).hasValue(500);
    assertThat(h.client()).hasValue("libtorrent/2.0.8.0");
  }

  @Test
  void anIdOfZeroTurnsAnExtensionOffAndOursRoundTrips() {
    ExtensionHandshake ours = new ExtensionHandshake(Map.of(ExtensionHandshake.UT_METADATA, 1, "ut_pex", 0),
        OptionalLong.of(1234), Optional.of("swarmshare"), OptionalInt.of(51413), OptionalInt.empty());
    assertThat(text(ours.encode()))
        .isEqualTo("d1:md11:ut_metadatai1e6:ut_pexi0ee13:metadata_sizei1234e1:pi51413e1:v10:swarmsharee");
    ExtensionHandshake back = ExtensionHandshake.decode(ours.encode());
    assertThat(back).isEqualTo(ours);
    assertThat(back.idOf("ut_pex")).isEmpty();
  }

  @Test
  void aHandshakeThatIsNotADictionaryOrSaysANonPositiveSizeIsRefused() {
    assertThatThrownBy(() -> ExtensionHandshake.decode(bytes("li1ee")))
        .isInstanceOf(MalformedMessageException.class).hasMessage("an extension handshake: a list, not a dictionary");
    assertThatThrownBy(() -> ExtensionHandshake.decode(bytes("d1:mi1ee")))
        .hasMessage("an extension handshake: 'm' is an integer, not a dictionary");
    assertThatThrownBy(() -> ExtensionHandshake.decode(bytes("d13:metadata_sizei0ee")))
        .hasMessage("an extension handshake: metadata_size 0 is not positive");
    assertThatThrownBy(() -> ExtensionHandshake.decode(bytes("d1:m")))
        .isInstanceOf(MalformedMessageException.class).hasMessageStartingWith("an extension handshake: not bencoded");
  }

  @Test
  void metadataMessagesRoundTripAndDataCarriesItsPieceAfterTheDictionary() {
    assertThat(text(MetadataCodec.encode(new MetadataMessage.Request(3)))).isEqualTo("d8:msg_typei0e5:piecei3ee");
    assertThat(text(MetadataCodec.encode(new MetadataMessage.Reject(1)))).isEqualTo("d8:msg_typei2e5:piecei1ee");
    ByteBuffer data = MetadataCodec.encode(new MetadataMessage.Data(0, 5, bytes("abcde")));
    assertThat(text(data.duplicate())).isEqualTo("d8:msg_typei1e5:piecei0e10:total_sizei5eeabcde");

    MetadataMessage.Data back = (MetadataMessage.Data) MetadataCodec.decode(data);
    assertThat(back.piece()).isZero();
    assertThat(back.totalSize()).isEqualTo(5);
    assertThat(text(back.bytes())).isEqualTo("abcde");
    assertThat(MetadataCodec.decode(bytes("d8:msg_typei0e5:piecei3ee"))).isEqualTo(new MetadataMessage.Request(3));
  }

  @Test
  void aMetadataMessageThatCannotBeWhatItSaysIsRefused() {
    assertThatThrownBy(() -> MetadataCodec.decode(bytes("d8:msg_typei9e5:piecei0ee")))
        .isInstanceOf(MalformedMessageException.class).hasMessage("a ut_metadata message: unknown msg_type 9");
    assertThatThrownBy(() -> MetadataCodec.decode(bytes("d8:msg_typei0ee")))
        .hasMessage("a ut_metadata message: no 'piece'");
    assertThatThrownBy(() -> MetadataCodec.decode(bytes("d8:msg_typei0e5:piecei-1ee")))
        .hasMessage("a ut_metadata message: piece -1 is out of range");
    assertThatThrownBy(() -> MetadataCodec.decode(bytes("d8:msg_typei0e5:piecei0eexyz")))
        .hasMessage("a ut_metadata message: 3 bytes after a message that carries none");
    assertThatThrownBy(() -> MetadataCodec.decode(bytes("d8:msg_typei1e5:piecei0e10:total_sizei0ee")))
        .hasMessage("a ut_metadata message: total_size 0 is not positive");
    assertThatThrownBy(() -> MetadataCodec.decode(
        ByteBuffer.wrap(("d8:msg_typei1e5:piecei0e10:total_sizei99999ee" + "x".repeat(16385)).getBytes())))
        .hasMessage("a ut_metadata message: a piece of 16385 bytes, more than 16384");
    assertThatThrownBy(() -> MetadataCodec.decode(bytes("i5e")))
        .hasMessage("a ut_metadata message: an integer, not a dictionary");
  }
}
