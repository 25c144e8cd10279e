package io.swarmshare.daemon.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.bandwidth.TorrentLimits;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** torrent-set's labels and speed limits as the web UI's Options tab sends them, and what it refuses. */
class TorrentSettingsTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static Session.TorrentChanges changes(String json) throws IOException {
    return TorrentSettings.changes(JSON.readTree(json));
  }

  /** The result line the RPC answers these arguments with. */
  static String refusal(String json) throws IOException {
    JsonNode args = JSON.readTree(json);
    try {
      TorrentSettings.changes(args);
    } catch (TransmissionRpc.RpcError e) {
      return e.getMessage();
    }
    throw new AssertionError("taken: " + json);
  }

  @Test
  void labelsAndLimitsInKiloBytesASecondBecomeTheTorrentsChanges() throws Exception {
    Session.TorrentChanges c = changes("{\"ids\":[1],\"labels\":[\" tv \",\"hd\",\"tv\"],\"downloadLimit\":250,"
        + "\"downloadLimited\":true,\"uploadLimited\":false,\"honorsSessionLimits\":false}");
    assertThat(c.labels()).as("trimmed, once each").contains(List.of("tv", "hd"));
    TorrentLimits.Changes limits = c.limits();
    assertThat(limits.download()).as("bytes a second").contains(250_000L);
    assertThat(limits.downloadLimited()).contains(true);
    assertThat(limits.upload()).as("left out: kept").isEmpty();
    assertThat(limits.uploadLimited()).contains(false);
    assertThat(limits.honorsNodeLimits()).contains(false);
    assertThat(limits.apply(TorrentLimits.NONE)).isEqualTo(new TorrentLimits(250_000, true, 0, false, false));
    assertThat(changes("{\"labels\":[]}").labels()).as("every label taken off").contains(List.of());
    assertThat(changes("{\"downloadLimited\":1}").limits().downloadLimited()).as("Transmission's 1")
        .isEqualTo(Optional.of(true));
  }

  @Test
  void aNegativeOrNonNumberLimitIsRefusedWithWhatWasGiven() throws Exception {
    assertThat(refusal("{\"downloadLimit\":-5}"))
        .isEqualTo("downloadLimit must be a whole number of kB/s from 0 to 2147483647, got -5");
    assertThat(refusal("{\"uploadLimit\":\"abc\"}"))
        .isEqualTo("uploadLimit must be a whole number of kB/s from 0 to 2147483647, got \"abc\"");
    assertThat(refusal("{\"uploadLimit\":1.5}")).endsWith("got 1.5");
    assertThat(refusal("{\"uploadLimit\":2147483648}")).endsWith("got 2147483648");
    assertThat(refusal("{\"downloadLimited\":\"yes\"}")).isEqualTo("downloadLimited must be true or false, got \"yes\"");
    assertThat(refusal("{\"honorsSessionLimits\":2}")).isEqualTo("honorsSessionLimits must be true or false, got 2");
  }

  @Test
  void aLabelWithACommaOrNoTextIsRefused() throws Exception {
    String rule = "a label must be text of 1 to 255 characters without commas or control characters, got ";
    assertThat(refusal("{\"labels\":[\"tv\",\"a,b\"]}")).isEqualTo(rule + "\"a,b\"");
    assertThat(refusal("{\"labels\":[\"  \"]}")).isEqualTo(rule + "\"  \"");
    assertThat(refusal("{\"labels\":[\"tab\\there\"]}")).startsWith(rule);
    assertThat(refusal("{\"labels\":[7]}")).isEqualTo(rule + "7");
    assertThat(refusal("{\"labels\":[\"" + "x".repeat(256) + "\"]}")).startsWith(rule);
    assertThat(refusal("{\"labels\":\"tv\"}")).isEqualTo("labels must be a list of at most 64 strings");
  }
}
