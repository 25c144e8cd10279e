package io.swarmshare.peer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenFilesTest {

  @TempDir Path dir;
  final AtomicInteger opens = new AtomicInteger();

  OpenFiles cache(int capacity) {
    return new OpenFiles(capacity, new OpenFiles.Opener() {
      @Override
      public FileChannel open(int file, boolean write) throws IOException {
        opens.incrementAndGet();
        return write
            ? FileChannel.open(path(file), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)
            : FileChannel.open(path(file), StandardOpenOption.READ);
      }

      @Override
      public Path path(int file) {
        return dir.resolve("f" + file);
      }
    }, "test");
  }

  @Test
  void closesTheLeastRecentlyUsedChannelFirst() throws IOException {
    OpenFiles files = cache(2);
    FileChannel zero;
    FileChannel one;
    try (OpenFiles.Handle h = files.acquire(0, true)) {
      zero = h.channel();
    }
    try (OpenFiles.Handle h = files.acquire(1, true)) {
      one = h.channel();
    }
    try (OpenFiles.Handle h = files.acquire(0, false)) { // a writable channel serves reads too
      assertThat(h.channel()).isSameAs(zero);
    }
    try (OpenFiles.Handle h = files.acquire(2, true)) {
      assertThat(h.channel().isOpen()).isTrue();
    }
    assertThat(zero.isOpen()).isTrue();
    assertThat(one.isOpen()).isFalse();
    assertThat(files.openCount()).isEqualTo(2);
    assertThat(opens.get()).isEqualTo(3);
    files.close();
    assertThat(zero.isOpen()).isFalse();
    assertThat(files.openCount()).isZero();
  }

  @Test
  void waitsForAChannelInUseRatherThanClosingItOrOpeningMore() throws Exception {
    OpenFiles files = cache(1);
    OpenFiles.Handle held = files.acquire(0, true);
    AtomicReference<Thread> waiter = new AtomicReference<>();
    CompletableFuture<FileChannel> other = CompletableFuture.supplyAsync(() -> {
      waiter.set(Thread.currentThread());
      try (OpenFiles.Handle h = files.acquire(1, true)) {
        return h.channel();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(
        () -> waiter.get() != null && waiter.get().getState() == Thread.State.WAITING);
    assertThat(other).isNotDone();
    assertThat(held.channel().isOpen()).isTrue();
    assertThat(files.openCount()).isEqualTo(1);

    held.close();
    FileChannel second = other.get(10, TimeUnit.SECONDS);
    assertThat(held.channel().isOpen()).isFalse();
    assertThat(second.isOpen()).isTrue();
    assertThat(files.peakOpenCount()).isEqualTo(1);
    files.close();
  }

  @Test
  void reopensAReadOnlyChannelForWritingOnceItsReaderIsDone() throws IOException {
    OpenFiles files = cache(4);
    try (OpenFiles.Handle h = files.acquire(0, true)) {
      assertThat(h.channel().isOpen()).isTrue(); // creates the file
    }
    files.close();

    OpenFiles again = cache(1);
    OpenFiles.Handle reader = again.acquire(0, false);
    assertThatThrownBy(() -> reader.channel().write(ByteBuffer.allocate(1), 0))
        .isInstanceOf(NonWritableChannelException.class);
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try (OpenFiles.Handle h = again.acquire(0, true)) {
        h.channel().write(ByteBuffer.wrap(new byte[] {7}), 0);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    // The writer needs a second channel on the same file and the cache holds one: it waits.
    assertThat(reader.channel().isOpen()).isTrue();
    reader.close();
    writer.join();
    assertThat(reader.channel().isOpen()).isFalse();
    assertThat(again.openCount()).isEqualTo(1);
    again.close();
  }

  @Test
  void closesABusyChannelOnlyWhenItsUserIsDone() throws IOException {
    OpenFiles files = cache(2);
    OpenFiles.Handle held = files.acquire(0, true);
    files.close();
    assertThat(held.channel().isOpen()).isTrue();
    assertThat(files.openCount()).isEqualTo(1);
    held.close();
    assertThat(held.channel().isOpen()).isFalse();
    assertThat(files.openCount()).isZero();
    assertThatThrownBy(() -> files.acquire(0, false))
        .isInstanceOf(IOException.class)
        .hasMessage("the storage of test is closed");
  }

  @Test
  void replacesAChannelClosedBehindItsBack() throws IOException {
    // As an interrupt during I/O does.
    OpenFiles files = cache(2);
    FileChannel first;
    try (OpenFiles.Handle h = files.acquire(0, true)) {
      first = h.channel();
      first.close();
    }
    try (OpenFiles.Handle h = files.acquire(0, true)) {
      assertThat(h.channel()).isNotSameAs(first);
      assertThat(h.channel().isOpen()).isTrue();
    }
    assertThat(files.openCount()).isEqualTo(1);
    files.close();
  }
}
