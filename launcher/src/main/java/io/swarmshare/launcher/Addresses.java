package io.swarmshare.launcher;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Checks of host names given on the command line, so that a typo fails at once and in words. */
final class Addresses {

  private Addresses() {}

  static void requireLiteralOrResolvable(String host, String option) {
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new Main.CommandFailure(option + " " + host + ": not an address this machine can resolve");
    }
  }
}
