package io.swarmshare.messages;

/**
 * Makes text from outside safe to print: a torrent's name, a path, a tracker's message. Control
 * characters (C0, DEL, C1) become {@code \xHH}; other characters that print nothing or reorder
 * what follows (bidi overrides and isolates, zero-width and other format characters, line and
 * paragraph separators, lone surrogates, unassigned code points) become {@code \}{@code uHHHH}
 * or {@code \UHHHHHHHH}; a backslash becomes two, so that an escape cannot be forged. Such text
 * can then neither start a new log line nor drive a terminal.
 */
public final class Printable {

  private Printable() {}

  /** {@code text} with every unprintable character replaced by a visible escape. */
  public static String escape(String text) {
    int i = 0;
    while (i < text.length()) {
      int c = text.codePointAt(i);
      if (needsEscape(c)) {
        break;
      }
      i += Character.charCount(c);
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
    while (i < text.length()) {
      int c = text.codePointAt(i);
      if (!needsEscape(c)) {
        out.appendCodePoint(c);
      } else if (c == '\\') {
        out.append("\\\\");
      } else if (c < 0x100) {
        out.append(String.format("\\x%02x", c));
      } else if (c < 0x10000) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.append(String.format("\\U%08x", c));
      }
      i += Character.charCount(c);
    }
    return out.toString();
  }

  private static boolean needsEscape(int c) {
    if (c >= 0x20 && c < 0x7f) {
      return c == '\\';
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR, Character.SURROGATE, Character.UNASSIGNED -> true;
      default -> false;
    };
  }
}
