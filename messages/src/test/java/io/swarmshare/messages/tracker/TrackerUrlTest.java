package io.swarmshare.messages.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.MalformedMessageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrackerUrlTest {

  @Test
  void readsUdpAndHttpUrls() {
    TrackerUrl udp = TrackerUrl.parse("udp://127.0.0.1:6969/announce");
    assertThat(udp.isUdp()).isTrue();
    assertThat(udp.host()).isEqualTo("127.0.0.1");
    assertThat(udp.port()).isEqualTo(6969);
    assertThat(udp.path()).isEqualTo("/announce");
    TrackerUrl http = TrackerUrl.parse("HTTP://tracker.example/announce?passkey=x");
    assertThat(http.scheme()).isEqualTo("http");
    assertThat(http.port()).isEqualTo(80);
    assertThat(TrackerUrl.parse("https://t.example/announce").port()).isEqualTo(443);
    assertThat(TrackerUrl.parse("http://[::1]:8080/announce").host()).isEqualTo("[::1]");
    assertThat(udp.httpBase()).isEqualTo("http://127.0.0.1:6969");
    assertThat(TrackerUrl.parse("https://t.example/announce").httpBase()).isEqualTo("https://t.example:443");
    assertThat(TrackerUrl.parse("http://[::1]:8080/announce").httpBase()).isEqualTo("http://[::1]:8080");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "tracker.example:6969", "ftp://t.example/announce", "udp://t.example/announce",
      "udp://:6969/announce", "http://t.example:0/announce", "http://t.example:99999/announce", "http://bad host/"})
  void refusesWhatIsNotATrackerUrl(String text) {
    assertThatThrownBy(() -> TrackerUrl.parse(text))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageStartingWith("bad tracker URL '" + text + "'");
  }
}
