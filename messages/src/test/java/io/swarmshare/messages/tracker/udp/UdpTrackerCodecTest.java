package io.swarmshare.messages.tracker.udp;

import static java.net.StandardProtocolFamily.INET;
import static java.net.StandardProtocolFamily.INET6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.tracker.ScrapeStats;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class UdpTrackerCodecTest {

  static final HexFormat HEX = HexFormat.of();
  static final InfoHash INFO_HASH = InfoHash.fromHex("0102030405060708090a0b0c0d0e0f1011121314");
  static final PeerId PEER_ID =
      PeerId.of("-SS0100-abcdefghijkl".getBytes(StandardCharsets.US_ASCII));
  static final String CONNECTION_ID = "1122334455667788";
  static final String TRANSACTION_ID = "cafebabe";

  static String hex(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return HEX.formatHex(bytes);
  }

  static ByteBuffer bytes(String hex) {
    return ByteBuffer.wrap(HEX.parseHex(hex));
  }

  static AnnounceRequest announce(AnnounceEvent event, Optional<Inet4Address> ip) {
    return new AnnounceRequest(
        0x1122334455667788L, 0xcafebabe, INFO_HASH, PEER_ID,
        1000, 0x0102030405L, 77, event, ip, 0x0badf00d, -1, 6881);
  }

  static PeerAddress peer(String literal, int port) throws Exception {
    return new PeerAddress(InetAddress.getByName(literal), port);
  }

  @Test
  void connectRequestIsTheMagicThenActionZero() {
    ByteBuffer encoded = UdpTrackerCodec.encode(new ConnectRequest(0xcafebabe));

    assertThat(hex(encoded)).isEqualTo("0000041727101980" + "00000000" + TRANSACTION_ID);
    assertThat(UdpTrackerCodec.decodeRequest(encoded)).isEqualTo(new ConnectRequest(0xcafebabe));
  }

  @Test
  void connectResponseCarriesTheConnectionId() {
    String expected = "00000000" + TRANSACTION_ID + CONNECTION_ID;
    ConnectResponse response = new ConnectResponse(0xcafebabe, 0x1122334455667788L);

    assertThat(hex(UdpTrackerCodec.encode(response))).isEqualTo(expected);
    assertThat(UdpTrackerCodec.decodeResponse(bytes(expected), INET)).isEqualTo(response);
  }

  @Test
  void announceRequestHasItsFieldsAtTheOffsetsOfBep15() throws Exception {
    Inet4Address ip = (Inet4Address) InetAddress.getByName("10.1.2.3");
    ByteBuffer encoded = UdpTrackerCodec.encode(announce(AnnounceEvent.STARTED, Optional.of(ip)));

    assertThat(encoded.remaining()).isEqualTo(98);
    assertThat(encoded.getLong(0)).isEqualTo(0x1122334455667788L);
    assertThat(encoded.getInt(8)).isEqualTo(1);
    assertThat(encoded.getInt(12)).isEqualTo(0xcafebabe);
    assertThat(hex(encoded.slice(16, 20))).isEqualTo(INFO_HASH.hex());
    assertThat(hex(encoded.slice(36, 20))).isEqualTo(PEER_ID.hex());
    assertThat(encoded.getLong(56)).isEqualTo(1000);
    assertThat(encoded.getLong(64)).isEqualTo(0x0102030405L);
    assertThat(encoded.getLong(72)).isEqualTo(77);
    assertThat(encoded.getInt(80)).isEqualTo(2);
    assertThat(hex(encoded.slice(84, 4))).isEqualTo("0a010203");
    assertThat(encoded.getInt(88)).isEqualTo(0x0badf00d);
    assertThat(encoded.getInt(92)).isEqualTo(-1);
    assertThat(encoded.getShort(96) & 0xffff).isEqualTo(6881);
  }

  @Test
  void announceRequestDecodesFromItsBytes() {
    String bytes = CONNECTION_ID + "00000001" + TRANSACTION_ID
        + INFO_HASH.hex() + PEER_ID.hex()
        + "00000000000003e8" + "0000000102030405" + "000000000000004d"
        + "00000003" + "00000000" + "0badf00d" + "ffffffff" + "1ae1";

    assertThat(UdpTrackerCodec.decodeRequest(bytes(bytes)))
        .isEqualTo(announce(AnnounceEvent.STOPPED, Optional.empty()));
  }

  @Test
  void anAnnouncedIpOfZeroMeansTheSendersAddress() throws Exception {
    Inet4Address any = (Inet4Address) InetAddress.getByName("0.0.0.0");

    assertThat(announce(AnnounceEvent.NONE, Optional.of(any)).ip()).isEmpty();
    assertThat(UdpTrackerCodec.encode(announce(AnnounceEvent.NONE, Optional.empty())).getInt(84))
        .isZero();
  }

  @Test
  void announceRequestIgnoresBep41OptionsAfterItsNinetyEightBytes() {
    AnnounceRequest request = announce(AnnounceEvent.COMPLETED, Optional.empty());
    ByteBuffer withOptions = ByteBuffer.allocate(98 + 12)
        .put(UdpTrackerCodec.encode(request))
        .put(HEX.parseHex("0209" + "2f616e6e6f756e6365" + "01"))
        .flip();

    assertThat(UdpTrackerCodec.decodeRequest(withOptions)).isEqualTo(request);
  }

  @Test
  void announceResponseListsIpv4PeersInSixBytes() throws Exception {
    AnnounceResponse response = new AnnounceResponse(
        0xcafebabe, 1800, 3, 5, List.of(peer("1.2.3.4", 6881), peer("5.6.7.8", 51413)));
    String expected = "00000001" + TRANSACTION_ID + "00000708" + "00000003" + "00000005"
        + "010203041ae1" + "05060708c8d5";

    assertThat(hex(UdpTrackerCodec.encode(response))).isEqualTo(expected);
    assertThat(UdpTrackerCodec.decodeResponse(bytes(expected), INET)).isEqualTo(response);
  }

  @Test
  void announceResponseListsIpv6PeersInEighteenBytes() throws Exception {
    AnnounceResponse response =
        new AnnounceResponse(0xcafebabe, 1800, 0, 1, List.of(peer("2001:db8::1", 6881)));
    String expected = "00000001" + TRANSACTION_ID + "00000708" + "00000000" + "00000001"
        + "20010db8000000000000000000000001" + "1ae1";

    assertThat(hex(UdpTrackerCodec.encode(response))).isEqualTo(expected);
    assertThat(UdpTrackerCodec.decodeResponse(bytes(expected), INET6)).isEqualTo(response);
  }

  @Test
  void scrapeRequestListsTheInfoHashes() {
    InfoHash other = InfoHash.fromHex("ff".repeat(20));
    ScrapeRequest request =
        new ScrapeRequest(0x1122334455667788L, 0xcafebabe, List.of(INFO_HASH, other));
    String expected = CONNECTION_ID + "00000002" + TRANSACTION_ID + INFO_HASH.hex() + other.hex();

    assertThat(hex(UdpTrackerCodec.encode(request))).isEqualTo(expected);
    assertThat(UdpTrackerCodec.decodeRequest(bytes(expected))).isEqualTo(request);
  }

  @Test
  void scrapeResponseHasTwelveBytesASwarm() {
    ScrapeResponse response = new ScrapeResponse(
        0xcafebabe, List.of(new ScrapeStats(1, 2, 3), new ScrapeStats(4, 5, 6)));
    String expected = "00000002" + TRANSACTION_ID
        + "00000001" + "00000002" + "00000003"
        + "00000004" + "00000005" + "00000006";

    assertThat(hex(UdpTrackerCodec.encode(response))).isEqualTo(expected);
    assertThat(UdpTrackerCodec.decodeResponse(bytes(expected), INET)).isEqualTo(response);
  }

  @Test
  void errorResponseCarriesAUtf8Message() {
    ErrorResponse response = new ErrorResponse(0xcafebabe, "bad connection id ✗");
    String expected = "00000003" + TRANSACTION_ID
        + HEX.formatHex("bad connection id ✗".getBytes(StandardCharsets.UTF_8));

    assertThat(hex(UdpTrackerCodec.encode(response))).isEqualTo(expected);
    assertThat(UdpTrackerCodec.decodeResponse(bytes(expected), INET)).isEqualTo(response);
  }

  @Test
  void anEmptyErrorIsStillAnError() {
    assertThat(UdpTrackerCodec.decodeResponse(bytes("00000003" + TRANSACTION_ID), INET))
        .isEqualTo(new ErrorResponse(0xcafebabe, ""));
  }

  @Test
  void decodingReadsFromThePositionAndLeavesItAlone() {
    ByteBuffer datagram = ByteBuffer.allocate(20)
        .put(HEX.parseHex("ffffffff"))
        .put(UdpTrackerCodec.encode(new ConnectRequest(7)))
        .position(4);

    assertThat(UdpTrackerCodec.decodeRequest(datagram)).isEqualTo(new ConnectRequest(7));
    assertThat(datagram.position()).isEqualTo(4);
  }

  @Test
  void readsBigEndianWhateverTheBufferOrder() {
    ByteBuffer datagram = bytes("0000041727101980" + "00000000" + TRANSACTION_ID)
        .order(ByteOrder.LITTLE_ENDIAN);

    assertThat(UdpTrackerCodec.decodeRequest(datagram)).isEqualTo(new ConnectRequest(0xcafebabe));
    assertThat(UdpTrackerCodec.transactionIdOf(datagram)).isEqualTo(OptionalInt.of(0xcafebabe));
  }

  @Test
  void findsTheTransactionIdOfAMalformedRequest() {
    ByteBuffer unknownAction = bytes(CONNECTION_ID + "00000009" + TRANSACTION_ID);

    assertThat(UdpTrackerCodec.transactionIdOf(unknownAction))
        .isEqualTo(OptionalInt.of(0xcafebabe));
    assertThat(UdpTrackerCodec.transactionIdOf(bytes(CONNECTION_ID + "00000001" + "cafeba")))
        .isEmpty();
  }

  @Test
  void rejectsATruncatedRequest() {
    assertRequestRejected(CONNECTION_ID + "00000000",
        "request: expected at least 16 bytes, got 12");
    assertRequestRejected("", "got 0");
  }

  @Test
  void rejectsATruncatedAnnounceRequest() {
    String truncated = hex(UdpTrackerCodec.encode(announce(AnnounceEvent.NONE, Optional.empty())))
        .substring(0, 2 * 97);

    assertRequestRejected(truncated, "announce request: expected at least 98 bytes, got 97");
  }

  @Test
  void rejectsAConnectRequestWithoutTheMagic() {
    assertRequestRejected(CONNECTION_ID + "00000000" + TRANSACTION_ID,
        "expected the protocol id 0x41727101980 at offset 0, got 0x1122334455667788");
  }

  @Test
  void rejectsAConnectRequestOfTheWrongLength() {
    assertRequestRejected("0000041727101980" + "00000000" + TRANSACTION_ID + "00",
        "connect request: expected 16 bytes, got 17");
  }

  @Test
  void rejectsAnUnknownRequestAction() {
    assertRequestRejected(CONNECTION_ID + "00000003" + TRANSACTION_ID,
        "unknown action 3 at offset 8");
  }

  @Test
  void rejectsAScrapeRequestWithoutInfoHashes() {
    assertRequestRejected(CONNECTION_ID + "00000002" + TRANSACTION_ID,
        "a scrape asks for 1..74 info hashes, got 0");
  }

  @Test
  void rejectsAScrapeRequestWithMoreThanSeventyFourInfoHashes() {
    String hashes = INFO_HASH.hex().repeat(75);

    assertRequestRejected(CONNECTION_ID + "00000002" + TRANSACTION_ID + hashes,
        "a scrape asks for 1..74 info hashes, got 75");
    assertThatThrownBy(() -> new ScrapeRequest(1, 2, Collections.nCopies(75, INFO_HASH)))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void acceptsAScrapeRequestOfSeventyFourInfoHashes() {
    String hashes = INFO_HASH.hex().repeat(UdpTrackerCodec.MAX_SCRAPE_HASHES);

    ScrapeRequest request = (ScrapeRequest) UdpTrackerCodec.decodeRequest(
        bytes(CONNECTION_ID + "00000002" + TRANSACTION_ID + hashes));

    assertThat(request.infoHashes()).hasSize(74);
  }

  @Test
  void rejectsAScrapeRequestThatIsNotSixteenPlusTwentyN() {
    assertRequestRejected(CONNECTION_ID + "00000002" + TRANSACTION_ID + INFO_HASH.hex() + "00",
        "scrape request: expected 16 + 20n bytes, got 37");
  }

  @Test
  void rejectsAnAnnounceWithAnUnknownEvent() {
    ByteBuffer encoded = UdpTrackerCodec.encode(announce(AnnounceEvent.NONE, Optional.empty()));
    encoded.putInt(80, 7);

    assertThatThrownBy(() -> UdpTrackerCodec.decodeRequest(encoded))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("unknown announce event code 7");
  }

  @Test
  void rejectsAnAnnounceWithNegativeCounts() {
    assertNegativeRejected(56, "downloaded");
    assertNegativeRejected(64, "left");
    assertNegativeRejected(72, "uploaded");
  }

  @Test
  void rejectsAnOversizedRequest() {
    ByteBuffer oversized = ByteBuffer.allocate(UdpTrackerCodec.MAX_REQUEST_LENGTH + 1)
        .put(UdpTrackerCodec.encode(announce(AnnounceEvent.NONE, Optional.empty())))
        .rewind();

    assertThatThrownBy(() -> UdpTrackerCodec.decodeRequest(oversized))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("2049 bytes is longer than the 2048 allowed");
  }

  @Test
  void rejectsATruncatedResponse() {
    assertResponseRejected("000000", "response: expected at least 8 bytes, got 3");
    assertResponseRejected("00000000" + TRANSACTION_ID + "11223344",
        "connect response: expected 16 bytes, got 12");
    assertResponseRejected("00000001" + TRANSACTION_ID + "00000708",
        "announce response: expected at least 20 bytes, got 12");
  }

  @Test
  void rejectsAnUnknownResponseAction() {
    assertResponseRejected("00000004" + TRANSACTION_ID, "unknown action 4 at offset 0");
  }

  @Test
  void rejectsAnnouncedPeersThatDoNotFitTheFamily() {
    String fivePeers = "00000001" + TRANSACTION_ID + "00000708" + "00000000" + "00000000"
        + "010203041ae1".repeat(5);

    assertThatThrownBy(() -> UdpTrackerCodec.decodeResponse(bytes(fivePeers + "00"), INET))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("expected 20 + 6n bytes for INET peers, got 51");
    assertThatThrownBy(() -> UdpTrackerCodec.decodeResponse(bytes(fivePeers), INET6))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("expected 20 + 18n bytes for INET6 peers, got 50");
  }

  @Test
  void rejectsAScrapeResponseThatIsNotEightPlusTwelveN() {
    assertResponseRejected("00000002" + TRANSACTION_ID + "0000000100000002",
        "scrape response: expected 8 + 12n bytes, got 16");
  }

  @Test
  void refusesToMixFamiliesInAnAnnounceResponse() throws Exception {
    List<PeerAddress> mixed = List.of(peer("1.2.3.4", 1), peer("::1", 2));

    assertThatThrownBy(() -> new AnnounceResponse(1, 1800, 0, 2, mixed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mix");
  }

  void assertNegativeRejected(int offset, String field) {
    ByteBuffer encoded = UdpTrackerCodec.encode(announce(AnnounceEvent.NONE, Optional.empty()));
    encoded.putLong(offset, -1);

    assertThatThrownBy(() -> UdpTrackerCodec.decodeRequest(encoded))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining(field + " must not be negative, got -1");
  }

  void assertRequestRejected(String hex, String message) {
    assertThatThrownBy(() -> UdpTrackerCodec.decodeRequest(bytes(hex)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining(message);
  }

  void assertResponseRejected(String hex, String message) {
    assertThatThrownBy(() -> UdpTrackerCodec.decodeResponse(bytes(hex), INET))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining(message);
  }
}
