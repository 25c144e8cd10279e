package io.swarmshare.peer.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may check a torrent's data on disk now: at most {@code slots} at a time, the rest waiting
 * in the order they asked (libtorrent checks one torrent at a time, so that fifty torrents added
 * together do not fight over the disk). Callers are identified by whatever the owner likes.
 *
 * @param <T> what identifies a torrent that wants to check
 */
public final class CheckQueue<T> {

  private final int slots;
  private final Set<T> checking = new LinkedHashSet<>();
  private final Deque<T> waiting = new ArrayDeque<>();

  public CheckQueue(int slots) {
    if (slots <= 0) {
      throw new IllegalArgumentException("checking needs at least one slot, got " + slots);
    }
    this.slots = slots;
  }

  /** {@code who} wants to check; true if it may start now, false if it waits its turn. */
  public boolean enter(T who) {
    if (checking.contains(who) || waiting.contains(who)) {
      return checking.contains(who);
    }
    if (checking.size() < slots) {
      checking.add(who);
      return true;
    }
    waiting.add(who);
    return false;
  }

  /** {@code who} finished its check or went away; returns those that may start now. */
  public List<T> leave(T who) {
    waiting.remove(who);
    List<T> next = new ArrayList<>();
    if (checking.remove(who)) {
      while (checking.size() < slots && !waiting.isEmpty()) {
        T first = waiting.poll();
        checking.add(first);
        next.add(first);
      }
    }
    return next;
  }

  public int checking() {
    return checking.size();
  }

  public int waiting() {
    return waiting.size();
  }

  /** Where {@code who} stands: 0 checking now, 1 next, and so on; -1 if it is not in the queue. */
  public int position(T who) {
    if (checking.contains(who)) {
      return 0;
    }
    int i = 1;
    for (T w : waiting) {
      if (w.equals(who)) {
        return i;
      }
      i++;
    }
    return -1;
  }
}
