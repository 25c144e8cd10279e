package io.swarmshare.tracker.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConnectionIdsTest {

  /** A clock the test moves by hand. */
  static final class StepClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:30Z");

    @Override
    public ZoneOffset getZone() {
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
  void matchesTheReferenceVectorOfSipHash24() {
    byte[] key = new byte[16];
    for (int i = 0; i < 16; i++) {
      key[i] = (byte) i;
    }
    long k0 = 0;
    long k1 = 0;
    for (int i = 7; i >= 0; i--) {
      k0 = (k0 << 8) | (key[i] & 0xff);
      k1 = (k1 << 8) | (key[i + 8] & 0xff);
    }
    SipHash sip = new SipHash(k0, k1);
    assertThat(sip.hash(new byte[0], 0)).isEqualTo(0x726fdb47dd0e0e31L);
    byte[] fifteen = new byte[15];
    for (int i = 0; i < 15; i++) {
      fifteen[i] = (byte) i;
    }
    // The paper's Appendix A example: message 00..0e.
    assertThat(sip.hash(fifteen, 15)).isEqualTo(0xa129ca6149be45e5L);
  }

  @Test
  void acceptsAnIdForAtLeastTwoMinutesAndNoLongerThanThree() {
    StepClock clock = new StepClock();
    ConnectionIds ids = new ConnectionIds(clock);
    InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40000);
    long id = ids.issue(client);
    assertThat(ids.isValid(id, client)).isTrue();
    clock.now = clock.now.plus(Duration.ofSeconds(149));
    assertThat(ids.isValid(id, client)).isTrue();
    clock.now = clock.now.plus(Duration.ofSeconds(31));
    assertThat(ids.isValid(id, client)).isFalse();
  }

  @Test
  void bindsTheIdToTheClientAddressButNotItsPort() {
    ConnectionIds ids = new ConnectionIds(new StepClock());
    InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40000);
    long id = ids.issue(client);
    assertThat(ids.isValid(id, new InetSocketAddress("127.0.0.2", 40000))).isFalse();
    assertThat(ids.isValid(id, new InetSocketAddress("127.0.0.1", 40001))).isTrue();
    assertThat(ids.isValid(id ^ 1, client)).isFalse();
    assertThat(ids.isValid(id, new InetSocketAddress("::1", 40000))).isFalse();
  }

  @Test
  void givesEachProcessItsOwnKey() {
    InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40000);
    StepClock clock = new StepClock();
    assertThat(new ConnectionIds(clock).issue(client)).isNotEqualTo(new ConnectionIds(clock).issue(client));
  }
}
