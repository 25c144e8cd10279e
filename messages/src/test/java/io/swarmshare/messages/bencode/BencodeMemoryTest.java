package io.swarmshare.messages.bencode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Heap that decoding costs per input byte, for inputs made of as many tiny values as the limits
 * allow: the shapes that cost the most heap per byte. Measured as the bytes this thread
 * allocates while decoding (the garbage included), which bounds what the result keeps.
 */
class BencodeMemoryTest {

  /**
   * What decoding may allocate per input byte: 32 bytes at most, the garbage included. The worst
   * shape is the deepest nesting (a list and a one-item array for every two bytes); before the
   * compact representations, an input of empty dictionaries cost 128 bytes per byte.
   */
  static final int MAX_HEAP_PER_INPUT_BYTE = 32;

  /** Items in each input (a few values each): the whole under the decoder's value cap. */
  private static final int ITEMS = 75_000;

  enum Shape {
    EMPTY_DICTS(i -> "de"),
    EMPTY_LISTS(i -> "le"),
    EMPTY_STRINGS(i -> "0:"),
    ONE_BYTE_STRINGS(i -> "1:x"),
    ZEROS(i -> "i0e"),
    DICTS_OF_ONE_EMPTY_KEY(i -> "d0:dee"),
    NESTED_LISTS(i -> "llleee"),
    DEEPLY_NESTED_LISTS(i -> i % 10 == 0 ? "l".repeat(99) + "e".repeat(99) : "le"),
    DICTS_OF_LISTS(i -> "d0:le1:ale1:blee"),
    DICTS_OUT_OF_ORDER(i -> "d1:bde1:adee");

    final IntFunction<String> item;

    Shape(IntFunction<String> item) {
      this.item = item;
    }

    byte[] input() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(ascii("l"));
      for (int i = 0; i < ITEMS; i++) {
        out.writeBytes(ascii(item.apply(i)));
      }
      out.writeBytes(ascii("e"));
      return out.toByteArray();
    }
  }

  @ParameterizedTest
  @EnumSource(Shape.class)
  void decodingCostsAFewBytesOfHeapPerInputByte(Shape shape) {
    byte[] input = shape.input();
    BencodeDecoder.decode(input); // warm up, so that class loading is not counted
    long before = allocatedBytes();
    BValue value = BencodeDecoder.decode(input);
    long allocated = allocatedBytes() - before;
    assertThat(value.span()).contains(new BValue.Span(0, input.length));
    double perByte = (double) allocated / input.length;
    assertThat(perByte)
        .as("%s: %d bytes of input, %d bytes allocated", shape, input.length, allocated)
        .isLessThanOrEqualTo(MAX_HEAP_PER_INPUT_BYTE);
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
