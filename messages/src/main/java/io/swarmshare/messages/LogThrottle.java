package io.swarmshare.messages;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Lets a repeated log line through once per window for each key (a remote's address, say) and
 * counts the ones it holds back, so that a remote repeating a fault cannot flood the log: the next
 * line that passes says how many were held back. At most {@code maxKeys} keys are remembered, the
 * oldest dropped first. Thread-safe.
 */
public final class LogThrottle {

  private static final class Key {
    long lastNanos;
    long heldBack;
  }

  private final long windowNanos;
  private final int maxKeys;
  private final LongSupplier nanoClock;
  private final Map<String, Key> keys = new LinkedHashMap<>();

  public LogThrottle(Duration window, int maxKeys) {
    this(window, maxKeys, System::nanoTime);
  }

  LogThrottle(Duration window, int maxKeys, LongSupplier nanoClock) {
    this.windowNanos = window.toNanos();
    this.maxKeys = maxKeys;
    this.nanoClock = nanoClock;
  }

  /**
   * Whether a line for {@code key} may be logged now: empty if it is to be held back, else what to
   * append to it, which is empty too when nothing was held back since the key's last line.
   */
  public synchronized Optional<String> admit(String key) {
    long now = nanoClock.getAsLong();
    Key k = keys.remove(key);
    if (k != null && now - k.lastNanos < windowNanos) {
      k.heldBack++;
      keys.put(key, k);
      return Optional.empty();
    }
    String suffix = k == null || k.heldBack == 0 ? ""
        : " (" + k.heldBack + " more like it since the last one logged)";
    k = new Key();
    k.lastNanos = now;
    keys.put(key, k);
    if (keys.size() > maxKeys) {
      Iterator<String> oldest = keys.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    return Optional.of(suffix);
  }
}
