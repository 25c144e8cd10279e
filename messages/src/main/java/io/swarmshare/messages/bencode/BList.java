package io.swarmshare.messages.bencode;

import java.util.List;

/** A bencoded list: {@code l4:spami42ee}. */
public final class BList extends BValue {

  private final List<BValue> items;

  public BList(List<? extends BValue> items) {
    this(items, null);
  }

  BList(List<? extends BValue> items, Span span) {
    super(span);
    this.items = List.copyOf(items);
  }

  public List<BValue> items() {
    return items;
  }

  @Override
  public String kind() {
    return "a list";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BList other && items.equals(other.items);
  }

  @Override
  public int hashCode() {
    return items.hashCode();
  }

  @Override
  public String toString() {
    return items.toString();
  }
}
