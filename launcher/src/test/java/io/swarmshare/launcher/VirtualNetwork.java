package io.swarmshare.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Hosts on a private network: one network namespace per host, each with its own address on
 * 10.213.0.0/24, joined by a bridge that lives in a namespace of its own (so that no firewall of
 * the machine's stands between them). Needs root, which CI has; elsewhere without it the test is
 * skipped with the reason. Everything it creates it deletes on close.
 */
final class VirtualNetwork implements AutoCloseable {

  private final String tag = "ss" + Integer.toHexString(new Random().nextInt(0x10000));
  private final List<String> created = new ArrayList<>();
  private final int hosts;

  private VirtualNetwork(int hosts) {
    this.hosts = hosts;
  }

  static VirtualNetwork create(int hosts) throws IOException, InterruptedException {
    VirtualNetwork network = new VirtualNetwork(hosts);
    try {
      network.build();
    } catch (AssertionError failure) {
      network.close();
      if ("true".equals(System.getenv("CI"))) {
        throw failure;
      }
      Assumptions.abort("cannot create network namespaces here (root and iproute2 needed): " + failure.getMessage());
    }
    return network;
  }

  private void build() throws IOException, InterruptedException {
    String sw = tag + "-sw";
    ip("netns", "add", sw);
    created.add(sw);
    ip("-n", sw, "link", "add", "br0", "type", "bridge");
    ip("-n", sw, "link", "set", "br0", "up");
    for (int host = 1; host <= hosts; host++) {
      String ns = namespace(host);
      ip("netns", "add", ns);
      created.add(ns);
      ip("link", "add", "v" + host, "netns", sw, "type", "veth", "peer", "name", "eth0", "netns", ns);
      ip("-n", sw, "link", "set", "v" + host, "master", "br0");
      ip("-n", sw, "link", "set", "v" + host, "up");
      ip("-n", ns, "addr", "add", address(host) + "/24", "dev", "eth0");
      ip("-n", ns, "link", "set", "eth0", "up");
      ip("-n", ns, "link", "set", "lo", "up");
    }
  }

  private String namespace(int host) {
    return tag + "-h" + host;
  }

  /** Host {@code host}'s address, counting from 1. */
  String address(int host) {
    return "10.213.0." + host;
  }

  /** What runs a command on host {@code host}. */
  List<String> on(int host) {
    return List.of("ip", "netns", "exec", namespace(host));
  }

  /** Unplugs host {@code host}'s cable: its packets go nowhere until {@link #restore}. */
  void cut(int host) throws IOException, InterruptedException {
    ip("-n", tag + "-sw", "link", "set", "v" + host, "down");
  }

  void restore(int host) throws IOException, InterruptedException {
    ip("-n", tag + "-sw", "link", "set", "v" + host, "up");
  }

  /** Deleting a namespace deletes the links in it, and with them their other ends. */
  @Override
  public void close() throws IOException, InterruptedException {
    for (String ns : created) {
      try {
        ip("netns", "del", ns);
      } catch (AssertionError alreadyGone) {
        // keep deleting the others
      }
    }
    created.clear();
  }

  private static void ip(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException notInstalled) {
      throw new AssertionError(notInstalled.getMessage());
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + ": " + out);
    }
  }
}
