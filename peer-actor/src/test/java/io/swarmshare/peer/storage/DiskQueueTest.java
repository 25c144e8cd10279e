package io.swarmshare.peer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DiskQueueTest {

  @Test
  void countsTasksWaitingForAThreadAndRunningOnOne() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      DiskQueue disk = new DiskQueue(pool);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(2);
      CountDownLatch done = new CountDownLatch(5);
      for (int i = 0; i < 5; i++) {
        disk.execute(() -> {
          started.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          done.countDown();
        });
      }
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      // Two threads hold a task each; the other three wait for them.
      assertThat(disk.running()).isEqualTo(2);
      assertThat(disk.waiting()).isEqualTo(3);
      release.countDown();
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(disk.running()).isZero();
      assertThat(disk.waiting()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRefusedTaskIsNotCounted() {
    DiskQueue disk = new DiskQueue(task -> {
      throw new RejectedExecutionException("shut down");
    });
    assertThatThrownBy(() -> disk.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    assertThat(disk.waiting()).isZero();
    assertThat(disk.running()).isZero();
  }
}
