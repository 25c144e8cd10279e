package io.swarmshare.messages.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.MalformedMessageException;
import org.junit.jupiter.api.Test;

class AnnounceEventTest {

  @Test
  void hasTheCodesOfBep15() {
    assertThat(AnnounceEvent.fromUdpCode(0)).isEqualTo(AnnounceEvent.NONE);
    assertThat(AnnounceEvent.fromUdpCode(1)).isEqualTo(AnnounceEvent.COMPLETED);
    assertThat(AnnounceEvent.fromUdpCode(2)).isEqualTo(AnnounceEvent.STARTED);
    assertThat(AnnounceEvent.fromUdpCode(3)).isEqualTo(AnnounceEvent.STOPPED);
    for (AnnounceEvent event : AnnounceEvent.values()) {
      assertThat(AnnounceEvent.fromUdpCode(event.udpCode())).isEqualTo(event);
    }
  }

  @Test
  void hasTheNamesOfBep3() {
    assertThat(AnnounceEvent.fromHttpName("")).isEqualTo(AnnounceEvent.NONE);
    assertThat(AnnounceEvent.fromHttpName("completed")).isEqualTo(AnnounceEvent.COMPLETED);
    assertThat(AnnounceEvent.fromHttpName("started")).isEqualTo(AnnounceEvent.STARTED);
    assertThat(AnnounceEvent.fromHttpName("stopped")).isEqualTo(AnnounceEvent.STOPPED);
    for (AnnounceEvent event : AnnounceEvent.values()) {
      assertThat(AnnounceEvent.fromHttpName(event.httpName())).isEqualTo(event);
    }
  }

  @Test
  void readsBep21PausedAsARegularAnnounce() {
    assertThat(AnnounceEvent.fromUdpCode(4)).isEqualTo(AnnounceEvent.NONE);
    assertThat(AnnounceEvent.fromHttpName("paused")).isEqualTo(AnnounceEvent.NONE);
  }

  @Test
  void rejectsAnUnknownCode() {
    assertThatThrownBy(() -> AnnounceEvent.fromUdpCode(5))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("code 5");
    assertThatThrownBy(() -> AnnounceEvent.fromUdpCode(-1))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("code 4294967295");
  }

  @Test
  void rejectsAnUnknownName() {
    assertThatThrownBy(() -> AnnounceEvent.fromHttpName("resumed"))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("\"resumed\"");
    assertThatThrownBy(() -> AnnounceEvent.fromHttpName("Started"))
        .isInstanceOf(MalformedMessageException.class);
  }
}
