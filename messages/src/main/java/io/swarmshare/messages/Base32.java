package io.swarmshare.messages;

/** RFC 4648 base32, upper case, no padding: the alphabet of base32 magnet links (BEP 9). */
public final class Base32 {

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private Base32() {}

  public static String encode(byte[] bytes) {
    StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  /**
   * Decodes case-insensitively; rejects characters outside the alphabet and padding. Only ASCII
   * letters change case: {@link String#toUpperCase} would turn one character into several (the
   * ligature U+FB00 into "FF"), and so a 32-character hash into more than 20 bytes.
   */
  public static byte[] decode(String text) {
    byte[] out = new byte[text.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int value = ALPHABET.indexOf(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
      if (value < 0) {
        throw new MalformedMessageException(
            "invalid base32 character '" + text.charAt(i) + "' at position " + i);
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    return out;
  }
}
