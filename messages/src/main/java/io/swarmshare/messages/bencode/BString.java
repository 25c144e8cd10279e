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

  private BString(byte[] bytes, Span span) {
    super(span);
    this.bytes = bytes;
  }

  public static BString of(byte[] bytes) {
    return new BString(bytes.clone(), null);
  }

  public static BString of(String text) {
    return new BString(text.getBytes(StandardCharsets.UTF_8), null);
  }

  static BString decoded(byte[] bytes, Span span) {
    return new BString(bytes, span);
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
