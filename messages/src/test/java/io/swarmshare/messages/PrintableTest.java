package io.swarmshare.messages;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PrintableTest {

  @Test
  void escapesWhatCouldForgeALogLineOrDriveATerminal() {
    assertThat(Printable.escape("a\nFAKE log line")).isEqualTo("a\\x0aFAKE log line");
    assertThat(Printable.escape("\u001b[2Jclear")).isEqualTo("\\x1b[2Jclear");
    assertThat(Printable.escape("del\u007f c1\u009b")).isEqualTo("del\\x7f c1\\x9b");
    assertThat(Printable.escape("evil\u202etxt.exe")).isEqualTo("evil\\u202etxt.exe");
    assertThat(Printable.escape("iso\u2066late\u2069 zw\u200b sep\u2028")).isEqualTo("iso\\u2066late\\u2069 zw\\u200b sep\\u2028");
    assertThat(Printable.escape("tag\uDB40\uDC41")).isEqualTo("tag\\U000e0041");
    assertThat(Printable.escape("lone\uD800")).isEqualTo("lone\\ud800");
    assertThat(Printable.escape("back\\x1b")).isEqualTo("back\\\\x1b");
  }

  @Test
  void leavesPrintableTextAlone() {
    String text = "Holiday 2024 (été) – 東京 🎉 файл.mp4";
    assertThat(Printable.escape(text)).isSameAs(text);
  }

  @Property
  void theEscapedTextHasNothingUnprintable(@ForAll String text) {
    Printable.escape(text).codePoints().forEach(c -> {
      assertThat(c).isBetween(0x20, 0x10ffff);
      assertThat(Character.getType(c))
          .isNotIn((int) Character.CONTROL, (int) Character.FORMAT, (int) Character.LINE_SEPARATOR,
              (int) Character.PARAGRAPH_SEPARATOR, (int) Character.SURROGATE, (int) Character.UNASSIGNED);
    });
  }
}
