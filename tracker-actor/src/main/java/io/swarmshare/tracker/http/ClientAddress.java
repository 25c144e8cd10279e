package io.swarmshare.tracker.http;

import io.swarmshare.messages.tracker.IpLiteral;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whose announce this is: the address of the TCP connection it came on, unless that connection
 * comes from one of the configured reverse proxies. Only then does what the request says count: the
 * proxy's headers (the last {@code X-Forwarded-For} entry, which is the one the proxy added, then
 * {@code X-Real-IP}, then the last {@code Forwarded: for=}), and the {@code ip} parameter when
 * {@code trust-ip-field} is on. Anyone else who sends those is ignored, so no one can register, or
 * send {@code stopped} for, an address they do not hold.
 */
final class ClientAddress {

  private final Set<InetAddress> trustedProxies;
  private final boolean trustIpField;

  ClientAddress(Set<InetAddress> trustedProxies, boolean trustIpField) {
    this.trustedProxies = Set.copyOf(trustedProxies);
    this.trustIpField = trustIpField;
  }

  /** What a request says about its client, besides the connection it came on. */
  record Claims(Optional<String> forwardedFor, Optional<String> realIp, Optional<String> forwarded,
      Optional<String> ipParameter) {}

  /** The client's address: {@code connection} itself unless it is a trusted proxy that names one. */
  InetAddress of(InetAddress connection, Claims claims) {
    if (!trustedProxies.contains(connection)) {
      return connection;
    }
    return claims.forwardedFor().flatMap(ClientAddress::lastForwardedFor)
        .or(() -> claims.realIp().flatMap(v -> IpLiteral.parse(v.trim())))
        .or(() -> claims.forwarded().flatMap(ClientAddress::lastForwarded))
        .or(() -> trustIpField ? claims.ipParameter().flatMap(v -> IpLiteral.parse(v.trim())) : Optional.empty())
        .orElse(connection);
  }

  private static Optional<InetAddress> lastForwardedFor(String header) {
    String[] hops = header.split(",", -1);
    return IpLiteral.parse(stripPort(hops[hops.length - 1].trim()));
  }

  /** RFC 7239: {@code for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"}; the last element is our proxy's. */
  private static Optional<InetAddress> lastForwarded(String header) {
    String[] elements = header.split(",", -1);
    for (String pair : elements[elements.length - 1].split(";")) {
      String p = pair.trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("for=")) {
        String value = p.substring(4).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return IpLiteral.parse(stripPort(value));
      }
    }
    return Optional.empty();
  }

  /** {@code [v6]:port} or {@code [v6]} to {@code v6}; {@code v4:port} to {@code v4}; anything else as is. */
  private static String stripPort(String hop) {
    if (hop.startsWith("[")) {
      int end = hop.indexOf(']');
      return end < 0 ? hop : hop.substring(1, end);
    }
    int colon = hop.indexOf(':');
    return colon >= 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
  }
}
