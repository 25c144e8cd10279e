package io.swarmshare.messages.bencode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** A bencoded dictionary: {@code d3:cow3:mooe}. Keys are byte strings, kept sorted as raw bytes. */
public final class BDict extends BValue {

  private final SortedMap<BString, BValue> entries;

  public BDict(Map<BString, ? extends BValue> entries) {
    this(entries, null);
  }

  BDict(Map<BString, ? extends BValue> entries, Span span) {
    super(span);
    this.entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
  }

  public SortedMap<BString, BValue> entries() {
    return entries;
  }

  public Optional<BValue> get(String key) {
    return Optional.ofNullable(entries.get(BString.of(key)));
  }

  public boolean containsKey(String key) {
    return entries.containsKey(BString.of(key));
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
    return o instanceof BDict other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return entries.toString();
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
