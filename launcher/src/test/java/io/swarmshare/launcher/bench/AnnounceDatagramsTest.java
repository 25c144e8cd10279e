package io.swarmshare.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.launcher.bench.AnnounceDatagrams.Verdict;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.tracker.udp.AnnounceRequest;
import io.swarmshare.messages.tracker.udp.AnnounceResponse;
import io.swarmshare.messages.tracker.udp.ConnectRequest;
import io.swarmshare.messages.tracker.udp.ConnectResponse;
import io.swarmshare.messages.tracker.udp.ErrorResponse;
import io.swarmshare.messages.tracker.udp.UdpTrackerCodec;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnnounceDatagramsTest {

  static final int TX = 0xcafebabe;
  static final BenchSwarm SWARM = new BenchSwarm(0, 1000, 10_000, 65535, 10);

  static List<PeerAddress> peers(int count) throws Exception {
    List<PeerAddress> peers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      peers.add(new PeerAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) i}), 6881));
    }
    return peers;
  }

  static ByteBuffer announceResponse(int tx, int leechers, int seeders, int peers)
      throws Exception {
    return UdpTrackerCodec.encode(new AnnounceResponse(tx, 1800, leechers, seeders, peers(peers)));
  }

  /** The same bytes at an offset inside a larger buffer, as a receive buffer may hold them. */
  static ByteBuffer atOffset(ByteBuffer datagram) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(datagram.remaining() + 16);
    buffer.position(7);
    buffer.put(datagram.duplicate());
    buffer.flip().position(7);
    return buffer;
  }

  @Test
  void aConnectIsWhatTheCodecWrites() {
    ByteBuffer out = ByteBuffer.allocateDirect(AnnounceDatagrams.ANNOUNCE_LENGTH);
    AnnounceDatagrams.connect(out, TX);

    assertThat(out).isEqualTo(UdpTrackerCodec.encode(new ConnectRequest(TX)));
  }

  @Test
  void anAnnounceIsWhatTheCodecWritesForTheSamePeer() {
    ByteBuffer out = ByteBuffer.allocateDirect(AnnounceDatagrams.ANNOUNCE_LENGTH);
    for (int peer : new int[] {0, 1, 4321, 9999}) {
      for (AnnounceEvent event : new AnnounceEvent[] {AnnounceEvent.STARTED, AnnounceEvent.NONE}) {
        AnnounceDatagrams.announce(out, 0x1122334455667788L, TX, SWARM, peer, event, 50);

        AnnounceRequest expected = new AnnounceRequest(
            0x1122334455667788L, TX, InfoHash.of(SWARM.infoHash(SWARM.torrentOf(peer))),
            PeerId.of(SWARM.peerId(peer)), 0, SWARM.leftOf(peer), 0, event, Optional.empty(),
            SWARM.keyOf(peer), 50, SWARM.portOf(peer));
        assertThat(out).as("peer %d %s", peer, event).isEqualTo(UdpTrackerCodec.encode(expected));
        assertThat(UdpTrackerCodec.decodeRequest(out)).isEqualTo(expected);
      }
    }
  }

  @Test
  void seedersAnnounceNothingLeft() {
    ByteBuffer out = ByteBuffer.allocate(AnnounceDatagrams.ANNOUNCE_LENGTH);
    int seeder = 0;
    while (!SWARM.seeds(seeder)) {
      seeder++;
    }
    AnnounceDatagrams.announce(out, 1, TX, SWARM, seeder, AnnounceEvent.STARTED, -1);

    AnnounceRequest decoded = (AnnounceRequest) UdpTrackerCodec.decodeRequest(out);
    assertThat(decoded.left()).isZero();
    assertThat(decoded.numWant()).isEqualTo(-1);
  }

  @Test
  void acceptsAWellFormedConnectResponseAndReadsItsId() {
    ByteBuffer response = atOffset(UdpTrackerCodec.encode(new ConnectResponse(TX, 0x0102030405L)));

    assertThat(AnnounceDatagrams.checkConnect(response, TX)).isEqualTo(Verdict.OK);
    assertThat(AnnounceDatagrams.connectionId(response)).isEqualTo(0x0102030405L);
  }

  @Test
  void refusesConnectResponsesThatDoNotMatch() {
    ByteBuffer good = UdpTrackerCodec.encode(new ConnectResponse(TX, 99));
    ByteBuffer shortOne = good.duplicate().limit(15);
    ByteBuffer longOne = ByteBuffer.allocate(17).put(good.duplicate()).put((byte) 0).flip();

    assertThat(AnnounceDatagrams.checkConnect(good, TX + 1))
        .isEqualTo(Verdict.WRONG_TRANSACTION);
    assertThat(AnnounceDatagrams.checkConnect(shortOne, TX)).isEqualTo(Verdict.BAD_LENGTH);
    assertThat(AnnounceDatagrams.checkConnect(longOne, TX)).isEqualTo(Verdict.BAD_LENGTH);
    assertThat(AnnounceDatagrams.checkConnect(good.duplicate().limit(4), TX))
        .isEqualTo(Verdict.BAD_LENGTH);
    assertThat(AnnounceDatagrams.checkConnect(
            UdpTrackerCodec.encode(new ErrorResponse(TX, "go away")), TX))
        .isEqualTo(Verdict.ERROR_RESPONSE);
  }

  @Test
  void acceptsAWellFormedAnnounceResponse() throws Exception {
    assertThat(AnnounceDatagrams.checkAnnounce(atOffset(announceResponse(TX, 8, 2, 9)), TX, 50))
        .isEqualTo(Verdict.OK);
    assertThat(AnnounceDatagrams.checkAnnounce(announceResponse(TX, 0, 1, 0), TX, 50))
        .isEqualTo(Verdict.OK);
    assertThat(AnnounceDatagrams.checkAnnounce(announceResponse(TX, 100, 0, 50), TX, 50))
        .isEqualTo(Verdict.OK);
    assertThat(AnnounceDatagrams.checkAnnounce(announceResponse(TX, 300, 0, 200), TX, -1))
        .isEqualTo(Verdict.OK);
  }

  @Test
  void refusesAnAnnounceResponseForAnotherTransaction() throws Exception {
    assertThat(AnnounceDatagrams.checkAnnounce(announceResponse(TX ^ 1, 8, 2, 3), TX, 50))
        .isEqualTo(Verdict.WRONG_TRANSACTION);
  }

  @Test
  void reportsAnErrorResponse() {
    assertThat(AnnounceDatagrams.checkAnnounce(
            UdpTrackerCodec.encode(new ErrorResponse(TX, "Connection ID missmatch.")), TX, 50))
        .isEqualTo(Verdict.ERROR_RESPONSE);
  }

  @Test
  void refusesAConnectResponseToAnAnnounce() {
    assertThat(AnnounceDatagrams.checkAnnounce(
            UdpTrackerCodec.encode(new ConnectResponse(TX, 5)), TX, 50))
        .isEqualTo(Verdict.WRONG_ACTION);
  }

  @Test
  void refusesTheEightByteReplyOpentrackerGivesUnlistedHashes() {
    ByteBuffer reply = ByteBuffer.allocate(8).putInt(1).putInt(TX).flip();

    assertThat(AnnounceDatagrams.checkAnnounce(reply, TX, 50)).isEqualTo(Verdict.BAD_LENGTH);
  }

  @Test
  void refusesAPeerListThatIsNotWholeSixByteEntries() throws Exception {
    ByteBuffer response = announceResponse(TX, 8, 2, 3);
    ByteBuffer cut = response.duplicate().limit(response.limit() - 1);
    ByteBuffer header = response.duplicate().limit(19);

    assertThat(AnnounceDatagrams.checkAnnounce(cut, TX, 50)).isEqualTo(Verdict.BAD_LENGTH);
    assertThat(AnnounceDatagrams.checkAnnounce(header, TX, 50)).isEqualTo(Verdict.BAD_LENGTH);
  }

  @Test
  void refusesNegativeCounts() throws Exception {
    for (int offset : new int[] {8, 12, 16}) {
      ByteBuffer response = announceResponse(TX, 8, 2, 3);
      response.putInt(offset, -1);
      assertThat(AnnounceDatagrams.checkAnnounce(response, TX, 50))
          .as("offset %d", offset)
          .isEqualTo(Verdict.NEGATIVE_COUNT);
    }
  }

  @Test
  void refusesMorePeersThanAskedForOrThanTheSwarmHolds() throws Exception {
    assertThat(AnnounceDatagrams.checkAnnounce(announceResponse(TX, 80, 20, 51), TX, 50))
        .isEqualTo(Verdict.TOO_MANY_PEERS);
    assertThat(AnnounceDatagrams.checkAnnounce(announceResponse(TX, 2, 1, 4), TX, 50))
        .isEqualTo(Verdict.TOO_MANY_PEERS);
    assertThat(AnnounceDatagrams.checkAnnounce(announceResponse(TX, 1, 1, 1), TX, 0))
        .isEqualTo(Verdict.TOO_MANY_PEERS);
  }
}
