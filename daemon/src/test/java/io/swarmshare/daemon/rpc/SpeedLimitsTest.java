package io.swarmshare.daemon.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SpeedLimitsTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode args(String json) throws IOException {
    return JSON.readTree(json);
  }

  @Test
  void theNodesStartingLimitsAreOnWhereSetAndTheAlternativeOnesOff() {
    SpeedLimits limits = SpeedLimits.initial(300_000, 0, 50_000, 20_000);
    assertThat(limits).isEqualTo(new SpeedLimits(300, true, 0, false, 50, 20, false));
    assertThat(limits.download()).isEqualTo(300_000);
    assertThat(limits.upload()).as("none").isZero();
  }

  @Test
  void aLimitSwitchedOffKeepsItsValueAndTheAlternativeOnesReplaceBothWhileOn() throws Exception {
    SpeedLimits limits = SpeedLimits.initial(0, 0, 50_000, 20_000)
        .change(args("{\"speed-limit-down\":100,\"speed-limit-down-enabled\":true,\"speed-limit-up\":40}"));
    assertThat(limits.download()).isEqualTo(100_000);
    assertThat(limits.upload()).as("a value alone does not switch a limit on, as in Transmission").isZero();
    limits = limits.change(args("{\"alt-speed-enabled\":true}"));
    assertThat(limits.download()).isEqualTo(50_000);
    assertThat(limits.upload()).isEqualTo(20_000);
    limits = limits.change(args("{\"alt-speed-enabled\":false,\"speed-limit-down-enabled\":false,"
        + "\"speed-limit-up-enabled\":true}"));
    assertThat(limits.download()).isZero();
    assertThat(limits.downKb()).isEqualTo(100);
    assertThat(limits.upload()).isEqualTo(40_000);
    assertThat(limits.change(args("{\"alt-speed-down\":0,\"alt-speed-enabled\":true}")).download())
        .as("an alternative limit of 0 is none").isZero();
  }

  @Test
  void badValuesAreRefusedWholeAndNamedLimitsAreSeen() throws Exception {
    SpeedLimits limits = SpeedLimits.initial(0, 0, 50_000, 50_000);
    assertThatThrownBy(() -> limits.change(args("{\"speed-limit-down\":-1}")))
        .isInstanceOf(TransmissionRpc.RpcError.class).hasMessageStartingWith("speed-limit-down must be");
    assertThatThrownBy(() -> limits.change(args("{\"alt-speed-up\":1.5}")))
        .hasMessageStartingWith("alt-speed-up must be");
    assertThatThrownBy(() -> limits.change(args("{\"alt-speed-enabled\":\"yes\"}")))
        .hasMessageStartingWith("alt-speed-enabled must be true or false");
    assertThat(SpeedLimits.named(args("{\"alt-speed-enabled\":true}"))).isTrue();
    assertThat(SpeedLimits.named(args("{\"seed-queue-size\":3}"))).isFalse();
    ObjectNode written = JSON.createObjectNode();
    limits.write(written);
    assertThat(written.toString()).isEqualTo("{\"speed-limit-down\":0,\"speed-limit-down-enabled\":false,"
        + "\"speed-limit-up\":0,\"speed-limit-up-enabled\":false,\"alt-speed-enabled\":false,"
        + "\"alt-speed-down\":50,\"alt-speed-up\":50}");
  }

  @Test
  void thePortTestSaysWhetherThePeerPortTakesAConnection() throws Exception {
    int closedPort;
    try (ServerSocket listening = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      SessionInfo open = info(new InetSocketAddress("0.0.0.0", listening.getLocalPort()));
      assertThat(open.peerPortOpen(Duration.ofSeconds(10)).toCompletableFuture().get())
          .as("a wildcard address is tried on loopback").isTrue();
      closedPort = listening.getLocalPort();
    }
    SessionInfo closed = info(new InetSocketAddress("127.0.0.1", closedPort));
    assertThat(closed.peerPortOpen(Duration.ofSeconds(10)).toCompletableFuture().get()).isFalse();
  }

  static SessionInfo info(InetSocketAddress peers) {
    return new SessionInfo("test", Path.of("data"), Path.of("downloads"), peers, 10, 10,
        SpeedLimits.initial(0, 0, 0, 0), Instant.now());
  }
}
