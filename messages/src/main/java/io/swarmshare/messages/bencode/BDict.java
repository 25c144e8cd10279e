package io.swarmshare.messages.bencode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A bencoded dictionary: {@code d3:cow3:mooe}. Keys are byte strings, kept sorted as raw bytes.
 * The entries are one array of keys and values in turn, so that a small dictionary costs two
 * objects and an empty one a single object.
 */
public final class BDict extends BValue {

  private static final BValue[] EMPTY = new BValue[0];

  /** key 0, value 0, key 1, value 1, ...: keys strictly increasing; never changed once built. */
  private final BValue[] pairs;

  public BDict(Map<BString, ? extends BValue> entries) {
    this.pairs = pairsOf(new TreeMap<>(entries));
  }

  /** A decoded dictionary; takes {@code pairs}, sorted and free of duplicates, which no one else holds. */
  BDict(BValue[] pairs, int start, int end) {
    super(start, end);
    this.pairs = pairs.length == 0 ? EMPTY : pairs;
  }

  private static BValue[] pairsOf(TreeMap<BString, ? extends BValue> sorted) {
    if (sorted.isEmpty()) {
      return EMPTY;
    }
    BValue[] pairs = new BValue[2 * sorted.size()];
    int i = 0;
    for (Map.Entry<BString, ? extends BValue> e : sorted.entrySet()) {
      pairs[i++] = e.getKey();
      pairs[i++] = Objects.requireNonNull(e.getValue(), "a dictionary value is null");
    }
    return pairs;
  }

  /** The entries in key order, as a map that cannot be changed. */
  public Map<BString, BValue> entries() {
    return new Entries();
  }

  public Optional<BValue> get(String key) {
    return Optional.ofNullable(find(BString.of(key)));
  }

  public boolean containsKey(String key) {
    return find(BString.of(key)) != null;
  }

  private BValue find(Object key) {
    if (!(key instanceof BString wanted)) {
      return null;
    }
    int low = 0;
    int high = pairs.length / 2 - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = ((BString) pairs[2 * mid]).compareTo(wanted);
      if (c == 0) {
        return pairs[2 * mid + 1];
      }
      if (c < 0) {
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return null;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String kind() {
    return "a dictionary";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BDict other && Arrays.equals(pairs, other.pairs);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(pairs);
  }

  @Override
  public String toString() {
    return entries().toString();
  }

  /** A read-only view of the pairs: iteration in key order, look-ups by binary search. */
  private final class Entries extends AbstractMap<BString, BValue> {

    @Override
    public BValue get(Object key) {
      return find(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return find(key) != null;
    }

    @Override
    public Set<Map.Entry<BString, BValue>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public int size() {
          return pairs.length / 2;
        }

        @Override
        public Iterator<Map.Entry<BString, BValue>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < pairs.length;
            }

            @Override
            public Map.Entry<BString, BValue> next() {
              if (next >= pairs.length) {
                throw new NoSuchElementException();
              }
              Map.Entry<BString, BValue> e =
                  new SimpleImmutableEntry<>((BString) pairs[next], pairs[next + 1]);
              next += 2;
              return e;
            }
          };
        }
      };
    }
  }

  /** Builds a dictionary from text keys; absent optional values are simply left out. */
  public static final class Builder {
    private final Map<BString, BValue> entries = new LinkedHashMap<>();

    public Builder put(String key, BValue value) {
      entries.put(BString.of(key), value);
      return this;
    }

    public Builder put(String key, String value) {
      return put(key, BString.of(value));
    }

    public Builder put(String key, byte[] value) {
      return put(key, BString.of(value));
    }

    public Builder put(String key, long value) {
      return put(key, new BInteger(value));
    }

    public BDict build() {
      return new BDict(entries);
    }
  }
}
