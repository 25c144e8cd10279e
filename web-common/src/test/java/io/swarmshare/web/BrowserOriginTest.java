package io.swarmshare.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrowserOriginTest {

  static Optional<String> refusal(String site, String origin, String host) {
    return BrowserOrigin.refusal(Optional.ofNullable(site), Optional.ofNullable(origin), Optional.ofNullable(host));
  }

  @Test
  void aRequestWithoutBrowserHeadersGoesOn() {
    assertThat(refusal(null, null, "tracker.example:6969")).isEmpty();
    assertThat(BrowserOrigin.fromBrowser(Optional.empty(), Optional.empty())).isFalse();
  }

  @Test
  void theTrackersOwnPageGoesOn() {
    assertThat(refusal("same-origin", "http://tracker.example:6969", "tracker.example:6969")).isEmpty();
    assertThat(refusal(null, "https://tracker.example", "tracker.example")).isEmpty();
  }

  @Test
  void anotherSitesPageIsRefused() {
    assertThat(refusal("cross-site", "https://evil.example", "tracker.example:6969")).isPresent();
    assertThat(refusal("same-site", null, "tracker.example:6969")).isPresent();
    assertThat(refusal(null, "http://evil.example", "tracker.example:6969")).isPresent();
    assertThat(refusal(null, "null", "tracker.example:6969")).isPresent();
    assertThat(refusal(null, "http://tracker.example:6969", null)).isPresent();
    assertThat(refusal("cross-site\r\nX: y" + "z".repeat(100), null, "h").orElseThrow())
        .doesNotContain("\r", "\n").hasSizeLessThan(80);
  }

  @Test
  void knowsLoopbackNames() {
    assertThat(BrowserOrigin.loopbackName("127.0.0.1:6969")).isTrue();
    assertThat(BrowserOrigin.loopbackName("localhost")).isTrue();
    assertThat(BrowserOrigin.loopbackName("[::1]:6969")).isTrue();
    assertThat(BrowserOrigin.loopbackName("evil.example:6969")).isFalse();
    assertThat(BrowserOrigin.loopbackName("127.0.0.1.evil.example")).isFalse();
    assertThat(BrowserOrigin.loopbackName("[::2]")).isFalse();
  }
}
