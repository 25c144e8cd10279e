package io.swarmshare.messages;

import java.util.Arrays;

/** The SHA-1 of a torrent's bencoded {@code info} dictionary: the name of a swarm. */
public final class InfoHash extends TwentyBytes implements Comparable<InfoHash> {

  public static final int LENGTH = TwentyBytes.LENGTH;

  private InfoHash(byte[] bytes) {
    super(bytes);
  }

  public static InfoHash of(byte[] bytes) {
    return new InfoHash(checked(bytes, "an info hash"));
  }

  /** Parses 40 hexadecimal digits, in either case. */
  public static InfoHash fromHex(String hex) {
    return new InfoHash(parseHex(hex, "an info hash"));
  }

  /** Parses the 32-character base32 form used by some magnet links. */
  public static InfoHash fromBase32(String base32) {
    if (base32.length() != 32) {
      throw new MalformedMessageException(
          "a base32 info hash is 32 characters, got " + base32.length());
    }
    return new InfoHash(Base32.decode(base32));
  }

  @Override
  public int compareTo(InfoHash other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }
}
