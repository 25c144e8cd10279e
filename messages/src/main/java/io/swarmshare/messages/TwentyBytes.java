package io.swarmshare.messages;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The shape shared by info hashes and peer ids: twenty opaque bytes with the textual forms that
 * trackers, magnet links and logs use. Values of different kinds are never equal.
 */
abstract class TwentyBytes {

  static final int LENGTH = 20;

  final byte[] bytes;

  TwentyBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A private copy of {@code bytes}, which must be {@link #LENGTH} long. */
  static byte[] checked(byte[] bytes, String what) {
    if (bytes.length != LENGTH) {
      throw new MalformedMessageException(what + " is " + LENGTH + " bytes, got " + bytes.length);
    }
    return bytes.clone();
  }

  /** Forty hexadecimal digits, in either case. */
  static byte[] parseHex(String hex, String what) {
    if (hex.length() != LENGTH * 2) {
      throw new MalformedMessageException(
          what + " is " + LENGTH * 2 + " hex digits, got " + hex.length());
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException(what + " must be hexadecimal: " + hex);
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
    return o != null && o.getClass() == getClass() && Arrays.equals(bytes, ((TwentyBytes) o).bytes);
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
