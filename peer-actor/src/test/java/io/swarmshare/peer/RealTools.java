package io.swarmshare.peer;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real BitTorrent software the interop tests run. Under CI=true a missing tool fails the test,
 * since .ci/run installs it; elsewhere the test is skipped with a message saying what to install.
 */
public final class RealTools {

  public static final String PYTHON = System.getProperty("swarmshare.python", "/usr/bin/python3");
  public static final Path OPENTRACKER = Path.of("/usr/bin/opentracker");

  private RealTools() {}

  public static void requireLibtorrent() throws Exception {
    boolean present = Files.isExecutable(Path.of(PYTHON))
        && new ProcessBuilder(PYTHON, "-c", "import libtorrent").start().waitFor() == 0;
    require(present, "python3-libtorrent");
  }

  public static void requireOpentracker() {
    require(Files.isExecutable(OPENTRACKER), "opentracker");
  }

  private static void require(boolean present, String what) {
    if (present) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail(what + " is not installed: .ci/run must install it");
    }
    assumeTrue(false, what + " is not installed (apt-get install " + what + "); skipping");
  }
}
