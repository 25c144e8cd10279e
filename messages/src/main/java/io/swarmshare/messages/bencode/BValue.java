package io.swarmshare.messages.bencode;

import java.util.Optional;

/**
 * A bencoded value (BEP 3). A value read by {@link BencodeDecoder} remembers its exact {@link Span}
 * in the input, because the info hash is the SHA-1 of the original bytes of the {@code info}
 * dictionary, never of a re-encoding. Equality compares content only.
 */
public abstract sealed class BValue permits BInteger, BString, BList, BDict {

  private final Span span;

  BValue(Span span) {
    this.span = span;
  }

  /** Where this value was in the decoded input; empty for a value built in code. */
  public Optional<Span> span() {
    return Optional.ofNullable(span);
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
