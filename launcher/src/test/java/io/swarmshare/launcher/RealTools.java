package io.swarmshare.launcher;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real BitTorrent tools the interop tests run. Under CI=true a missing tool fails the test,
 * since .ci/run installs them; elsewhere the test is skipped with a message saying what to install.
 */
final class RealTools {

  static final String PYTHON = System.getProperty("swarmshare.python", "/usr/bin/python3");

  static void requireLibtorrent() throws Exception {
    boolean present = Files.isExecutable(Path.of(PYTHON))
        && run(Path.of("."), PYTHON, "-c", "import libtorrent").exitCode() == 0;
    require(present, "python3-libtorrent (import libtorrent in " + PYTHON + ")");
  }

  static void requireMktorrent() throws Exception {
    require(onPath("mktorrent"), "mktorrent");
  }

  static void requireTransmissionRemote() throws Exception {
    require(onPath("transmission-remote"), "transmission-remote (transmission-cli)");
  }

  /** Debian's Chromium and its driver, for the browser tests. */
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  static void requireChromium() {
    require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        CHROMIUM + " or " + CHROMEDRIVER + " (chromium, chromium-driver)");
  }

  private static void require(boolean present, String what) {
    if (!present) {
      String message = what + " is not installed (apt-get install python3-libtorrent mktorrent transmission-cli "
          + "chromium chromium-driver)";
      if ("true".equals(System.getenv("CI"))) {
        fail(message + ": .ci/run must install it");
      }
      assumeTrue(false, message + "; skipping");
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  static Cli.Result run(Path workDir, String... command) throws IOException, InterruptedException {
    return Cli.exec(workDir, List.of(command));
  }

  private RealTools() {}
}
