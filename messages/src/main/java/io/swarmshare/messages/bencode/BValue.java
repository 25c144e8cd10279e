package io.swarmshare.messages.bencode;

import java.util.Optional;

/**
 * A bencoded value (BEP 3). A value read by {@link BencodeDecoder} remembers its exact {@link Span}
 * in the input, because the info hash is the SHA-1 of the original bytes of the {@code info}
 * dictionary, never of a re-encoding. Equality compares content only. The span is kept as two
 * ints rather than an object, so that a tiny value costs one small object.
 */
public abstract sealed class BValue permits BInteger, BString, BList, BDict {

  private final int start;
  private final int end;

  /** A value built in code, with no span. */
  BValue() {
    this(-1, -1);
  }

  /** A decoded value that spans {@code [start, end)} of its input. */
  BValue(int start, int end) {
    this.start = start;
    this.end = end;
  }

  /** Where this value was in the decoded input; empty for a value built in code. */
  public Optional<Span> span() {
    return start < 0 ? Optional.empty() : Optional.of(new Span(start, end));
  }

  /** What this value is, for error messages: "an integer", "a string", "a list", "a dictionary". */
  public abstract String kind();

  /** A byte range {@code [start, end)} of the input a value was decoded from. */
  public record Span(int start, int end) {
    public int length() {
      return end - start;
    }
  }
}
