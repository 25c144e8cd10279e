package io.swarmshare.messages;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 20 bytes a peer names itself with in handshakes and announces. Ours follow the Azureus
 * convention ({@code -SS0100-} then random bytes) so that other clients can tell what we are.
 */
public final class PeerId {

  public static final int LENGTH = 20;
  private static final byte[] PREFIX = "-SS0100-".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;

  private PeerId(byte[] bytes) {
    this.bytes = bytes;
  }

  public static PeerId of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new MalformedMessageException("a peer id is " + LENGTH + " bytes, got " + bytes.length);
    }
    return new PeerId(bytes.clone());
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
    if (hex.length() != LENGTH * 2) {
      throw new MalformedMessageException(
          "a peer id is " + LENGTH * 2 + " hex digits, got " + hex.length());
    }
    try {
      return new PeerId(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("a peer id must be hexadecimal: " + hex);
    }
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  public String base32() {
    return Base32.encode(bytes);
  }

  public String urlEncoded() {
    return PercentEncoding.encode(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
