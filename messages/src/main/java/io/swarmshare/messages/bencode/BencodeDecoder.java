package io.swarmshare.messages.bencode;

import java.util.Arrays;

/**
 * Strict bencode reader. It rejects leading zeros, {@code -0}, lengths that are not integers or
 * run past the end (before allocating anything for them), duplicate keys, trailing bytes, and
 * input nested deeper or holding more values than its limits, so that no input can make it
 * recurse without bound. Keys out of order are accepted (some creators write them so) and sorted.
 *
 * <p>Memory: every value is one small object holding its span as two ints, empty containers and
 * strings of up to one byte share their contents, and the items of open containers wait in one
 * chunked stack that never copies, so decoding allocates at most about 24 bytes of heap per input
 * byte, whatever the shape (BencodeMemoryTest measures every worst shape against 32).
 */
public final class BencodeDecoder {

  /** libtorrent's limits: deep enough for any real torrent, far from a stack overflow. */
  public static final int DEFAULT_MAX_DEPTH = 100;

  public static final int DEFAULT_MAX_VALUES = 1_000_000;

  /** Above this the recursion itself would become a risk, whatever a caller configures. */
  private static final int DEPTH_CEILING = 1_000;

  private static final BencodeDecoder DEFAULT =
      new BencodeDecoder(DEFAULT_MAX_DEPTH, DEFAULT_MAX_VALUES);

  private final int maxDepth;
  private final int maxValues;

  public BencodeDecoder(int maxDepth, int maxValues) {
    if (maxDepth < 1 || maxDepth > DEPTH_CEILING) {
      throw new IllegalArgumentException("max depth must be 1.." + DEPTH_CEILING + ": " + maxDepth);
    }
    if (maxValues < 1) {
      throw new IllegalArgumentException("max values must be positive: " + maxValues);
    }
    this.maxDepth = maxDepth;
    this.maxValues = maxValues;
  }

  /** Decodes with the default limits. */
  public static BValue decode(byte[] input) {
    return DEFAULT.decodeAll(input);
  }

  /** Decodes exactly one value that must span the whole input. */
  public BValue decodeAll(byte[] input) {
    Reader reader = new Reader(input);
    BValue value = reader.value(0);
    if (reader.pos != input.length) {
      throw new BencodeException(
          reader.pos, "expected the end of input after a complete value, found more bytes");
    }
    return value;
  }

  /**
   * Decodes the one value at the start of {@code input} and ignores what follows it; its
   * {@link BValue#span()} says where it ended (BEP 9's data message puts raw bytes after a
   * dictionary).
   */
  public BValue decodePrefix(byte[] input) {
    return new Reader(input).value(0);
  }

  private final class Reader {
    private final byte[] in;
    private final Pending pending = new Pending();
    private int pos;
    private int values;

    Reader(byte[] in) {
      this.in = in;
    }

    BValue value(int depth) {
      if (pos >= in.length) {
        throw new BencodeException(pos, "expected a value, found the end of input");
      }
      count();
      byte b = in[pos];
      if (b == 'i') {
        return integer();
      }
      if (b >= '0' && b <= '9') {
        return string();
      }
      if (b == 'l' || b == 'd') {
        if (depth + 1 > maxDepth) {
          throw new BencodeException(pos, "nesting deeper than " + maxDepth + " levels");
        }
        return b == 'l' ? list(depth + 1) : dict(depth + 1);
      }
      throw new BencodeException(
          pos, "expected 'i', 'l', 'd' or a digit, found " + describe(b));
    }

    private void count() {
      if (++values > maxValues) {
        throw new BencodeException(pos, "more than " + maxValues + " values");
      }
    }

    private BInteger integer() {
      int start = pos++;
      long value = number('e', "integer");
      return new BInteger(value, start, pos);
    }

    private BString string() {
      int start = pos;
      long length = number(':', "string length");
      if (length > in.length - pos) {
        throw new BencodeException(
            start, "string of " + length + " bytes runs past the end of input ("
                + (in.length - pos) + " bytes left)");
      }
      int from = pos;
      pos += (int) length;
      return BString.decoded(in, from, (int) length, start, pos);
    }

    private BList list(int depth) {
      int start = pos++;
      int first = pending.size();
      while (true) {
        if (pos >= in.length) {
          throw new BencodeException(pos, "expected a list item or 'e', found the end of input");
        }
        if (in[pos] == 'e') {
          pos++;
          return new BList(pending.take(first), start, pos);
        }
        pending.push(value(depth));
      }
    }

    private BDict dict(int depth) {
      int start = pos++;
      int first = pending.size();
      BString previous = null;
      boolean sorted = true;
      while (true) {
        if (pos >= in.length) {
          throw new BencodeException(pos, "expected a dictionary key or 'e', found the end of input");
        }
        if (in[pos] == 'e') {
          pos++;
          BValue[] pairs = pending.take(first);
          return new BDict(sorted ? pairs : sortPairs(pairs), start, pos);
        }
        int keyAt = pos;
        if (in[pos] < '0' || in[pos] > '9') {
          throw new BencodeException(pos, "expected a string key, found " + describe(in[pos]));
        }
        count();
        BString key = string();
        if (previous != null) {
          int order = previous.compareTo(key);
          if (order == 0) {
            throw new BencodeException(keyAt, "duplicate dictionary key " + key);
          }
          sorted &= order < 0;
        }
        previous = key;
        pending.push(key);
        pending.push(value(depth));
      }
    }

    /** Puts the pairs of a dictionary whose keys came out of order in order, refusing duplicates. */
    private BValue[] sortPairs(BValue[] pairs) {
      Integer[] order = new Integer[pairs.length / 2];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      // Stable: of two equal keys, the later one in the input comes second.
      Arrays.sort(order, (a, b) -> ((BString) pairs[2 * a]).compareTo((BString) pairs[2 * b]));
      BValue[] sorted = new BValue[pairs.length];
      for (int i = 0; i < order.length; i++) {
        BString key = (BString) pairs[2 * order[i]];
        if (i > 0 && key.equals(sorted[2 * i - 2])) {
          throw new BencodeException(
              key.span().orElseThrow().start(), "duplicate dictionary key " + key);
        }
        sorted[2 * i] = key;
        sorted[2 * i + 1] = pairs[2 * order[i] + 1];
      }
      return sorted;
    }

    /** Reads a decimal number up to {@code end}, consuming the terminator. */
    private long number(char end, String what) {
      int start = pos;
      boolean negative = false;
      if (pos < in.length && in[pos] == '-') {
        negative = true;
        pos++;
      }
      int digitsAt = pos;
      // Accumulated as a negative number, whose range includes Long.MIN_VALUE.
      long negated = 0;
      while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
        int digit = in[pos] - '0';
        if (negated < (Long.MIN_VALUE + digit) / 10) {
          throw new BencodeException(start, what + " does not fit in 64 bits");
        }
        negated = negated * 10 - digit;
        pos++;
      }
      if (!negative && negated == Long.MIN_VALUE) {
        throw new BencodeException(start, what + " does not fit in 64 bits");
      }
      if (pos == digitsAt) {
        throw new BencodeException(pos, "expected a digit in " + what + ", found " + describeAt(pos));
      }
      if (in[digitsAt] == '0' && pos - digitsAt > 1) {
        throw new BencodeException(digitsAt, what + " has a leading zero");
      }
      if (negative && negated == 0) {
        throw new BencodeException(start, what + " is -0");
      }
      if (pos >= in.length || in[pos] != end) {
        throw new BencodeException(pos, "expected '" + end + "' after " + what + ", found " + describeAt(pos));
      }
      pos++;
      return negative ? negated : -negated;
    }

    private String describeAt(int at) {
      return at < in.length ? describe(in[at]) : "the end of input";
    }
  }

  /**
   * The items of the lists and dictionaries still open, innermost last. Chunks of a fixed size, so
   * that growing never copies: the garbage a decoding leaves is the chunks and one array per list.
   */
  private static final class Pending {
    private static final int CHUNK = 256;
    private static final BValue[] NONE = new BValue[0];

    private BValue[][] chunks = new BValue[4][];
    private int size;

    int size() {
      return size;
    }

    void push(BValue value) {
      int chunk = size / CHUNK;
      if (chunk == chunks.length) {
        chunks = Arrays.copyOf(chunks, 2 * chunks.length);
      }
      if (chunks[chunk] == null) {
        chunks[chunk] = new BValue[CHUNK];
      }
      chunks[chunk][size % CHUNK] = value;
      size++;
    }

    /** Removes the items from {@code first} on and returns them in order. */
    BValue[] take(int first) {
      if (first == size) {
        return NONE;
      }
      BValue[] out = new BValue[size - first];
      for (int i = first; i < size; ) {
        int n = Math.min(CHUNK - i % CHUNK, size - i);
        System.arraycopy(chunks[i / CHUNK], i % CHUNK, out, i - first, n);
        i += n;
      }
      size = first;
      return out;
    }
  }

  private static String describe(byte b) {
    int c = b & 0xff;
    return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
  }
}
