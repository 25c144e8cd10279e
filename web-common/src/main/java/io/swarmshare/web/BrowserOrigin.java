package io.swarmshare.web;

import java.util.Locale;
import java.util.Optional;

/**
 * The pages' rule for requests that change something (the tracker's {@code POST /torrents}, the
 * daemon's login and catalogue search): a browser says where a request comes from
 * ({@code Sec-Fetch-Site}, {@code Origin}) and another site's page cannot hide it, so a request
 * that a browser marks as coming from anywhere but the server's own page is refused. Command-line
 * clients send neither header and are unaffected. The tracker moreover refuses a publication
 * without a key (allowed only over loopback) from a browser unless the page was loaded from a
 * loopback name ({@link #loopbackName}), so that a site that rebinds its own name to 127.0.0.1
 * cannot publish through a browser running on the tracker's host.
 */
public final class BrowserOrigin {

  private BrowserOrigin() {}

  /** Why a browser's request must be refused, or empty when it may go on. */
  public static Optional<String> refusal(Optional<String> secFetchSite, Optional<String> origin,
      Optional<String> host) {
    if (secFetchSite.isPresent() && !secFetchSite.get().equalsIgnoreCase("same-origin")) {
      return Optional.of("a request from another site's page (" + oneWord(secFetchSite.get()) + ") is refused");
    }
    if (origin.isPresent()) {
      String h = host.orElse("");
      String o = origin.get();
      if (h.isEmpty() || !(o.equalsIgnoreCase("http://" + h) || o.equalsIgnoreCase("https://" + h))) {
        return Optional.of("a request from another site's page is refused");
      }
    }
    return Optional.empty();
  }

  /** Whether the request came from a browser at all (it names its origin or its fetch site). */
  public static boolean fromBrowser(Optional<String> secFetchSite, Optional<String> origin) {
    return secFetchSite.isPresent() || origin.isPresent();
  }

  /** Whether {@code host} (a Host header: name or literal, maybe a port) names this machine's loopback. */
  public static boolean loopbackName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end > 0 && h.substring(1, end).equals("::1");
    }
    int colon = h.indexOf(':');
    if (colon >= 0) {
      h = h.substring(0, colon);
    }
    return h.equals("localhost") || h.endsWith(".localhost") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  /** A header's value as safe to repeat in a message: letters and dashes, 20 at most. */
  private static String oneWord(String text) {
    String word = text.replaceAll("[^A-Za-z-]", "");
    return word.length() > 20 ? word.substring(0, 20) : word;
  }
}
