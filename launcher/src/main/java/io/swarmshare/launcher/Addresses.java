package io.swarmshare.launcher;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Checks of host names given on the command line, so that a typo fails at once and in words. */
final class Addresses {

  private Addresses() {}

  /** {@code host:port} or {@code [v6]:port}, resolved now, so that a typo fails at once. */
  static InetSocketAddress hostAndPort(String text, String option) {
    int colon = text.lastIndexOf(':');
    String host = colon > 0 ? text.substring(0, colon) : "";
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new Main.CommandFailure(option + " " + text + ": expected HOST:PORT with a port from 1 to 65535");
    }
    requireLiteralOrResolvable(host, option);
    return new InetSocketAddress(host, port);
  }

  static void requireLiteralOrResolvable(String host, String option) {
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new Main.CommandFailure(option + " " + host + ": not an address this machine can resolve");
    }
  }
}
