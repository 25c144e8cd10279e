package io.swarmshare.peer.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.messages.wire.PeerWireCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class WireDecoderTest {

  static final ActorTestKit kit = ActorTestKit.create();
  static final PeerWireCodec codec = new PeerWireCodec();
  static final Handshake HANDSHAKE = Handshake.of(
      InfoHash.fromHex("0102030405060708090a0b0c0d0e0f1011121314"), PeerId.generate());

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static List<PeerMessage> messages() {
    byte[] block = new byte[PeerWireCodec.BLOCK_SIZE];
    new Random(1).nextBytes(block);
    return List.of(
        PeerMessage.Interested.INSTANCE,
        PeerMessage.KeepAlive.INSTANCE,
        new PeerMessage.Have(7),
        new PeerMessage.Request(1, 16384, 16384),
        new PeerMessage.Piece(1, 16384, ByteBuffer.wrap(block)),
        PeerMessage.Choke.INSTANCE,
        new PeerMessage.Cancel(1, 0, 16384));
  }

  static ByteString wire(Handshake handshake, List<PeerMessage> messages) {
    WireEncoder encoder = new WireEncoder(codec);
    ByteString all = encoder.encode(handshake);
    for (PeerMessage m : messages) {
      all = all.concat(encoder.encode(m));
    }
    return all;
  }

  static List<ByteString> chunks(ByteString bytes, Random random, int maxChunk) {
    List<ByteString> chunks = new ArrayList<>();
    int at = 0;
    while (at < bytes.size()) {
      int n = Math.min(bytes.size() - at, 1 + random.nextInt(maxChunk));
      chunks.add(bytes.slice(at, at + n));
      at += n;
    }
    return chunks;
  }

  static List<Inbound> decode(Source<ByteString, ?> source) throws Exception {
    return source.via(new WireDecoder(codec)).runWith(Sink.seq(), kit.system()).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  static Throwable failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the stream did not fail");
  }

  /** A loop rather than a jqwik property: the actor system belongs to JUnit's lifecycle. */
  @Test
  void readsTheHandshakeAndEveryMessageHoweverTheBytesAreCut() throws Exception {
    List<Inbound> expected = new ArrayList<>();
    expected.add(new Inbound.Greeting(HANDSHAKE));
    messages().forEach(m -> expected.add(new Inbound.Message(m)));
    for (int seed = 0; seed < 200; seed++) {
      List<ByteString> chunks = chunks(wire(HANDSHAKE, messages()), new Random(seed), seed % 2 == 0 ? 7 : 3000);
      assertThat(decode(Source.from(chunks))).as("seed %d", seed).isEqualTo(expected);
    }
  }

  @Test
  void refusesANonBitTorrentConnectionAtItsFirstByte() {
    CompletionStage<?> done = Source.single(ByteString.fromString("GET / HTTP/1.1"))
        .concat(Source.maybe())
        .via(new WireDecoder(codec))
        .runWith(Sink.ignore(), kit.system());
    assertThat(failure(done)).isInstanceOf(MalformedMessageException.class).hasMessageContaining("byte 19");
  }

  @Test
  void refusesAFrameLongerThanTheMaximumAtItsLengthPrefix() {
    ByteString hugeFrame = ByteString.fromArray(new byte[] {(byte) 0x80, 0, 0, 0});
    CompletionStage<?> done = Source.single(wire(HANDSHAKE, List.of()).concat(hugeFrame))
        .concat(Source.maybe())
        .via(new WireDecoder(codec))
        .runWith(Sink.ignore(), kit.system());
    assertThat(failure(done)).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("a frame announces 2147483648 bytes");
  }

  @Test
  void failsWhenTheConnectionClosesInTheMiddleOfAMessage() {
    ByteString cut = wire(HANDSHAKE, messages());
    CompletionStage<?> done = Source.single(cut.take(cut.size() - 3)).via(new WireDecoder(codec))
        .runWith(Sink.ignore(), kit.system());
    assertThat(failure(done)).hasMessageContaining("closed in the middle of a message");
    CompletionStage<?> early = Source.single(cut.take(30)).via(new WireDecoder(codec))
        .runWith(Sink.ignore(), kit.system());
    assertThat(failure(early)).hasMessageContaining("closed in the middle of a handshake");
  }

  @Test
  void completesWhenTheConnectionClosesBetweenMessages() throws Exception {
    assertThat(decode(Source.single(wire(HANDSHAKE, List.of(new PeerMessage.Have(1)))))).hasSize(2);
    assertThat(decode(Source.empty())).isEmpty();
  }

  @Test
  void refusesAnUnknownMessage() {
    ByteString unknown = ByteString.fromArray(new byte[] {0, 0, 0, 1, 99});
    CompletionStage<?> done = Source.single(wire(HANDSHAKE, List.of()).concat(unknown))
        .via(new WireDecoder(codec)).runWith(Sink.ignore(), kit.system());
    assertThatThrownBy(() -> done.toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(MalformedMessageException.class);
  }
}
