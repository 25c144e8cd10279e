package io.swarmshare.messages;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.swarmshare.messages.bencode.BencodeDecoder;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.MetainfoParser;
import io.swarmshare.messages.tracker.http.HttpTrackerCodec;
import io.swarmshare.messages.tracker.udp.UdpTrackerCodec;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerWireCodec;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Coverage-guided fuzzing of every decoder with Jazzer (libFuzzer on the JVM): the same contract
 * as {@link DecoderFuzzTest}, bad input is refused with {@link MalformedMessageException} and
 * nothing else, but inputs are bred from the branches they reach. Any other throwable is a
 * finding; Jazzer saves its input, and once moved into this class's {@code Inputs} resources it
 * is replayed on every build.
 *
 * <p>In a plain {@code mvn verify} (regression mode) each test replays its committed seeds under
 * {@code src/test/resources/io/swarmshare/messages/CoverageGuidedFuzzTestInputs/}, in well under a
 * second. {@code bench/fuzz.sh DURATION} fuzzes each test for DURATION ({@code JAZZER_FUZZ=1}).
 */
class CoverageGuidedFuzzTest {

  private static final PeerWireCodec WIRE = new PeerWireCodec();

  @FuzzTest
  void bencode(byte[] input) {
    refusedOrDecoded(() -> BencodeDecoder.decode(input));
  }

  @FuzzTest
  void metainfo(byte[] input) {
    refusedOrDecoded(() -> MetainfoParser.parse(input));
  }

  /** A handshake, then the rest of the input as a stream of frames, each decoded. */
  @FuzzTest
  void peerWire(byte[] input) {
    ByteBuffer stream = ByteBuffer.wrap(input);
    if (input.length >= Handshake.LENGTH) {
      refusedOrDecoded(() -> Handshake.decode(stream));
      stream.position(Handshake.LENGTH);
    }
    while (true) {
      Optional<ByteBuffer> frame = refusedOrDecoded(() -> WIRE.nextFrame(stream));
      if (frame == null || frame.isEmpty()) {
        return;
      }
      refusedOrDecoded(() -> WIRE.decode(frame.get()));
    }
  }

  /** BEP 15: the input as a request, as a response over IPv4 and over IPv6. */
  @FuzzTest
  void udpTracker(byte[] input) {
    UdpTrackerCodec.transactionIdOf(ByteBuffer.wrap(input));
    refusedOrDecoded(() -> UdpTrackerCodec.decodeRequest(ByteBuffer.wrap(input)));
    refusedOrDecoded(() -> UdpTrackerCodec.decodeResponse(ByteBuffer.wrap(input), StandardProtocolFamily.INET));
    refusedOrDecoded(() -> UdpTrackerCodec.decodeResponse(ByteBuffer.wrap(input), StandardProtocolFamily.INET6));
  }

  /** The input as announce and scrape queries (text) and as announce and scrape replies (bencode). */
  @FuzzTest
  void httpTracker(byte[] input) {
    String query = new String(input, StandardCharsets.UTF_8);
    refusedOrDecoded(() -> HttpTrackerCodec.parseAnnounce(query));
    refusedOrDecoded(() -> HttpTrackerCodec.parseScrape(query));
    refusedOrDecoded(() -> HttpTrackerCodec.decodeAnnounce(input));
    refusedOrDecoded(() -> HttpTrackerCodec.decodeScrape(input));
  }

  @FuzzTest
  void magnet(byte[] input) {
    refusedOrDecoded(() -> MagnetLink.parse(new String(input, StandardCharsets.UTF_8)));
  }

  /** The decoder's result, or null if it refused the input as it should. */
  private static <T> T refusedOrDecoded(Supplier<T> decoder) {
    try {
      return decoder.get();
    } catch (MalformedMessageException refused) {
      return null;
    }
  }
}
