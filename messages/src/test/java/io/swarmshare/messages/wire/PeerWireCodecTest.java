package io.swarmshare.messages.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.wire.PeerMessage.BitfieldMessage;
import io.swarmshare.messages.wire.PeerMessage.Cancel;
import io.swarmshare.messages.wire.PeerMessage.Choke;
import io.swarmshare.messages.wire.PeerMessage.Extended;
import io.swarmshare.messages.wire.PeerMessage.Have;
import io.swarmshare.messages.wire.PeerMessage.Interested;
import io.swarmshare.messages.wire.PeerMessage.KeepAlive;
import io.swarmshare.messages.wire.PeerMessage.NotInterested;
import io.swarmshare.messages.wire.PeerMessage.Piece;
import io.swarmshare.messages.wire.PeerMessage.Port;
import io.swarmshare.messages.wire.PeerMessage.Request;
import io.swarmshare.messages.wire.PeerMessage.Unchoke;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PeerWireCodecTest {

  static final HexFormat HEX = HexFormat.of();
  final PeerWireCodec codec = new PeerWireCodec();

  static ByteBuffer bytes(String hex) {
    return ByteBuffer.wrap(HEX.parseHex(hex));
  }

  String encoded(PeerMessage message) {
    ByteBuffer frame = codec.encode(message);
    byte[] out = new byte[frame.remaining()];
    frame.get(out);
    return HEX.formatHex(out);
  }

  /** Decodes a whole frame, length prefix included, as the bytes arrive on the wire. */
  PeerMessage decodedFrame(String hex) {
    ByteBuffer stream = bytes(hex);
    PeerMessage message = codec.decode(codec.nextFrame(stream).orElseThrow());
    assertThat(stream.hasRemaining()).isFalse();
    return message;
  }

  void assertBytes(PeerMessage message, String hex) {
    assertThat(encoded(message)).isEqualTo(hex);
    assertThat(decodedFrame(hex)).isEqualTo(message);
  }

  @Test
  void keepAliveIsAnEmptyFrame() {
    assertBytes(KeepAlive.INSTANCE, "00000000");
  }

  @Test
  void stateMessagesAreAnIdAlone() {
    assertBytes(Choke.INSTANCE, "0000000100");
    assertBytes(Unchoke.INSTANCE, "0000000101");
    assertBytes(Interested.INSTANCE, "0000000102");
    assertBytes(NotInterested.INSTANCE, "0000000103");
  }

  @Test
  void have() {
    assertBytes(new Have(0x01020304), "000000050401020304");
  }

  @Test
  void bitfield() {
    assertBytes(new BitfieldMessage(bytes("ff80")), "0000000305ff80");
  }

  @Test
  void request() {
    assertBytes(new Request(1, 0x4000, 0x4000), "0000000d06000000010000400000004000");
  }

  @Test
  void piece() {
    assertBytes(new Piece(2, 0x8000, bytes("aabbcc")), "0000000c070000000200008000aabbcc");
  }

  @Test
  void cancel() {
    assertBytes(new Cancel(1, 0x4000, 0x4000), "0000000d08000000010000400000004000");
  }

  @Test
  void port() {
    assertBytes(new Port(6881), "00000003091ae1");
  }

  @Test
  void extended() {
    assertBytes(new Extended(0, bytes("6465")), "000000041400" + "6465");
    assertBytes(new Extended(255, bytes("")), "0000000214ff");
  }

  @Test
  void aBlockIsAViewOfTheFrameNotACopy() {
    byte[] frame = HEX.parseHex("070000000200000000aabbcc");
    Piece piece = (Piece) codec.decode(ByteBuffer.wrap(frame));

    frame[9] = 0x11;

    assertThat(piece.block().get(0)).isEqualTo((byte) 0x11);
    assertThat(piece.block().array()).isSameAs(frame);
  }

  @Test
  void anExtendedPayloadIsAViewOfTheFrameNotACopy() {
    byte[] frame = HEX.parseHex("140164");
    Extended extended = (Extended) codec.decode(ByteBuffer.wrap(frame));

    assertThat(extended.payload().array()).isSameAs(frame);
    assertThat(extended.payload().remaining()).isEqualTo(1);
  }

  @Test
  void readingABlockLeavesTheMessageIntact() {
    Piece piece = new Piece(0, 0, bytes("aabb"));

    piece.block().get();

    assertThat(piece.length()).isEqualTo(2);
    assertThat(piece).isEqualTo(new Piece(0, 0, bytes("aabb")));
  }

  @Test
  void messagesWithBytesCompareByContent() {
    ByteBuffer offset = ByteBuffer.wrap(HEX.parseHex("00aabb"), 1, 2);

    assertThat(new Piece(1, 2, offset)).isEqualTo(new Piece(1, 2, bytes("aabb")))
        .hasSameHashCodeAs(new Piece(1, 2, bytes("aabb")));
    assertThat(new Piece(1, 2, bytes("aabb"))).isNotEqualTo(new Piece(1, 2, bytes("aabc")));
    assertThat(new Extended(1, bytes("aa"))).isEqualTo(new Extended(1, bytes("aa")));
    assertThat(new BitfieldMessage(bytes("aa"))).isEqualTo(new BitfieldMessage(bytes("aa")));
  }

  @Test
  void decodingLeavesThePayloadPositionAlone() {
    ByteBuffer payload = bytes("0400000001");

    codec.decode(payload);

    assertThat(payload.position()).isZero();
  }

  @Test
  void leavesTheBlockSizePolicyToThePeer() {
    ByteBuffer payload = ByteBuffer.allocate(9 + 2 * PeerWireCodec.BLOCK_SIZE).put((byte) 7);

    Piece piece = (Piece) codec.decode(payload.rewind());

    assertThat(piece.length()).isEqualTo(2 * PeerWireCodec.BLOCK_SIZE);
    assertThat(codec.decode(bytes("06000000000000000000100000")))
        .isEqualTo(new Request(0, 0, 0x100000));
  }

  @Test
  void aBitfieldMessageBecomesABitfieldOnceThePieceCountIsKnown() {
    Bitfield field = new Bitfield(10);
    field.set(0);
    field.set(9);

    BitfieldMessage message = BitfieldMessage.of(field);

    assertThat(message.toBitfield(10)).isEqualTo(field);
    assertThatThrownBy(() -> message.toBitfield(20)).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void cutsFramesOutOfAStream() {
    ByteBuffer stream = bytes("00000000" + "0000000100" + "000000050400000007" + "000000");

    assertThat(codec.nextFrame(stream).map(codec::decode)).contains(KeepAlive.INSTANCE);
    assertThat(codec.nextFrame(stream).map(codec::decode)).contains(Choke.INSTANCE);
    assertThat(codec.nextFrame(stream).map(codec::decode)).contains(new Have(7));
    assertThat(codec.nextFrame(stream)).isEmpty();
    assertThat(stream.remaining()).isEqualTo(3);
  }

  @Test
  void readsBigEndianWhateverTheBufferOrder() {
    ByteBuffer stream = bytes("000000050400000007").order(ByteOrder.LITTLE_ENDIAN);

    assertThat(codec.nextFrame(stream).map(codec::decode)).contains(new Have(7));
  }

  @Test
  void waitsForTheRestOfAnIncompleteFrame() {
    ByteBuffer stream = bytes("0000000504000000");

    assertThat(codec.nextFrame(stream)).isEmpty();
    assertThat(stream.position()).isZero();
  }

  @Test
  void rejectsAFrameLongerThanTheMaximumBeforeItArrives() {
    PeerWireCodec small = new PeerWireCodec(PeerWireCodec.MIN_MAX_FRAME_LENGTH);
    ByteBuffer justTooLong =
        ByteBuffer.allocate(4).putInt(PeerWireCodec.MIN_MAX_FRAME_LENGTH + 1).flip();

    assertThatThrownBy(() -> small.nextFrame(justTooLong))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("announces 16394 bytes, more than the 16393 allowed");
    assertThatThrownBy(() -> codec.nextFrame(bytes("ffffffff")))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("4294967295");
  }

  @Test
  void acceptsAFrameOfExactlyTheMaximum() {
    PeerWireCodec small = new PeerWireCodec(PeerWireCodec.MIN_MAX_FRAME_LENGTH);
    ByteBuffer stream = ByteBuffer.allocate(4 + PeerWireCodec.MIN_MAX_FRAME_LENGTH)
        .putInt(PeerWireCodec.MIN_MAX_FRAME_LENGTH)
        .put((byte) 7)
        .rewind();

    Piece piece = (Piece) small.decode(small.nextFrame(stream).orElseThrow());

    assertThat(piece.length()).isEqualTo(PeerWireCodec.BLOCK_SIZE);
  }

  @Test
  void rejectsAPayloadLongerThanTheMaximum() {
    PeerWireCodec small = new PeerWireCodec(PeerWireCodec.MIN_MAX_FRAME_LENGTH);

    ByteBuffer payload = ByteBuffer.allocate(PeerWireCodec.MIN_MAX_FRAME_LENGTH + 1);

    assertThatThrownBy(() -> small.decode(payload))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("more than the 16393 allowed");
  }

  @Test
  void refusesAMaximumTooSmallForABlock() {
    assertThatThrownBy(() -> new PeerWireCodec(PeerWireCodec.BLOCK_SIZE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsAnUnknownMessageId() {
    assertRejected("15", "unknown peer message id 21");
    assertRejected("ff00", "unknown peer message id 255");
  }

  @Test
  void rejectsAStateMessageWithAPayload() {
    assertRejected("0000", "choke message: expected 1 bytes");
    assertRejected("0200", "interested message: expected 1 bytes");
  }

  @Test
  void rejectsAHaveOfTheWrongLength() {
    assertRejected("04000001", "have message: expected 5 bytes with its id, got 4");
    assertRejected("040000000100", "have message: expected 5 bytes with its id, got 6");
  }

  @Test
  void rejectsARequestOrCancelOfTheWrongLength() {
    assertRejected("060000000100004000000040", "request message: expected 13 bytes");
    assertRejected("08000000010000400000004000ff", "cancel message: expected 13 bytes");
  }

  @Test
  void rejectsAPieceShorterThanItsHeader() {
    assertRejected("0700000001000000", "piece message: expected at least 9 bytes");
  }

  @Test
  void rejectsAPortOfTheWrongLength() {
    assertRejected("091a", "port message: expected 3 bytes");
  }

  @Test
  void rejectsAnExtendedMessageWithoutItsId() {
    assertRejected("14", "extended message: expected at least 2 bytes");
  }

  @Test
  void rejectsNegativeFieldsReadAsUnsigned() {
    assertRejected("04ffffffff", "piece must be 0..2147483647, got 4294967295");
    assertRejected("06" + "80000000" + "00000000" + "00004000", "piece must be 0..2147483647");
    assertRejected("06" + "00000000" + "80000000" + "00004000", "begin must be 0..2147483647");
    assertRejected("08" + "00000000" + "00000000" + "ffffffff", "length must be 1..2147483647");
    assertRejected("07" + "ffffffff" + "00000000" + "aa", "piece must be 0..2147483647");
    assertRejected("07" + "00000000" + "ffffffff" + "aa", "begin must be 0..2147483647");
  }

  @Test
  void rejectsEmptyRequestsAndCancels() {
    String zeroLength = "00000000" + "00000000" + "00000000";
    assertRejected("06" + zeroLength, "length must be 1..2147483647, got 0");
    assertRejected("08" + zeroLength, "length must be 1..2147483647, got 0");
  }

  @Test
  void rejectsABlockThatEndsPastTheLargestOffset() {
    assertRejected("06" + "00000000" + "7fffc000" + "00008000", "ends past 2147483647");
    assertRejected("07" + "00000000" + "7fffffff" + "aa", "ends past 2147483647");
  }

  @Test
  void refusesToBuildMessagesThatCannotBeSent() {
    assertThatThrownBy(() -> new Port(65536)).isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(() -> new Extended(256, ByteBuffer.allocate(0)))
        .isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(() -> new Have(-1)).isInstanceOf(MalformedMessageException.class);
  }

  void assertRejected(String payloadHex, String message) {
    assertThatThrownBy(() -> codec.decode(bytes(payloadHex)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining(message);
  }
}
