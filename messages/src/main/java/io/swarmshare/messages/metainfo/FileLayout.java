package io.swarmshare.messages.metainfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the bytes of a torrent live: the torrent is the concatenation of its files, so a byte
 * range (a piece, a block) may span several files. Maps ranges to per-file segments.
 */
public final class FileLayout {

  private final List<FileEntry> files;
  /** starts[i] is the torrent offset of file i's first byte; starts[n] is the total length. */
  private final long[] starts;

  public FileLayout(List<FileEntry> files) {
    this.files = List.copyOf(files);
    this.starts = new long[files.size() + 1];
    for (int i = 0; i < files.size(); i++) {
      starts[i + 1] = starts[i] + files.get(i).length();
    }
  }

  /** A run of bytes inside one file. */
  public record Segment(int fileIndex, long fileOffset, int length) {}

  public List<FileEntry> files() {
    return files;
  }

  public long totalLength() {
    return starts[files.size()];
  }

  /** The segments holding {@code length} bytes from torrent offset {@code offset}, in order. */
  public List<Segment> segments(long offset, int length) {
    if (offset < 0 || length < 0 || offset + length > totalLength()) {
      throw new IndexOutOfBoundsException(
          "range " + offset + "+" + length + " outside a torrent of " + totalLength() + " bytes");
    }
    List<Segment> segments = new ArrayList<>(2);
    int file = fileAt(offset);
    long position = offset;
    long end = offset + length;
    while (position < end) {
      long fileEnd = starts[file + 1];
      if (fileEnd > position) {
        int n = (int) (Math.min(end, fileEnd) - position);
        segments.add(new Segment(file, position - starts[file], n));
        position += n;
      }
      file++;
    }
    return segments;
  }

  /** The index of the file holding torrent offset {@code offset}, skipping empty files. */
  private int fileAt(long offset) {
    int i = Arrays.binarySearch(starts, 0, files.size(), offset);
    if (i < 0) {
      return -i - 2;
    }
    while (i + 1 < files.size() && starts[i + 1] == offset) {
      i++;
    }
    return i;
  }
}
