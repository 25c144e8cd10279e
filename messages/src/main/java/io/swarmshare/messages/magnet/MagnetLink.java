package io.swarmshare.messages.magnet;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PercentEncoding;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A BEP 9 magnet link: {@code magnet:?xt=urn:btih:<40 hex or 32 base32>&dn=<name>&tr=<tracker>
 * &x.pe=<host:port>}. Other parameters are ignored, as clients do; the v1 {@code btih} topic is
 * required.
 */
public record MagnetLink(
    InfoHash infoHash, Optional<String> displayName, List<String> trackers, List<String> peers) {

  private static final String PREFIX = "magnet:?";
  private static final String BTIH = "urn:btih:";
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  /** A link longer than this is not a link a person or a client made. */
  public static final int MAX_LENGTH = 64 * 1024;

  public MagnetLink {
    trackers = List.copyOf(trackers);
    peers = List.copyOf(peers);
  }

  public static MagnetLink parse(String link) {
    if (link.length() > MAX_LENGTH) {
      throw invalid("longer than " + MAX_LENGTH + " characters");
    }
    if (!link.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw invalid("does not start with " + PREFIX);
    }
    InfoHash hash = null;
    String name = null;
    List<String> trackers = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    for (String parameter : link.substring(PREFIX.length()).split("&")) {
      if (parameter.isEmpty()) {
        continue;
      }
      int eq = parameter.indexOf('=');
      if (eq <= 0) {
        throw invalid("parameter '" + parameter + "' has no value");
      }
      String key = parameter.substring(0, eq);
      String value = PercentEncoding.decodeText(parameter.substring(eq + 1));
      switch (key) {
        case "xt" -> {
          if (value.regionMatches(true, 0, BTIH, 0, BTIH.length())) {
            InfoHash topic = infoHash(value.substring(BTIH.length()));
            if (hash != null && !hash.equals(topic)) {
              throw invalid("names two different info hashes");
            }
            hash = topic;
          }
        }
        case "dn" -> name = value;
        case "tr" -> trackers.add(value);
        case "x.pe" -> peers.add(peer(value));
        default -> { }
      }
    }
    if (hash == null) {
      throw invalid("has no xt=urn:btih: topic (only v1 info hashes are supported)");
    }
    return new MagnetLink(hash, Optional.ofNullable(name), trackers, peers);
  }

  /** The link in its usual form, with the info hash in hex. */
  public String format() {
    StringBuilder out = new StringBuilder(PREFIX).append("xt=").append(BTIH).append(infoHash.hex());
    displayName.ifPresent(n -> out.append("&dn=").append(PercentEncoding.encode(n)));
    trackers.forEach(t -> out.append("&tr=").append(PercentEncoding.encode(t)));
    peers.forEach(p -> out.append("&x.pe=").append(PercentEncoding.encode(p)));
    return out.toString();
  }

  /**
   * The {@code x.pe} peers as socket addresses. An address literal is taken as it is; a host name
   * is left unresolved, for the connection to resolve when it dials, so that reading a link never
   * waits for a name server.
   */
  public List<InetSocketAddress> peerAddresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String p : peers) {
      int colon = p.lastIndexOf(':');
      String host = p.substring(0, colon);
      int port = Integer.parseInt(p.substring(colon + 1));
      if (host.startsWith("[")) {
        out.add(new InetSocketAddress(host.substring(1, host.length() - 1), port)); // a literal: no lookup
      } else if (isIpv4(host)) {
        out.add(new InetSocketAddress(host, port));
      } else {
        out.add(InetSocketAddress.createUnresolved(host, port));
      }
    }
    return out;
  }

  private static boolean isIpv4(String host) {
    if (!IPV4.matcher(host).matches()) {
      return false;
    }
    for (String octet : host.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return format();
  }

  private static InfoHash infoHash(String text) {
    return switch (text.length()) {
      case 40 -> InfoHash.fromHex(text);
      case 32 -> InfoHash.fromBase32(text);
      default -> throw invalid(
          "info hash '" + text + "' is neither 40 hex digits nor 32 base32 characters");
    };
  }

  /** A {@code host:port} or {@code [v6]:port} peer address; no name is resolved here. */
  private static String peer(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw invalid("peer '" + value + "' is not host:port");
    }
    String host = value.substring(0, colon);
    if (host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
      throw invalid("peer '" + value + "': an IPv6 address must be in brackets");
    }
    String digits = value.substring(colon + 1);
    if (!digits.matches("[0-9]{1,5}")) {
      throw invalid("peer '" + value + "' has a port that is not a number");
    }
    int port = Integer.parseInt(digits);
    if (port < 1 || port > 65535) {
      throw invalid("peer '" + value + "' has port " + port + ", outside 1..65535");
    }
    return value;
  }

  private static MalformedMessageException invalid(String message) {
    return new MalformedMessageException("invalid magnet link: " + message);
  }
}
