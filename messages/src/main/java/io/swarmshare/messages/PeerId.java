package io.swarmshare.messages;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The 20 bytes a peer names itself with in handshakes and announces. Ours follow the Azureus
 * convention ({@code -SS0100-} then random bytes) so that other clients can tell what we are.
 */
public final class PeerId extends TwentyBytes {

  public static final int LENGTH = TwentyBytes.LENGTH;
  private static final byte[] PREFIX = "-SS0100-".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private PeerId(byte[] bytes) {
    super(bytes);
  }

  public static PeerId of(byte[] bytes) {
    return new PeerId(checked(bytes, "a peer id"));
  }

  /** A fresh id for this process: our client prefix and twelve random bytes. */
  public static PeerId generate() {
    byte[] bytes = new byte[LENGTH];
    System.arraycopy(PREFIX, 0, bytes, 0, PREFIX.length);
    byte[] random = new byte[LENGTH - PREFIX.length];
    RANDOM.nextBytes(random);
    System.arraycopy(random, 0, bytes, PREFIX.length, random.length);
    return new PeerId(bytes);
  }

  public static PeerId fromHex(String hex) {
    return new PeerId(parseHex(hex, "a peer id"));
  }
}
