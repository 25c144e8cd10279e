package io.swarmshare.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The built jar running in the background, as a long-lived node; its output is kept line by line. */
final class Background implements AutoCloseable {

  /** What a tracker started with {@code --host 127.0.0.1} logs once it is up; group 1 is its port. */
  static final String TRACKER_UP = "tracker up: udp://127\\.0\\.0\\.1:(\\d+)/announce";

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private Background(Process process) {
    this.process = process;
    this.reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "background-output");
    reader.setDaemon(true);
    reader.start();
  }

  static Background start(Path workDir, String... args) throws IOException {
    return start(workDir, List.of(), args);
  }

  /** With settings as system properties ({@code swarmshare.tracker.announce-interval=2s}, say). */
  static Background start(Path workDir, List<String> settings, String... args) throws IOException {
    return start(workDir, List.of(), settings, args);
  }

  /** Run through {@code prefix} ({@code ip netns exec NAME}, say), with settings as above. */
  static Background start(Path workDir, List<String> prefix, List<String> settings, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    settings.forEach(s -> command.add("-D" + s));
    command.addAll(List.of("-jar", Cli.jar().toAbsolutePath().toString()));
    command.addAll(List.of(args));
    return new Background(new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start());
  }

  /** Waits for a line of output matching {@code regex}; returns its match. */
  Matcher await(String regex, Duration timeout) throws InterruptedException {
    return await(regex, timeout, 0);
  }

  long pid() {
    return process.pid();
  }

  /** How many lines the process has written so far. */
  int lines() {
    synchronized (lines) {
      return lines.size();
    }
  }

  /** Waits for a line matching {@code regex} among those from line {@code from} on. */
  Matcher await(String regex, Duration timeout, int from) throws InterruptedException {
    Pattern pattern = Pattern.compile(regex);
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = from;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          Matcher m = pattern.matcher(lines.get(seen));
          if (m.find()) {
            return m;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && seen == lines.size())) {
          throw new AssertionError("no line matching " + regex + " in:\n" + String.join("\n", lines));
        }
        lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
      }
    }
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** Asks the process to stop as Ctrl-C or a service manager would (SIGTERM), and waits for it. */
  int stop(Duration timeout) throws InterruptedException {
    // Through the handle: Process.destroy() would also close our end of its output.
    process.toHandle().destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the process did not stop within " + timeout + ":\n" + output());
    }
    reader.join(timeout.toMillis());
    return process.exitValue();
  }

  /** Waits for the process to end by itself; returns its exit code. */
  int exitCode(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the process did not end within " + timeout + ":\n" + output());
    }
    reader.join(timeout.toMillis());
    return process.exitValue();
  }

  /** {@code kill -9}: the process gets no chance to close, flush or say goodbye. */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the process outlived SIGKILL");
    }
    reader.join(30_000);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
