package io.swarmshare.messages.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class PeerWireCodecPropertiesTest {

  final PeerWireCodec codec = new PeerWireCodec(PeerWireCodec.MIN_MAX_FRAME_LENGTH);

  @Property
  void everyMessageRoundTrips(@ForAll("messages") PeerMessage message) {
    ByteBuffer stream = codec.encode(message);

    PeerMessage decoded = codec.decode(codec.nextFrame(stream).orElseThrow());

    assertThat(decoded).isEqualTo(message);
    assertThat(stream.hasRemaining()).isFalse();
  }

  @Property(tries = 200)
  void aStreamOfFramesIsCutIntoTheMessagesItCarries(
      @ForAll @Size(max = 10) List<@From("messages") PeerMessage> messages) {
    ByteBuffer stream = concatenate(messages);

    List<PeerMessage> decoded = new ArrayList<>();
    for (Optional<ByteBuffer> frame = codec.nextFrame(stream);
        frame.isPresent();
        frame = codec.nextFrame(stream)) {
      decoded.add(codec.decode(frame.get()));
    }

    assertThat(decoded).isEqualTo(messages);
    assertThat(stream.hasRemaining()).isFalse();
  }

  @Property
  void randomPayloadsAreDecodedOrRejectedCleanly(@ForAll("payloads") byte[] payload) {
    assertOnlyMalformed(() -> codec.decode(ByteBuffer.wrap(payload)));
  }

  @Property
  void randomStreamsAreDecodedOrRejectedCleanly(@ForAll @Size(max = 64) byte[] stream) {
    assertOnlyMalformed(() -> drain(ByteBuffer.wrap(stream)));
  }

  @Property
  void mutatedAndTruncatedFramesAreDecodedOrRejectedCleanly(
      @ForAll @Size(min = 1, max = 4) List<@From("messages") PeerMessage> messages,
      @ForAll int at,
      @ForAll byte value,
      @ForAll int cut) {
    byte[] bytes = concatenate(messages).array();
    bytes[Math.floorMod(at, bytes.length)] = value;
    byte[] truncated = Arrays.copyOf(bytes, Math.floorMod(cut, bytes.length + 1));

    assertOnlyMalformed(() -> drain(ByteBuffer.wrap(truncated)));
  }

  private void drain(ByteBuffer stream) {
    for (Optional<ByteBuffer> frame = codec.nextFrame(stream);
        frame.isPresent();
        frame = codec.nextFrame(stream)) {
      codec.decode(frame.get());
    }
  }

  private ByteBuffer concatenate(List<PeerMessage> messages) {
    List<ByteBuffer> frames = messages.stream().map(codec::encode).toList();
    ByteBuffer stream =
        ByteBuffer.allocate(frames.stream().mapToInt(ByteBuffer::remaining).sum());
    frames.forEach(stream::put);
    return stream.flip();
  }

  private static void assertOnlyMalformed(Runnable decoding) {
    Throwable thrown = catchThrowable(decoding::run);
    if (thrown != null) {
      assertThat(thrown).isInstanceOf(MalformedMessageException.class);
    }
  }

  /** Mostly known ids, so that random fields reach each message's checks. */
  @Provide
  Arbitrary<byte[]> payloads() {
    Arbitrary<Byte> id = Arbitraries.oneOf(
        Arbitraries.bytes().between((byte) 0, (byte) 21), Arbitraries.bytes());
    return Combinators.combine(id, Arbitraries.bytes().array(byte[].class).ofMaxSize(20))
        .as((first, rest) -> {
          byte[] payload = new byte[rest.length + 1];
          payload[0] = first;
          System.arraycopy(rest, 0, payload, 1, rest.length);
          return payload;
        });
  }

  @Provide
  Arbitrary<PeerMessage> messages() {
    Arbitrary<Integer> index = Arbitraries.integers().greaterOrEqual(0);
    Arbitrary<Integer> begin = Arbitraries.integers().between(0, Integer.MAX_VALUE - 1);
    Arbitrary<Integer> length = Arbitraries.integers().greaterOrEqual(1);
    return Arbitraries.oneOf(
        Arbitraries.of(
            KeepAlive.INSTANCE,
            Choke.INSTANCE,
            Unchoke.INSTANCE,
            Interested.INSTANCE,
            NotInterested.INSTANCE),
        index.map(Have::new),
        buffers(64).map(BitfieldMessage::new),
        Combinators.combine(index, begin, length)
            .as((p, b, l) -> new Request(p, b, Math.min(l, Integer.MAX_VALUE - b))),
        Combinators.combine(index, begin, buffers(256))
            .as((p, b, block) ->
                new Piece(p, Math.min(b, Integer.MAX_VALUE - block.remaining()), block)),
        Combinators.combine(index, begin, length)
            .as((p, b, l) -> new Cancel(p, b, Math.min(l, Integer.MAX_VALUE - b))),
        Arbitraries.integers().between(0, 0xffff).map(Port::new),
        Combinators.combine(Arbitraries.integers().between(0, 0xff), buffers(64))
            .as(Extended::new));
  }

  /** Bytes in the middle of a larger array, as a block sits in the frame it arrived in. */
  private static Arbitrary<ByteBuffer> buffers(int maxLength) {
    return Combinators.combine(
            Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength),
            Arbitraries.integers().between(0, 3))
        .as((bytes, margin) -> {
          byte[] larger = new byte[bytes.length + 2 * margin];
          Arrays.fill(larger, (byte) 0x5a);
          System.arraycopy(bytes, 0, larger, margin, bytes.length);
          return ByteBuffer.wrap(larger, margin, bytes.length);
        });
  }
}
