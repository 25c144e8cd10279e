package io.swarmshare.messages.bencode;

/** A bencoded integer: {@code i42e}. */
public final class BInteger extends BValue {

  private final long value;

  public BInteger(long value) {
    this.value = value;
  }

  BInteger(long value, int start, int end) {
    super(start, end);
    this.value = value;
  }

  public long value() {
    return value;
  }

  @Override
  public String kind() {
    return "an integer";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BInteger other && value == other.value;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
