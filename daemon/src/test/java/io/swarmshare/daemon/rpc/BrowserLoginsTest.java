package io.swarmshare.daemon.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BrowserLoginsTest {

  /** A clock the test moves. */
  static final class Hands extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aLoginLastsItsLifetimeThenIsGone() {
    Hands clock = new Hands();
    BrowserLogins logins = new BrowserLogins(Duration.ofHours(1), 10, clock);
    BrowserLogins.Login login = logins.create();
    assertThat(login.cookie()).hasSize(48).isNotEqualTo(login.csrfToken());
    assertThat(logins.find(login.cookie())).contains(login);
    clock.now = clock.now.plus(Duration.ofMinutes(59));
    assertThat(logins.find(login.cookie())).isPresent();
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    assertThat(logins.find(login.cookie())).isEmpty();
    assertThat(logins.find("made-up")).isEmpty();
  }

  @Test
  void pastTheMostLoginsTheOldestGoesAndALogoutEndsOne() {
    BrowserLogins logins = new BrowserLogins(Duration.ofHours(1), 2, new Hands());
    BrowserLogins.Login a = logins.create();
    BrowserLogins.Login b = logins.create();
    BrowserLogins.Login c = logins.create();
    assertThat(logins.find(a.cookie())).isEmpty();
    assertThat(logins.find(b.cookie())).isPresent();
    logins.remove(c.cookie());
    assertThat(logins.find(c.cookie())).isEmpty();
    assertThat(logins.find(b.cookie())).isPresent();
  }
}
