package io.swarmshare.tracker.catalogue;

import io.swarmshare.tracker.limits.RateLimiter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may publish to the catalogue. With keys configured, a request must present one (HTTP
 * {@code Authorization: Bearer KEY}); it publishes as that key's name, within its quota of stored
 * bytes and its rate of publications an hour. With none configured, only this host (a loopback
 * connection) may publish, as {@link Catalogue#LOCAL}, bounded by the catalogue's own limits.
 * Keys are compared in constant time. What it tracks: one token bucket per key.
 */
public final class Publishers {

  /** A configured key: its name (what owns names), its secret, its quota and its rate. */
  public record Key(String name, String secret, long quotaBytes, double perHour) {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final int MIN_SECRET_LENGTH = 16;

    public Key {
      if (!NAME.matcher(name).matches() || name.equals(Catalogue.LOCAL)) {
        throw new IllegalArgumentException("a publish key's name must be 1 to 64 of A-Z a-z 0-9 . _ - and not '"
            + Catalogue.LOCAL + "', got '" + Catalogue.oneLine(name) + "'");
      }
      if (secret.length() < MIN_SECRET_LENGTH) {
        throw new IllegalArgumentException("publish key '" + name + "' is shorter than " + MIN_SECRET_LENGTH
            + " characters: too easy to guess");
      }
      if (quotaBytes < 0 || perHour <= 0) {
        throw new IllegalArgumentException("publish key '" + name + "' needs quota >= 0 and per-hour > 0");
      }
    }

    @Override
    public String toString() {
      return "Key[" + name + "]"; // never the secret, in a log or an error
    }
  }

  /** What a publish request may do. */
  public sealed interface Admission {}

  /** It may publish, as {@code publisher}. */
  public record Admitted(Catalogue.Publisher publisher) implements Admission {}

  /** It may not; {@code status} is the HTTP status to answer with and {@code message} says why. */
  public record Refused(int status, String message, boolean rateLimited) implements Admission {}

  private final List<Key> keys;
  private final byte[][] secrets;
  private final RateLimiter[] buckets;
  private final long localQuota;

  /**
   * {@code burst}: publications a key may make at once before its hourly rate applies;
   * {@code localQuota}: what this host may store when no keys are configured.
   */
  public Publishers(List<Key> keys, int burst, long localQuota) {
    Set<String> names = new HashSet<>();
    for (Key k : keys) {
      if (!names.add(k.name())) {
        throw new IllegalArgumentException("two publish keys are named '" + k.name() + "'");
      }
    }
    this.keys = List.copyOf(keys);
    this.secrets = new byte[keys.size()][];
    for (int i = 0; i < keys.size(); i++) {
      secrets[i] = keys.get(i).secret().getBytes(StandardCharsets.UTF_8);
    }
    // One bucket per key, each with its own rate: a limiter per key keeps RateLimiter simple.
    this.buckets = new RateLimiter[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      buckets[i] = new RateLimiter(keys.get(i).perHour() / 3600.0, burst, 1);
    }
    this.localQuota = localQuota;
  }

  /** Whether a request presenting {@code presented} on a connection from {@code connection} may publish now. */
  public Admission admit(Optional<String> presented, InetAddress connection, long nowNanos) {
    if (keys.isEmpty()) {
      return connection.isLoopbackAddress()
          ? new Admitted(new Catalogue.Publisher(Catalogue.LOCAL, localQuota))
          : new Refused(403, "this tracker takes publications only from its own host (it has no publish keys)", false);
    }
    if (presented.isEmpty()) {
      return new Refused(401, "publishing needs a key: send it as 'Authorization: Bearer KEY'", false);
    }
    byte[] given = presented.get().getBytes(StandardCharsets.UTF_8);
    int match = -1;
    for (int i = 0; i < secrets.length; i++) {
      if (MessageDigest.isEqual(secrets[i], given)) {
        match = i;
      }
    }
    if (match < 0) {
      return new Refused(403, "that publish key is not known to this tracker", false);
    }
    Key key = keys.get(match);
    if (!buckets[match].tryAcquire(0, nowNanos)) {
      return new Refused(429, "publisher '" + key.name() + "' may publish " + key.perHour()
          + " torrents an hour; try again later", true);
    }
    return new Admitted(new Catalogue.Publisher(key.name(), key.quotaBytes()));
  }

  /** How many keys are configured. */
  public int keys() {
    return keys.size();
  }
}
