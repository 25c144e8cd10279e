package io.swarmshare.messages.tracker;

import io.swarmshare.messages.MalformedMessageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A tracker's announce URL: {@code udp://host:port/announce} (BEP 15) or
 * {@code http(s)://host[:port]/path} (BEP 3). Checked once, where it enters, so that everything
 * after can rely on a scheme, a host and a port.
 */
public record TrackerUrl(String scheme, String host, int port, String path, String text) {

  public static TrackerUrl parse(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw bad(text, e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("udp") && !scheme.equals("http") && !scheme.equals("https")) {
      throw bad(text, "the scheme must be udp, http or https");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw bad(text, "no host");
    }
    int port = uri.getPort();
    if (port == -1) {
      if (scheme.equals("udp")) {
        throw bad(text, "a udp tracker needs a port");
      }
      port = scheme.equals("https") ? 443 : 80;
    }
    if (port < 1 || port > 65535) {
      throw bad(text, "port " + port + " is outside 1..65535");
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return new TrackerUrl(scheme, uri.getHost(), port, path, text);
  }

  public boolean isUdp() {
    return scheme.equals("udp");
  }

  /**
   * Where the tracker's HTTP side is: the same host and port; a {@code udp://} tracker of ours
   * serves HTTP on its port number over TCP.
   */
  public String httpBase() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return (scheme.equals("https") ? "https" : "http") + "://" + h + ":" + port;
  }

  @Override
  public String toString() {
    return text;
  }

  private static MalformedMessageException bad(String text, String why) {
    return new MalformedMessageException(
        "bad tracker URL '" + text + "': " + why
            + " (expected udp://host:port/announce or http://host:port/announce)");
  }
}
