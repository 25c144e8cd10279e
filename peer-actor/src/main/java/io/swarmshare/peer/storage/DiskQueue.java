package io.swarmshare.peer.storage;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's disk pool, counted: every read, write and hash of every torrent goes through here to
 * the blocking dispatcher, and this tracks how many tasks wait for one of its threads and how many
 * run on one now. The dispatcher's own queue is not visible, so the count is taken at the door:
 * a task waits from {@link #execute} until a thread starts it. Safe from any thread.
 */
public final class DiskQueue implements Executor {

  private final Executor pool;
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();

  public DiskQueue(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    waiting.incrementAndGet();
    try {
      pool.execute(() -> {
        waiting.decrementAndGet();
        running.incrementAndGet();
        try {
          task.run();
        } finally {
          running.decrementAndGet();
        }
      });
    } catch (RejectedExecutionException e) {
      waiting.decrementAndGet();
      throw e;
    }
  }

  /** Tasks handed to the pool that no thread has started yet. */
  public int waiting() {
    return waiting.get();
  }

  /** Tasks running on the pool's threads now. */
  public int running() {
    return running.get();
  }
}
