package io.swarmshare.daemon.watch;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The watch directory's settings, {@code swarmshare.daemon.watch-dir} and {@code watch-interval};
 * reference.conf says what each is. No directory means no watching.
 */
public record WatchSettings(Optional<Path> dir, Duration interval) {

  public static WatchSettings from(Config root) {
    Config c = root.getConfig("swarmshare.daemon");
    String dir = c.getString("watch-dir");
    Duration interval = c.getDuration("watch-interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("swarmshare.daemon.watch-interval must be positive, got " + interval);
    }
    return new WatchSettings(dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir).toAbsolutePath().normalize()),
        interval);
  }
}
