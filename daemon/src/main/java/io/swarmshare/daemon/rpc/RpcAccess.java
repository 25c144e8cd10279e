package io.swarmshare.daemon.rpc;

import io.swarmshare.daemon.DaemonSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Cookie;
import org.apache.pekko.http.javadsl.model.headers.HttpCookiePair;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Who may call the RPC, as Transmission decides it, and who may use the web UI. A request must
 * name in its Host header an IP address, localhost, the RPC's own host or a whitelisted name, so
 * that a web page cannot reach the daemon through a name it controls (DNS rebinding); and, when a
 * username is configured (required off loopback), it must carry it and the password (HTTP basic),
 * or the cookie of a browser's login ({@link BrowserLogins}) and, unless it only reads (GET or
 * HEAD), that login's CSRF token in {@value #CSRF_HEADER}.
 */
public final class RpcAccess {

  /** The header that carries a browser login's CSRF token. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  private final Set<String> hosts;
  private final Optional<byte[]> credentials;
  private final BrowserLogins logins;

  public RpcAccess(DaemonSettings settings, BrowserLogins logins) {
    this.hosts = Stream.concat(Stream.of("localhost", settings.rpcHost()), settings.rpcHostWhitelist().stream())
        .map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    this.credentials = settings.rpcUsername().isEmpty() ? Optional.empty()
        : Optional.of((settings.rpcUsername() + ":" + settings.rpcPassword()).getBytes(StandardCharsets.UTF_8));
    this.logins = logins;
  }

  /** The refusal for {@code request}, or empty if it may go on. */
  public Optional<HttpResponse> check(HttpRequest request) {
    Optional<HttpResponse> misdirected = checkHost(request);
    if (misdirected.isPresent() || credentials.isEmpty() || authorized(request)) {
      return misdirected;
    }
    Optional<String> cookie = loginCookie(request);
    Optional<BrowserLogins.Login> login = cookie.flatMap(logins::find);
    if (login.isPresent()) {
      if (readOnly(request) || request.getHeader(CSRF_HEADER).map(HttpHeader::value)
          .filter(token -> MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
              login.get().csrfToken().getBytes(StandardCharsets.UTF_8))).isPresent()) {
        return Optional.empty();
      }
      return Optional.of(HttpResponse.create().withStatus(StatusCodes.FORBIDDEN)
          .withEntity("<h1>403: Forbidden</h1><p>missing or wrong " + CSRF_HEADER + "</p>"));
    }
    HttpResponse unauthorized = HttpResponse.create().withStatus(StatusCodes.UNAUTHORIZED)
        .withEntity("<h1>401: Unauthorized</h1>");
    // A page whose login ran out shows its own login form, not the browser's password dialog.
    return Optional.of(cookie.isPresent() ? unauthorized
        : unauthorized.addHeader(RawHeader.create("WWW-Authenticate", "Basic realm=\"Transmission\"")));
  }

  /** The refusal for a request whose Host header names a host the daemon does not answer to. */
  public Optional<HttpResponse> checkHost(HttpRequest request) {
    String host = request.getHeader("Host").map(HttpHeader::value).orElse("");
    if (!allowedHost(host)) {
      return Optional.of(HttpResponse.create().withStatus(StatusCodes.MISDIRECTED_REQUEST)
          .withEntity("<h1>421: Misdirected Request</h1><p>Unknown host '" + host.replaceAll("[^\\w.:\\[\\]-]", "?")
              + "': add it to swarmshare.daemon.rpc-host-whitelist</p>"));
    }
    return Optional.empty();
  }

  /** Whether callers must log in: a username is configured. */
  public boolean loginRequired() {
    return credentials.isPresent();
  }

  /** A browser's login with these credentials, if they are the RPC's. */
  public Optional<BrowserLogins.Login> logIn(String username, String password) {
    if (credentials.isEmpty() || !MessageDigest.isEqual((username + ":" + password).getBytes(StandardCharsets.UTF_8),
        credentials.get())) {
      return Optional.empty();
    }
    return Optional.of(logins.create());
  }

  /** The browser login that {@code request} carries, if it has not ended. */
  public Optional<BrowserLogins.Login> loginOf(HttpRequest request) {
    return loginCookie(request).flatMap(logins::find);
  }

  public void logOut(HttpRequest request) {
    loginCookie(request).ifPresent(logins::remove);
  }

  /** How long a browser login lasts. */
  public Duration loginLifetime() {
    return logins.lifetime();
  }

  private static boolean readOnly(HttpRequest request) {
    return request.method().equals(HttpMethods.GET) || request.method().equals(HttpMethods.HEAD);
  }

  private static Optional<String> loginCookie(HttpRequest request) {
    return request.getHeader(Cookie.class).flatMap(header -> {
      for (HttpCookiePair pair : header.getCookies()) {
        if (pair.name().equals(BrowserLogins.COOKIE)) {
          return Optional.of(pair.value());
        }
      }
      return Optional.empty();
    });
  }

  private boolean allowedHost(String header) {
    String host = header.toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      return host.indexOf(']') > 0; // an IPv6 literal
    }
    int colon = host.lastIndexOf(':');
    if (colon >= 0) {
      host = host.substring(0, colon);
    }
    return host.isEmpty() || hosts.contains(host) || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  private boolean authorized(HttpRequest request) {
    Optional<String> header = request.getHeader("Authorization").map(HttpHeader::value);
    if (header.isEmpty() || !header.get().regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(header.get().substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, credentials.get());
  }
}
