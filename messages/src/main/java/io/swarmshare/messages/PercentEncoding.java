package io.swarmshare.messages;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of raw bytes, as trackers expect for {@code info_hash} and {@code peer_id}:
 * binary values are not text, so no charset is involved on the way in or out.
 */
public final class PercentEncoding {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PercentEncoding() {}

  /** Encodes every byte except RFC 3986 unreserved characters. */
  public static String encode(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (isUnreserved(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >>> 4]).append(HEX[c & 15]);
      }
    }
    return out.toString();
  }

  public static String encode(String text) {
    return encode(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes {@code %XX} escapes and, for query strings, {@code +} as a space. */
  public static byte[] decode(CharSequence text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          throw new MalformedMessageException("truncated percent escape at position " + i);
        }
        int hi = hexDigit(text.charAt(i + 1));
        int lo = hexDigit(text.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          throw new MalformedMessageException("invalid percent escape at position " + i);
        }
        out.write((hi << 4) | lo);
        i += 2;
      } else if (c == '+') {
        out.write(' ');
      } else if (c < 0x80) {
        out.write(c);
      } else {
        int codePoint = Character.codePointAt(text, i);
        byte[] utf8 = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        out.write(utf8, 0, utf8.length);
        i += Character.charCount(codePoint) - 1;
      }
    }
    return out.toByteArray();
  }

  public static String decodeText(CharSequence text) {
    return new String(decode(text), StandardCharsets.UTF_8);
  }

  /** ASCII hex only: {@link Character#digit} would also take other scripts' digits. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
