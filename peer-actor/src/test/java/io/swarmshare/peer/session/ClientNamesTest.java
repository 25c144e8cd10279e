package io.swarmshare.peer.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClientNamesTest {

  /** A peer id that starts with {@code prefix}, padded with bytes that are not text. */
  static PeerId id(String prefix) {
    byte[] bytes = new byte[PeerId.LENGTH];
    Arrays.fill(bytes, (byte) 0xA7);
    byte[] start = prefix.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(start, 0, bytes, 0, start.length);
    return PeerId.of(bytes);
  }

  @Test
  void azureusStyleIdsNameTheClientAndItsFourVersionDigits() {
    assertThat(ClientNames.of(id("-LT2080-"))).isEqualTo("libtorrent 2.0.8.0");
    assertThat(ClientNames.of(id("-TR3000-"))).isEqualTo("Transmission 3.0.0.0");
    assertThat(ClientNames.of(id("-qB4510-"))).isEqualTo("qBittorrent 4.5.1.0");
    assertThat(ClientNames.of(id("-UT355W-"))).as("a letter digit counts from 10").isEqualTo("\u00b5Torrent 3.5.5.32");
    assertThat(ClientNames.of(id("-XX0000-"))).as("a client not in the table keeps its letters").isEqualTo("XX 0.0.0.0");
  }

  @Test
  void shadowStyleIdsNameTheClientAndTheVersionBeforeThePadding() {
    assertThat(ClientNames.of(id("S58B-----"))).isEqualTo("Shadow 5.8.11");
    assertThat(ClientNames.of(id("T03I--"))).isEqualTo("BitTornado 0.3.18");
    assertThat(ClientNames.of(id("A2--"))).isEqualTo("ABC 2");
    assertThat(ClientNames.of(id("Q1.a0--"))).isEqualTo("BTQueue 1.62.36.0");
  }

  @Test
  void anyOtherIdIsItsPrintablePrefix() {
    assertThat(ClientNames.of(id("Z58B-----"))).as("not a Shadow letter").isEqualTo("Z58B----");
    assertThat(ClientNames.of(id("T03I-x"))).as("one dash is not padding").isEqualTo("T03I-x??");
    assertThat(ClientNames.of(id("-LT20-"))).as("too few Azureus digits").isEqualTo("-LT20-??");
    assertThat(ClientNames.of(id("\u0000\u0001ab"))).isEqualTo("??ab????");
  }
}
