package io.swarmshare.peer.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.tracker.udp.ConnectResponse;
import io.swarmshare.messages.tracker.udp.UdpTrackerCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DatagramKindTest {

  @Test
  void aTrackersAnswerADhtMessageAndAUtpPacketAreToldApartByTheirFirstBytes() {
    ByteBuffer connected = UdpTrackerCodec.encode(new ConnectResponse(7, 0x1234L));
    assertThat(DatagramKind.of(connected)).isEqualTo(DatagramKind.TRACKER);
    assertThat(DatagramKind.of(ByteBuffer.wrap("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"
        .getBytes(StandardCharsets.US_ASCII)))).isEqualTo(DatagramKind.DHT);
    ByteBuffer synPacket = ByteBuffer.allocate(20).put(0, (byte) 0x41); // ST_SYN, version 1
    assertThat(DatagramKind.of(synPacket)).isEqualTo(DatagramKind.UTP);
  }

  @Test
  void whatIsNoneOfThemIsUnknown() {
    assertThat(DatagramKind.of(ByteBuffer.allocate(0))).isEqualTo(DatagramKind.UNKNOWN);
    assertThat(DatagramKind.of(ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 1, 2, 3, 4}))).as("no such action")
        .isEqualTo(DatagramKind.UNKNOWN);
    assertThat(DatagramKind.of(ByteBuffer.wrap(new byte[] {0, 0, 0, 1}))).as("too short").isEqualTo(DatagramKind.UNKNOWN);
  }
}
