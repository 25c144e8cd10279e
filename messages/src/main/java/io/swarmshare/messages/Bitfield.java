package io.swarmshare.messages;

import java.util.Arrays;

/**
 * Which of a torrent's pieces a peer has, in the wire order of BEP 3: piece 0 is the high bit of
 * the first byte, and the spare bits at the end of the last byte are always zero. Mutable; not
 * thread-safe.
 */
public final class Bitfield {

  private final int pieceCount;
  private final byte[] bits;
  private int cardinality;

  public Bitfield(int pieceCount) {
    if (pieceCount < 0) {
      throw new IllegalArgumentException("piece count must not be negative: " + pieceCount);
    }
    this.pieceCount = pieceCount;
    this.bits = new byte[byteLength(pieceCount)];
  }

  /** Reads a bitfield message's payload, which must have exactly the right length and no spare bits set. */
  public static Bitfield fromBytes(byte[] bytes, int pieceCount) {
    Bitfield field = new Bitfield(pieceCount);
    if (bytes.length != field.bits.length) {
      throw new MalformedMessageException(
          "a bitfield for " + pieceCount + " pieces is " + field.bits.length
              + " bytes, got " + bytes.length);
    }
    int spare = field.bits.length * 8 - pieceCount;
    if (spare > 0 && (bytes[bytes.length - 1] & ((1 << spare) - 1)) != 0) {
      throw new MalformedMessageException("a bitfield has spare bits set past piece " + (pieceCount - 1));
    }
    System.arraycopy(bytes, 0, field.bits, 0, bytes.length);
    for (byte b : bytes) {
      field.cardinality += Integer.bitCount(b & 0xff);
    }
    return field;
  }

  public static int byteLength(int pieceCount) {
    return (pieceCount + 7) / 8;
  }

  public static Bitfield full(int pieceCount) {
    Bitfield field = new Bitfield(pieceCount);
    for (int i = 0; i < pieceCount; i++) {
      field.set(i);
    }
    return field;
  }

  public int pieceCount() {
    return pieceCount;
  }

  public boolean get(int piece) {
    checkIndex(piece);
    return (bits[piece >>> 3] & (0x80 >>> (piece & 7))) != 0;
  }

  public void set(int piece) {
    if (!get(piece)) {
      bits[piece >>> 3] |= (byte) (0x80 >>> (piece & 7));
      cardinality++;
    }
  }

  public void clear(int piece) {
    if (get(piece)) {
      bits[piece >>> 3] &= (byte) ~(0x80 >>> (piece & 7));
      cardinality--;
    }
  }

  /** How many pieces are set. */
  public int cardinality() {
    return cardinality;
  }

  public boolean isComplete() {
    return cardinality == pieceCount;
  }

  public boolean isEmpty() {
    return cardinality == 0;
  }

  /** The first piece at or after {@code from} that is set, or -1. */
  public int nextSet(int from) {
    for (int i = Math.max(from, 0); i < pieceCount; i++) {
      if (get(i)) {
        return i;
      }
    }
    return -1;
  }

  /** The first piece at or after {@code from} that is not set, or -1. */
  public int nextClear(int from) {
    for (int i = Math.max(from, 0); i < pieceCount; i++) {
      if (!get(i)) {
        return i;
      }
    }
    return -1;
  }

  public byte[] toBytes() {
    return bits.clone();
  }

  public Bitfield copy() {
    return fromBytes(bits, pieceCount);
  }

  private void checkIndex(int piece) {
    if (piece < 0 || piece >= pieceCount) {
      throw new IndexOutOfBoundsException("piece " + piece + " of " + pieceCount);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bitfield other
        && pieceCount == other.pieceCount
        && Arrays.equals(bits, other.bits);
  }

  @Override
  public int hashCode() {
    return 31 * pieceCount + Arrays.hashCode(bits);
  }

  @Override
  public String toString() {
    return "Bitfield[" + cardinality + "/" + pieceCount + "]";
  }
}
