package io.swarmshare.messages.bencode;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** A bencoded list: {@code l4:spami42ee}. */
public final class BList extends BValue {

  private static final BValue[] EMPTY = new BValue[0];

  /** Never changed once built; an empty list shares one empty array. */
  private final BValue[] items;

  public BList(List<? extends BValue> items) {
    this.items = items.isEmpty() ? EMPTY : items.toArray(BValue[]::new);
    for (BValue item : this.items) {
      if (item == null) {
        throw new NullPointerException("a list item is null");
      }
    }
  }

  /** A decoded list; takes {@code items}, which no one else holds. */
  BList(BValue[] items, int start, int end) {
    super(start, end);
    this.items = items.length == 0 ? EMPTY : items;
  }

  /** The items, in order; the list cannot be changed. */
  public List<BValue> items() {
    return Collections.unmodifiableList(Arrays.asList(items));
  }

  @Override
  public String kind() {
    return "a list";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BList other && Arrays.equals(items, other.items);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(items);
  }

  @Override
  public String toString() {
    return Arrays.toString(items);
  }
}
