package io.swarmshare.messages.bencode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes values in canonical bencode: dictionary keys sorted as raw bytes. */
public final class BencodeEncoder {

  private BencodeEncoder() {}

  public static byte[] encode(BValue value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      encode(value, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static void encode(BValue value, OutputStream out) throws IOException {
    if (value instanceof BInteger i) {
      out.write('i');
      out.write(ascii(Long.toString(i.value())));
      out.write('e');
    } else if (value instanceof BString s) {
      writeString(s, out);
    } else if (value instanceof BList l) {
      out.write('l');
      for (BValue item : l.items()) {
        encode(item, out);
      }
      out.write('e');
    } else if (value instanceof BDict d) {
      out.write('d');
      for (Map.Entry<BString, BValue> e : d.entries().entrySet()) {
        writeString(e.getKey(), out);
        encode(e.getValue(), out);
      }
      out.write('e');
    }
  }

  private static void writeString(BString s, OutputStream out) throws IOException {
    out.write(ascii(Integer.toString(s.length())));
    out.write(':');
    out.write(s.unsafeBytes());
  }

  private static byte[] ascii(String digits) {
    return digits.getBytes(StandardCharsets.US_ASCII);
  }
}
