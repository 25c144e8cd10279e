package io.swarmshare.daemon.watch;

import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which .torrent files of the watch directory are ready to be taken: a file is taken only once
 * two looks, at least {@code settle} apart, found it with the same size and modification time, so
 * that a file still being written (a browser's download, a slow copy) is never read half-written.
 * The gap matters because looks come in bursts: a WatchService notice right after a write, then
 * another for the next write, microseconds apart, would otherwise both see the first half.
 *
 * <p>It tracks, by file name: each file not yet taken, with its size and time as last seen and
 * the instant a look first saw them so ({@link #settling}); the files handed out and not yet
 * reported back ({@link #taking}); and the files that were taken but could not be renamed
 * ({@link #stuck}, with what they looked like), so that an unchanged one is not taken again at
 * every look. A file that a look no longer finds is forgotten, except while it is being taken.
 */
final class Settling {

  /** A file as a look found it. */
  record Seen(String name, long size, FileTime modified) {}

  private record Since(long size, FileTime modified, Instant since) {}

  private final Duration settle;
  private final Map<String, Since> settling = new HashMap<>();
  private final Set<String> taking = new HashSet<>();
  private final Map<String, Seen> stuck = new HashMap<>();

  Settling(Duration settle) {
    this.settle = settle;
  }

  /** Whether a file of this name is one to take: a .torrent, as Transmission's watch-dir. */
  static boolean wanted(String fileName) {
    return fileName.endsWith(".torrent");
  }

  /**
   * A look at {@code now} found {@code files} (every wanted file of the directory): the files now
   * due to be taken, in name order. Each is handed out once, until {@link #taken}.
   */
  List<String> look(Instant now, Collection<Seen> files) {
    Set<String> present = new HashSet<>();
    List<String> due = new ArrayList<>();
    for (Seen f : files) {
      present.add(f.name());
      if (taking.contains(f.name()) || f.equals(stuck.get(f.name()))) {
        continue;
      }
      stuck.remove(f.name());
      Since before = settling.get(f.name());
      if (before == null || before.size() != f.size() || !before.modified().equals(f.modified())) {
        settling.put(f.name(), new Since(f.size(), f.modified(), now));
      } else if (!now.isBefore(before.since().plus(settle))) {
        settling.remove(f.name());
        taking.add(f.name());
        due.add(f.name());
      }
    }
    settling.keySet().retainAll(present);
    stuck.keySet().retainAll(present);
    due.sort(null);
    return due;
  }

  /**
   * A file handed out by {@link #look} is done with. {@code notRenamed} is what it looked like if
   * it is still there under its name although its fate was decided (its rename failed): it is
   * then left alone until it changes. A file to be tried again later is reported with none.
   */
  void taken(String name, Optional<Seen> notRenamed) {
    taking.remove(name);
    notRenamed.ifPresent(seen -> stuck.put(name, seen));
  }

  /** The earliest instant at which a look could find a settling file due, if any is settling. */
  Optional<Instant> nextDue() {
    return settling.values().stream().map(s -> s.since().plus(settle)).min(Instant::compareTo);
  }

  /** The files seen but not yet settled, by name, with the size each had when last seen. */
  SortedMap<String, Long> settlingSizes() {
    SortedMap<String, Long> sizes = new TreeMap<>();
    settling.forEach((name, s) -> sizes.put(name, s.size()));
    return sizes;
  }
}
