package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built jar as a user would, in a given directory, and keeps what it printed. */
final class Cli {

  record Result(int exitCode, String out, String err) {
    /** The one-line error contract: exactly one line on stderr, no stack trace. */
    Result failsWithOneLine(String containing) {
      assertThat(exitCode).as("exit code; stderr: %s", err).isNotZero();
      assertThat(err.lines().toList()).as("stderr").hasSize(1);
      assertThat(err).contains(containing).doesNotContain("Exception", "\tat ");
      return this;
    }

    Result succeeds() {
      assertThat(exitCode).as("exit code; stderr: %s", err).isZero();
      return this;
    }
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("swarmshare.jar", "target/swarmshare.jar"));
    assertThat(jar).as("the runnable jar (built by mvn package)").exists();
    return jar;
  }

  static Result run(Path workDir, String... args) throws IOException, InterruptedException {
    return exec(workDir, jarCommand(args), Path.of("/dev/null"));
  }

  /** Runs the jar with {@code input} as its standard input. */
  static Result runWithInput(Path workDir, String input, String... args) throws IOException, InterruptedException {
    Path in = Files.createTempFile("cli", ".in");
    try {
      Files.writeString(in, input);
      return exec(workDir, jarCommand(args), in);
    } finally {
      Files.deleteIfExists(in);
    }
  }

  private static List<String> jarCommand(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toAbsolutePath().toString()));
    command.addAll(List.of(args));
    return command;
  }

  /** Runs any command to its end (five minutes at most, as a guard against hangs). */
  static Result exec(Path workDir, List<String> command) throws IOException, InterruptedException {
    return exec(workDir, command, Path.of("/dev/null"));
  }

  private static Result exec(Path workDir, List<String> command, Path input) throws IOException, InterruptedException {
    Path out = Files.createTempFile("cli", ".out");
    Path err = Files.createTempFile("cli", ".err");
    try {
      Process p = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(input.toFile()))
          .start();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 300 s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private Cli() {}
}
