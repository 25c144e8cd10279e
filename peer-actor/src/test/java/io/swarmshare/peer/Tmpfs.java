package io.swarmshare.peer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted on a test's directory: a disk that really fills up. Mounting needs root,
 * which CI has; elsewhere without it the test is skipped with the reason.
 */
final class Tmpfs implements AutoCloseable {

  private final Path where;

  private Tmpfs(Path where) {
    this.where = where;
  }

  static Tmpfs mount(Path where, long bytes) throws IOException, InterruptedException {
    String failure = run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", where.toString());
    if (failure != null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI must be able to mount a tmpfs: " + failure);
      }
      Assumptions.abort("cannot mount a tmpfs here (root needed): " + failure);
    }
    return new Tmpfs(where);
  }

  /** Makes the disk larger, keeping what is on it: the user who freed some space. */
  void grow(long bytes) throws IOException, InterruptedException {
    String failure = run("mount", "-o", "remount,size=" + bytes, where.toString());
    if (failure != null) {
      throw new AssertionError("cannot grow the tmpfs: " + failure);
    }
  }

  /** Lazily, so that a test that failed with files still open leaves no mount behind. */
  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", "-l", where.toString());
  }

  /** Null when the command succeeds, else what it said. */
  private static String run(String... command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(command));
    Process p;
    try {
      p = new ProcessBuilder(args).redirectErrorStream(true).start();
    } catch (IOException notThere) {
      return notThere.getMessage();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return String.join(" ", command) + " did not finish";
    }
    return p.exitValue() == 0 ? null : out.isEmpty() ? String.join(" ", command) + " failed" : out;
  }
}
