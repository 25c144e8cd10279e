package io.swarmshare.messages.bencode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A bencoded byte string: {@code 4:spam}. Bytes, not text: {@link #utf8()} decodes strictly and
 * says when the bytes are not UTF-8. Ordered as raw unsigned bytes, the order of dictionary keys.
 */
public final class BString extends BValue implements Comparable<BString> {

  private final byte[] bytes;

  /**
   * The contents of every string of zero or one byte, shared between the strings that hold them
   * (the bytes never leave this class unless copied), so that such a string costs one object.
   */
  private static final byte[][] SHORT = new byte[257][];

  static {
    SHORT[256] = new byte[0];
    for (int b = 0; b < 256; b++) {
      SHORT[b] = new byte[] {(byte) b};
    }
  }

  private BString(byte[] bytes) {
    this.bytes = bytes;
  }

  private BString(byte[] bytes, int start, int end) {
    super(start, end);
    this.bytes = bytes;
  }

  public static BString of(byte[] bytes) {
    return new BString(bytes.clone());
  }

  public static BString of(String text) {
    return new BString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The {@code length} bytes of {@code input} at {@code from}, a value spanning [start, end). */
  static BString decoded(byte[] input, int from, int length, int start, int end) {
    byte[] bytes;
    if (length == 0) {
      bytes = SHORT[256];
    } else if (length == 1) {
      bytes = SHORT[input[from] & 0xff];
    } else {
      bytes = Arrays.copyOfRange(input, from, from + length);
    }
    return new BString(bytes, start, end);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** The bytes as UTF-8 text, or empty if they are not valid UTF-8. */
  public Optional<String> utf8() {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** The bytes as text, with any invalid UTF-8 replaced: for messages and logs only. */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The bytes themselves, for the encoder: never handed out of this package. */
  byte[] unsafeBytes() {
    return bytes;
  }

  @Override
  public String kind() {
    return "a string";
  }

  @Override
  public int compareTo(BString other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BString other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return utf8().map(s -> '"' + s + '"').orElse("<" + bytes.length + " bytes>");
  }
}
