package io.swarmshare.messages.bencode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict bencode reader. It rejects leading zeros, {@code -0}, lengths that are not integers or
 * run past the end (before allocating anything for them), duplicate keys, trailing bytes, and
 * input nested deeper or holding more values than its limits, so that no input can make it use
 * more than a small multiple of the input's size in memory or recurse without bound.
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

  private final class Reader {
    private final byte[] in;
    private int pos;
    private int values;

    Reader(byte[] in) {
      this.in = in;
    }

    BValue value(int depth) {
      if (pos >= in.length) {
        throw new BencodeException(pos, "expected a value, found the end of input");
      }
      if (++values > maxValues) {
        throw new BencodeException(pos, "more than " + maxValues + " values");
      }
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

    private BInteger integer() {
      int start = pos++;
      long value = number('e', "integer");
      return new BInteger(value, new BValue.Span(start, pos));
    }

    private BString string() {
      int start = pos;
      long length = number(':', "string length");
      if (length > in.length - pos) {
        throw new BencodeException(
            start, "string of " + length + " bytes runs past the end of input ("
                + (in.length - pos) + " bytes left)");
      }
      byte[] bytes = new byte[(int) length];
      System.arraycopy(in, pos, bytes, 0, bytes.length);
      pos += bytes.length;
      return BString.decoded(bytes, new BValue.Span(start, pos));
    }

    private BList list(int depth) {
      int start = pos++;
      List<BValue> items = new ArrayList<>();
      while (true) {
        if (pos >= in.length) {
          throw new BencodeException(pos, "expected a list item or 'e', found the end of input");
        }
        if (in[pos] == 'e') {
          pos++;
          return new BList(items, new BValue.Span(start, pos));
        }
        items.add(value(depth));
      }
    }

    private BDict dict(int depth) {
      int start = pos++;
      Map<BString, BValue> entries = new LinkedHashMap<>();
      while (true) {
        if (pos >= in.length) {
          throw new BencodeException(pos, "expected a dictionary key or 'e', found the end of input");
        }
        if (in[pos] == 'e') {
          pos++;
          return new BDict(entries, new BValue.Span(start, pos));
        }
        int keyAt = pos;
        if (in[pos] < '0' || in[pos] > '9') {
          throw new BencodeException(pos, "expected a string key, found " + describe(in[pos]));
        }
        if (++values > maxValues) {
          throw new BencodeException(pos, "more than " + maxValues + " values");
        }
        BString key = string();
        if (entries.containsKey(key)) {
          throw new BencodeException(keyAt, "duplicate dictionary key " + key);
        }
        entries.put(key, value(depth));
      }
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

  private static String describe(byte b) {
    int c = b & 0xff;
    return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
  }
}
