package io.swarmshare.messages;

import java.util.Arrays;
import java.util.HexFormat;

/** The SHA-1 of a torrent's bencoded {@code info} dictionary: the name of a swarm. */
public final class InfoHash implements Comparable<InfoHash> {

  public static final int LENGTH = 20;

  private final byte[] bytes;

  private InfoHash(byte[] bytes) {
    this.bytes = bytes;
  }

  public static InfoHash of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new MalformedMessageException(
          "an info hash is " + LENGTH + " bytes, got " + bytes.length);
    }
    return new InfoHash(bytes.clone());
  }

  /** Parses 40 hexadecimal digits, in either case. */
  public static InfoHash fromHex(String hex) {
    if (hex.length() != LENGTH * 2) {
      throw new MalformedMessageException(
          "an info hash is " + LENGTH * 2 + " hex digits, got " + hex.length());
    }
    try {
      return new InfoHash(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("an info hash must be hexadecimal: " + hex);
    }
  }

  /** Parses the 32-character base32 form used by some magnet links. */
  public static InfoHash fromBase32(String base32) {
    if (base32.length() != 32) {
      throw new MalformedMessageException(
          "a base32 info hash is 32 characters, got " + base32.length());
    }
    return new InfoHash(Base32.decode(base32));
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
    return o instanceof InfoHash other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(InfoHash other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
