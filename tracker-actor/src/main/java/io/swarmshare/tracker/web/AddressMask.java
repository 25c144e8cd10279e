package io.swarmshare.tracker.web;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * How the tracker's page shows a peer's address to someone who may not see it: enough to tell
 * networks apart, not enough to reach a peer. IPv4 keeps its first two octets ({@code 10.1.x.x}),
 * IPv6 its first two groups ({@code 2001:db8:x:x:x:x:x:x}).
 */
public final class AddressMask {

  private AddressMask() {}

  public static String mask(InetAddress address) {
    byte[] a = address.getAddress();
    if (address instanceof Inet4Address) {
      return (a[0] & 0xff) + "." + (a[1] & 0xff) + ".x.x";
    }
    return Integer.toHexString(((a[0] & 0xff) << 8) | (a[1] & 0xff)) + ":"
        + Integer.toHexString(((a[2] & 0xff) << 8) | (a[3] & 0xff)) + ":x:x:x:x:x:x";
  }

  /** The whole address, as a URL would write it with a port ({@code [2001:db8::1]} for IPv6). */
  public static String full(InetAddress address) {
    String text = address.getHostAddress();
    int zone = text.indexOf('%');
    if (zone >= 0) {
      text = text.substring(0, zone);
    }
    return address instanceof Inet4Address ? text : "[" + text + "]";
  }
}
