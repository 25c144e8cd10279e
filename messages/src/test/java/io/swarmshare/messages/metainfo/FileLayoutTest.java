package io.swarmshare.messages.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.metainfo.FileLayout.Segment;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FileLayoutTest {

  private static FileLayout layout(long... lengths) {
    List<FileEntry> files = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      files.add(new FileEntry(List.of("f" + i), lengths[i]));
    }
    return new FileLayout(files);
  }

  @Test
  void mapsAPieceThatSpansFilesAndSkipsEmptyOnes() {
    FileLayout layout = layout(10, 0, 5, 20);
    assertThat(layout.segments(8, 10)).containsExactly(
        new Segment(0, 8, 2), new Segment(2, 0, 5), new Segment(3, 0, 3));
    assertThat(layout.segments(10, 5)).containsExactly(new Segment(2, 0, 5));
    assertThat(layout.segments(0, 35)).hasSize(3);
    assertThat(layout.segments(35, 0)).isEmpty();
  }

  @Test
  void refusesARangeOutsideTheTorrent() {
    assertThatThrownBy(() -> layout(10).segments(5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> layout(10).segments(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Property
  void segmentsCoverTheRangeExactlyAndInOrder(
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 50) Integer> lengths,
      @ForAll @IntRange(min = 0, max = 400) int offset,
      @ForAll @IntRange(min = 0, max = 400) int length) {
    long[] ls = lengths.stream().mapToLong(Integer::longValue).toArray();
    FileLayout layout = layout(ls);
    Assume.that(offset + length <= layout.totalLength());
    long position = offset;
    for (Segment s : layout.segments(offset, length)) {
      assertThat(s.length()).isPositive();
      long fileStart = 0;
      for (int i = 0; i < s.fileIndex(); i++) {
        fileStart += ls[i];
      }
      assertThat(fileStart + s.fileOffset()).isEqualTo(position);
      assertThat(s.fileOffset() + s.length()).isLessThanOrEqualTo(ls[s.fileIndex()]);
      position += s.length();
    }
    assertThat(position).isEqualTo(offset + length);
  }

}
