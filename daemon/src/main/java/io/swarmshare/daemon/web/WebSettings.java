package io.swarmshare.daemon.web;

import com.typesafe.config.Config;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.tracker.TrackerUrl;
import java.time.Duration;
import java.util.List;

/** The web UI's settings, read once from {@code swarmshare.daemon.web}; reference.conf says what each is. */
public record WebSettings(Duration updateInterval, int eventBuffer, Duration loginLifetime, int maxLogins,
    Duration keepAlive, List<String> catalogueTrackers) {

  public static WebSettings from(Config root) {
    Config c = root.getConfig("swarmshare.daemon.web");
    WebSettings s = new WebSettings(c.getDuration("update-interval"), c.getInt("event-buffer"),
        c.getDuration("login-lifetime"), c.getInt("max-logins"), c.getDuration("keep-alive"),
        List.copyOf(c.getStringList("catalogue-trackers")));
    for (String tracker : s.catalogueTrackers) {
      try {
        TrackerUrl.parse(tracker);
      } catch (MalformedMessageException e) {
        throw new IllegalArgumentException("swarmshare.daemon.web.catalogue-trackers: " + e.getMessage());
      }
    }
    if (s.updateInterval.isNegative() || s.updateInterval.isZero()) {
      throw new IllegalArgumentException("swarmshare.daemon.web.update-interval must be positive");
    }
    if (s.eventBuffer < 1 || s.maxLogins < 1) {
      throw new IllegalArgumentException("swarmshare.daemon.web.event-buffer and max-logins must be at least 1");
    }
    if (s.keepAlive.isNegative() || s.keepAlive.isZero()) {
      throw new IllegalArgumentException("swarmshare.daemon.web.keep-alive must be positive");
    }
    if (s.loginLifetime.isNegative() || s.loginLifetime.isZero()) {
      throw new IllegalArgumentException("swarmshare.daemon.web.login-lifetime must be positive");
    }
    return s;
  }
}
