package io.swarmshare.daemon.rpc;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The browsers logged in to the web UI with the RPC's username and password. Each login is a
 * random cookie value, which the browser sends by itself, and a random CSRF token, which only the
 * page's own script can read and must send with every request that changes something, so that
 * another site's form or script cannot act on the login. Logins last {@code lifetime}; at most
 * {@code max} are kept, the oldest going first, so that repeated logins cannot grow the table.
 * Called from the HTTP server's threads, hence synchronized.
 */
public final class BrowserLogins {

  /** The name of the login cookie. */
  public static final String COOKIE = "swarmshare-login";

  /** One login: the cookie's value, its CSRF token, and when it ends. */
  public record Login(String cookie, String csrfToken, Instant expires) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Duration lifetime;
  private final int max;
  private final Clock clock;
  /** By cookie, oldest first. */
  private final LinkedHashMap<String, Login> logins = new LinkedHashMap<>();

  public BrowserLogins(Duration lifetime, int max, Clock clock) {
    if (lifetime.isNegative() || lifetime.isZero() || max < 1) {
      throw new IllegalArgumentException("a login must last a while and at least one must be kept");
    }
    this.lifetime = lifetime;
    this.max = max;
    this.clock = clock;
  }

  public Duration lifetime() {
    return lifetime;
  }

  /** A new login, the oldest one dropped if there would be more than {@code max}. */
  public synchronized Login create() {
    dropExpired();
    while (logins.size() >= max) {
      Iterator<String> oldest = logins.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    Login login = new Login(token(), token(), clock.instant().plus(lifetime));
    logins.put(login.cookie(), login);
    return login;
  }

  /** The login whose cookie this is, if it has not ended. */
  public synchronized Optional<Login> find(String cookie) {
    dropExpired();
    return Optional.ofNullable(logins.get(cookie));
  }

  public synchronized void remove(String cookie) {
    logins.remove(cookie);
  }

  /** Logins end in the order they began, so the expired ones are at the front. */
  private void dropExpired() {
    Instant now = clock.instant();
    Iterator<Map.Entry<String, Login>> it = logins.entrySet().iterator();
    while (it.hasNext() && !it.next().getValue().expires().isAfter(now)) {
      it.remove();
    }
  }

  private static String token() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
