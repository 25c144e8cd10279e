package io.swarmshare.peer.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The open file channels of one torrent: at most {@code capacity} at a time, so that a torrent of
 * 10,000 files does not use 10,000 descriptors. Tracks, per file index, one channel, whether it
 * was opened for writing, and how many threads are using it right now.
 *
 * <p>When a file must be opened and {@code capacity} channels are open, the least recently used
 * idle one is closed. A channel in use is never closed under its user: if it must go (its file is
 * now to be written and it was opened read-only, or the storage is closing) it leaves the cache
 * and closes when its last user releases it, and it still counts as open until then. If every
 * open channel is in use, {@link #acquire} waits for one to be released; a thread never holds
 * more than one handle at a time, so this cannot deadlock.
 *
 * <p>Thread-safe: every method is synchronized; files are opened under the lock (opening is short,
 * reading and writing happen outside it).
 */
final class OpenFiles implements Closeable {

  /** Opens the file with the given index, read-only or for writing (creating it). */
  interface Opener {
    FileChannel open(int file, boolean write) throws IOException;

    Path path(int file);
  }

  /** A channel lent to one thread until {@link #close}. */
  final class Handle implements AutoCloseable {
    private final int file;
    private final FileChannel channel;
    private final boolean writable;
    private int users;
    private boolean retired;

    private Handle(int file, FileChannel channel, boolean writable) {
      this.file = file;
      this.channel = channel;
      this.writable = writable;
    }

    FileChannel channel() {
      return channel;
    }

    Path path() {
      return opener.path(file);
    }

    /** Gives the channel back; closes it if it was retired while in use. */
    @Override
    public void close() throws IOException {
      release(this);
    }
  }

  private final int capacity;
  private final Opener opener;
  private final String owner;
  /** Access-ordered: iteration starts at the least recently used. */
  private final LinkedHashMap<Integer, Handle> cached = new LinkedHashMap<>(16, 0.75f, true);
  /** Channels open now: those cached plus those retired but still in use. */
  private int open;
  private int peak;
  private boolean closed;

  OpenFiles(int capacity, Opener opener, String owner) {
    if (capacity < 1) {
      throw new IllegalArgumentException("at least one open file is needed, got " + capacity);
    }
    this.capacity = capacity;
    this.opener = opener;
    this.owner = owner;
  }

  /** A channel on {@code file}, writable if {@code write}; give it back with {@link Handle#close}. */
  synchronized Handle acquire(int file, boolean write) throws IOException {
    while (true) {
      if (closed) {
        throw new IOException("the storage of " + owner + " is closed");
      }
      Handle handle = cached.get(file);
      if (handle != null) {
        // A channel can be closed behind our back by an interrupt during I/O: open a new one.
        if (handle.channel.isOpen() && (handle.writable || !write)) {
          handle.users++;
          return handle;
        }
        cached.remove(file);
        retire(handle);
      }
      if (open < capacity) {
        break;
      }
      if (!closeLeastRecentlyUsedIdle()) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for a free file handle for "
              + opener.path(file));
        }
      }
    }
    Handle handle = new Handle(file, opener.open(file, write), write);
    handle.users = 1;
    cached.put(file, handle);
    open++;
    peak = Math.max(peak, open);
    return handle;
  }

  private synchronized void release(Handle handle) throws IOException {
    handle.users--;
    if (handle.users == 0) {
      notifyAll();
      if (handle.retired) {
        closeChannel(handle);
      }
    }
  }

  private boolean closeLeastRecentlyUsedIdle() throws IOException {
    Iterator<Handle> it = cached.values().iterator();
    while (it.hasNext()) {
      Handle handle = it.next();
      if (handle.users == 0) {
        it.remove();
        retire(handle);
        return true;
      }
    }
    return false;
  }

  /** Takes a handle out of service: closes it now if idle, else when its last user is done. */
  private void retire(Handle handle) throws IOException {
    handle.retired = true;
    if (handle.users == 0) {
      closeChannel(handle);
    }
  }

  private void closeChannel(Handle handle) throws IOException {
    open--;
    notifyAll();
    try {
      handle.channel.close();
    } catch (IOException e) {
      throw new IOException("closing " + opener.path(handle.file) + " failed: " + e.getMessage(), e);
    }
  }

  /** Channels open now (cached or still in use); for tests. */
  synchronized int openCount() {
    return open;
  }

  /** The most channels ever open at once; for tests. */
  synchronized int peakOpenCount() {
    return peak;
  }

  /** Closes every idle channel now and every busy one when released; later acquires fail. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    List<Handle> handles = new ArrayList<>(cached.values());
    cached.clear();
    notifyAll();
    IOException failure = null;
    for (Handle handle : handles) {
      try {
        retire(handle);
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
