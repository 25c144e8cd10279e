package io.swarmshare.peer.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnsweringHandshakeTest {

  static final InfoHash HELD = InfoHash.of(Mse.hash("a torrent"));
  static final byte[] PAYLOAD = "\u0013BitTorrent protocol and the rest".getBytes(StandardCharsets.US_ASCII);

  final TorrentKeys keys = new TorrentKeys();
  final TestInitiator remote = new TestInitiator();

  @BeforeEach
  void hold() {
    keys.add(HELD);
  }

  AnsweringHandshake.Established run(AnsweringHandshake ours, byte[] fromRemote, int chunk) {
    AnsweringHandshake.Established done = null;
    for (int at = 0; at < fromRemote.length; at += chunk) {
      assertThat(done).as("established before the last byte").isNull();
      byte[] piece = Arrays.copyOfRange(fromRemote, at, Math.min(fromRemote.length, at + chunk));
      done = ours.offer(ByteString.fromArray(piece));
    }
    return done;
  }

  /** The remote's bytes, {@code padding} the zeros inside its encrypted part. */
  byte[] exchange(AnsweringHandshake ours, int offered, int padding) {
    byte[] theirKey = TestInitiator.first(ours.greeting().toArray(), Mse.KEY_LENGTH);
    return TestInitiator.concat(remote.hello(100), remote.request(theirKey, HELD, offered, padding, PAYLOAD));
  }

  @Test
  void choosesPlaintextWhenOfferedBothAndHandsOverThePayloadDecrypted() {
    for (int chunk : new int[] {1, 7, 96, 100_000}) {
      AnsweringHandshake ours = new AnsweringHandshake(keys, false, new SecureRandom());
      TestInitiator fresh = new TestInitiator();
      byte[] theirKey = TestInitiator.first(ours.greeting().toArray(), Mse.KEY_LENGTH);
      byte[] bytes = TestInitiator.concat(fresh.hello(300), fresh.request(theirKey, HELD, Mse.PLAINTEXT | Mse.RC4,
          40, PAYLOAD));
      AnsweringHandshake.Established done = run(ours, bytes, chunk);
      assertThat(done).as("chunks of " + chunk).isNotNull();
      assertThat(done.encrypted()).isFalse();
      assertThat(done.received().toArray()).isEqualTo(PAYLOAD);
      assertThat(fresh.chosen(done.reply().toArray())).isEqualTo(Mse.PLAINTEXT);
      assertThat(ours.torrent()).contains(HELD);
    }
  }

  @Test
  void choosesRc4WhenPreferredOrTheOnlyOneOffered() {
    AnsweringHandshake preferring = new AnsweringHandshake(keys, true, new SecureRandom());
    AnsweringHandshake.Established done = run(preferring, exchange(preferring, Mse.PLAINTEXT | Mse.RC4, 0), 1000);
    assertThat(done.encrypted()).isTrue();
    assertThat(remote.chosen(done.reply().toArray())).isEqualTo(Mse.RC4);

    TestInitiator only = new TestInitiator();
    AnsweringHandshake ours = new AnsweringHandshake(keys, false, new SecureRandom());
    byte[] theirKey = TestInitiator.first(ours.greeting().toArray(), Mse.KEY_LENGTH);
    done = run(ours, TestInitiator.concat(only.hello(512), only.request(theirKey, HELD, Mse.RC4, 512, PAYLOAD)), 64);
    assertThat(only.chosen(done.reply().toArray())).isEqualTo(Mse.RC4);
    assertThat(done.received().toArray()).isEqualTo(PAYLOAD);
    // From here on both directions are RC4, each under its own key.
    byte[] block = "a block of the torrent".getBytes(StandardCharsets.US_ASCII);
    assertThat(done.decrypt().apply(ByteString.fromArray(only.encrypt(block))).toArray()).isEqualTo(block);
    assertThat(only.decrypt(done.encrypt().apply(ByteString.fromArray(block)).toArray())).isEqualTo(block);
  }

  @Test
  void whatFollowsThePayloadInTheSameReadIsKeptForTheStream() {
    AnsweringHandshake ours = new AnsweringHandshake(keys, true, new SecureRandom());
    byte[] theirKey = TestInitiator.first(ours.greeting().toArray(), Mse.KEY_LENGTH);
    byte[] request = remote.request(theirKey, HELD, Mse.RC4, 0, PAYLOAD);
    byte[] next = remote.encrypt("interested".getBytes(StandardCharsets.US_ASCII));
    AnsweringHandshake.Established done = run(ours, TestInitiator.concat(remote.hello(5), request, next), 100_000);
    assertThat(new String(done.received().toArray(), StandardCharsets.US_ASCII))
        .isEqualTo(new String(PAYLOAD, StandardCharsets.US_ASCII) + "interested");
  }

  @Test
  void refusesATorrentTheNodeDoesNotHold() {
    AnsweringHandshake ours = new AnsweringHandshake(new TorrentKeys(), false, new SecureRandom());
    assertThatThrownBy(() -> run(ours, exchange(ours, Mse.PLAINTEXT, 0), 1000))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("an encrypted handshake with a torrent this node does not hold");
  }

  @Test
  void givesUpWhenNoSyncMarkerComesWithinTheLongestPadding() {
    AnsweringHandshake ours = new AnsweringHandshake(keys, false, new SecureRandom());
    byte[] noise = new byte[Mse.KEY_LENGTH + Mse.MAX_PADDING + Mse.HASH_LENGTH];
    new SecureRandom().nextBytes(noise);
    noise[0] = 0x40; // a key below the prime
    assertThat(ours.offer(ByteString.fromArray(noise, 0, noise.length - 1))).isNull();
    assertThatThrownBy(() -> ours.offer(ByteString.fromArray(noise, noise.length - 1, 1)))
        .hasMessage("an encrypted handshake with no sync marker within 512 bytes of padding");
  }

  @Test
  void refusesKeysThatAreNotKeysAndPaddingPastTheLimit() {
    AnsweringHandshake ours = new AnsweringHandshake(keys, false, new SecureRandom());
    byte[] one = new byte[Mse.KEY_LENGTH];
    one[Mse.KEY_LENGTH - 1] = 1;
    assertThatThrownBy(() -> ours.offer(ByteString.fromArray(one))).hasMessage(
        "an encrypted handshake with a public key that is not one");

    AnsweringHandshake other = new AnsweringHandshake(keys, false, new SecureRandom());
    assertThatThrownBy(() -> run(other, exchange(other, Mse.PLAINTEXT, 513), 1000)).hasMessage(
        "an encrypted handshake with 513 bytes of padding, more than 512");
  }

  @Test
  void refusesARemoteThatOffersNoMethodItKnows() {
    AnsweringHandshake ours = new AnsweringHandshake(keys, false, new SecureRandom());
    assertThatThrownBy(() -> run(ours, exchange(ours, 0x04, 0), 1000)).hasMessage(
        "an encrypted handshake with no method we know offered (0x4)");
  }
}
