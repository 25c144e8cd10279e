package io.swarmshare.messages.tracker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Reads an IP address written out in text, and nothing else: addresses in tracker replies and
 * announces come from strangers, and must never make us resolve a host name.
 */
public final class IpLiteral {

  private IpLiteral() {}

  public static Optional<InetAddress> parse(String text) {
    try {
      if (text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
        byte[] octets = new byte[4];
        String[] parts = text.split("\\.");
        for (int i = 0; i < 4; i++) {
          int octet = Integer.parseInt(parts[i]);
          if (octet > 255) {
            return Optional.empty();
          }
          octets[i] = (byte) octet;
        }
        return Optional.of(InetAddress.getByAddress(octets));
      }
      // A string with a colon is only ever parsed as an IPv6 literal, never looked up.
      if (text.contains(":") && text.matches("[0-9A-Fa-f:.]+")) {
        return Optional.of(InetAddress.getByName(text));
      }
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
