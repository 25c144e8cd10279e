package io.swarmshare.messages.tracker.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.tracker.PeerAddresses;
import io.swarmshare.messages.tracker.ScrapeStats;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class UdpTrackerCodecPropertiesTest {

  @Property
  void requestsRoundTrip(@ForAll("requests") UdpTrackerRequest request) {
    ByteBuffer encoded = UdpTrackerCodec.encode(request);

    assertThat(UdpTrackerCodec.decodeRequest(encoded)).isEqualTo(request);
    assertThat(UdpTrackerCodec.transactionIdOf(encoded))
        .isEqualTo(OptionalInt.of(request.transactionId()));
  }

  @Property
  void ipv4ResponsesRoundTrip(@ForAll("ipv4Responses") UdpTrackerResponse response) {
    ByteBuffer encoded = UdpTrackerCodec.encode(response);

    assertThat(UdpTrackerCodec.decodeResponse(encoded, StandardProtocolFamily.INET))
        .isEqualTo(response);
  }

  @Property
  void ipv6ResponsesRoundTrip(@ForAll("ipv6Responses") UdpTrackerResponse response) {
    ByteBuffer encoded = UdpTrackerCodec.encode(response);

    assertThat(UdpTrackerCodec.decodeResponse(encoded, StandardProtocolFamily.INET6))
        .isEqualTo(response);
  }

  @Property
  void randomDatagramsAreDecodedOrRejectedCleanly(@ForAll("datagrams") byte[] datagram) {
    assertOnlyMalformed(datagram);
  }

  @Property
  void mutatedAndTruncatedRequestsAreDecodedOrRejectedCleanly(
      @ForAll("requests") UdpTrackerRequest request,
      @ForAll int at,
      @ForAll byte value,
      @ForAll int cut) {
    assertOnlyMalformed(mutated(UdpTrackerCodec.encode(request), at, value, cut));
  }

  @Property
  void mutatedAndTruncatedResponsesAreDecodedOrRejectedCleanly(
      @ForAll("ipv6Responses") UdpTrackerResponse response,
      @ForAll int at,
      @ForAll byte value,
      @ForAll int cut) {
    assertOnlyMalformed(mutated(UdpTrackerCodec.encode(response), at, value, cut));
  }

  private static byte[] mutated(ByteBuffer encoded, int at, byte value, int cut) {
    byte[] bytes = Arrays.copyOf(encoded.array(), encoded.remaining());
    bytes[Math.floorMod(at, bytes.length)] = value;
    return Arrays.copyOf(bytes, Math.floorMod(cut, bytes.length + 1));
  }

  /** Tries the datagram as a request and as a response of either family. */
  private static void assertOnlyMalformed(byte[] datagram) {
    assertOnlyMalformed(() -> UdpTrackerCodec.decodeRequest(ByteBuffer.wrap(datagram)));
    assertOnlyMalformed(() -> UdpTrackerCodec.transactionIdOf(ByteBuffer.wrap(datagram)));
    for (StandardProtocolFamily family : List.of(
        StandardProtocolFamily.INET, StandardProtocolFamily.INET6)) {
      assertOnlyMalformed(() -> UdpTrackerCodec.decodeResponse(ByteBuffer.wrap(datagram), family));
    }
  }

  private static void assertOnlyMalformed(Runnable decoding) {
    Throwable thrown = catchThrowable(decoding::run);
    if (thrown != null) {
      assertThat(thrown).isInstanceOf(MalformedMessageException.class);
    }
  }

  /** Random bytes behind a header whose action is mostly a known one, to reach every decoder. */
  @Provide
  Arbitrary<byte[]> datagrams() {
    Arbitrary<byte[]> header = Combinators
        .combine(
            Arbitraries.oneOf(
                Arbitraries.just(UdpTrackerCodec.PROTOCOL_ID), Arbitraries.longs()),
            Arbitraries.oneOf(Arbitraries.integers().between(0, 4), Arbitraries.integers()))
        .as((first, action) -> ByteBuffer.allocate(12).putLong(first).putInt(action).array());
    Arbitrary<byte[]> rest = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    return Arbitraries.oneOf(
        rest,
        Combinators.combine(header, rest).as((h, r) -> {
          byte[] datagram = Arrays.copyOf(h, h.length + r.length);
          System.arraycopy(r, 0, datagram, h.length, r.length);
          return datagram;
        }));
  }

  @Provide
  Arbitrary<UdpTrackerRequest> requests() {
    Arbitrary<ConnectRequest> connect = Arbitraries.integers().map(ConnectRequest::new);
    Arbitrary<ScrapeRequest> scrape = Combinators
        .combine(
            Arbitraries.longs(),
            Arbitraries.integers(),
            infoHashes().list().ofMinSize(1).ofMaxSize(UdpTrackerCodec.MAX_SCRAPE_HASHES))
        .as(ScrapeRequest::new);
    return Arbitraries.oneOf(connect, announces(), scrape);
  }

  private static Arbitrary<AnnounceRequest> announces() {
    Arbitrary<Long> count = Arbitraries.longs().greaterOrEqual(0);
    Arbitrary<Tuple.Tuple4<Long, Integer, InfoHash, PeerId>> who = Combinators
        .combine(Arbitraries.longs(), Arbitraries.integers(), infoHashes(), peerIds())
        .as(Tuple::of);
    Arbitrary<Tuple.Tuple4<Long, Long, Long, AnnounceEvent>> progress = Combinators
        .combine(count, count, count, Arbitraries.of(AnnounceEvent.class))
        .as(Tuple::of);
    Arbitrary<Tuple.Tuple4<Optional<Inet4Address>, Integer, Integer, Integer>> rest = Combinators
        .combine(
            Arbitraries.integers().map(UdpTrackerCodecPropertiesTest::ipv4),
            Arbitraries.integers(),
            Arbitraries.integers(),
            Arbitraries.integers().between(0, 0xffff))
        .as(Tuple::of);
    return Combinators.combine(who, progress, rest).as((w, p, r) -> new AnnounceRequest(
        w.get1(), w.get2(), w.get3(), w.get4(),
        p.get1(), p.get2(), p.get3(), p.get4(),
        r.get1(), r.get2(), r.get3(), r.get4()));
  }

  @Provide
  Arbitrary<UdpTrackerResponse> ipv4Responses() {
    return responses(PeerAddresses.ipv4());
  }

  @Provide
  Arbitrary<UdpTrackerResponse> ipv6Responses() {
    return responses(PeerAddresses.ipv6());
  }

  private static Arbitrary<UdpTrackerResponse> responses(Arbitrary<PeerAddress> peers) {
    Arbitrary<Integer> anyInt = Arbitraries.integers();
    Arbitrary<ConnectResponse> connect =
        Combinators.combine(anyInt, Arbitraries.longs()).as(ConnectResponse::new);
    Arbitrary<AnnounceResponse> announce = Combinators
        .combine(anyInt, anyInt, anyInt, anyInt, peers.list().ofMaxSize(50))
        .as(AnnounceResponse::new);
    Arbitrary<ScrapeResponse> scrape = Combinators
        .combine(
            anyInt,
            Combinators.combine(anyInt, anyInt, anyInt).as(ScrapeStats::new)
                .list().ofMaxSize(UdpTrackerCodec.MAX_SCRAPE_HASHES))
        .as(ScrapeResponse::new);
    Arbitrary<String> messages =
        Arbitraries.strings().ofMaxLength(100).filter(UdpTrackerCodecPropertiesTest::isWellFormed);
    Arbitrary<ErrorResponse> error = Combinators.combine(anyInt, messages).as(ErrorResponse::new);
    return Arbitraries.oneOf(connect, announce, scrape, error);
  }

  /** Strings without lone surrogates, the only ones that survive UTF-8. */
  private static boolean isWellFormed(String text) {
    return text.codePoints()
        .noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
  }

  private static Arbitrary<InfoHash> infoHashes() {
    return Arbitraries.bytes().array(byte[].class).ofSize(InfoHash.LENGTH).map(InfoHash::of);
  }

  private static Arbitrary<PeerId> peerIds() {
    return Arbitraries.bytes().array(byte[].class).ofSize(PeerId.LENGTH).map(PeerId::of);
  }

  private static Optional<Inet4Address> ipv4(int ip) {
    try {
      byte[] bytes = ByteBuffer.allocate(4).putInt(ip).array();
      return ip == 0
          ? Optional.empty()
          : Optional.of((Inet4Address) InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
