package io.swarmshare.launcher;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a node is and does, read once from {@code swarmshare.node}; reference.conf says what each is.
 * {@code daemon}: the node's file has a {@code swarmshare.daemon} section, so its peer runs as a daemon.
 */
record NodeSettings(String name, Set<String> roles, boolean daemon, Path dataDir, List<String> trackers,
    List<Path> share, List<String> fetch) {

  static NodeSettings from(Config root, Path base, boolean daemon) {
    Config c = root.getConfig("swarmshare.node");
    String name = c.getString("name");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
      throw new IllegalArgumentException("swarmshare.node.name: '" + name
          + "' must be letters, digits, '-' and '_', starting with a letter or digit");
    }
    Set<String> roles = Set.copyOf(c.getStringList("roles"));
    for (String role : roles) {
      if (!role.equals("tracker") && !role.equals("peer")) {
        throw new IllegalArgumentException("swarmshare.node.roles: '" + role + "' is not a role (tracker, peer)");
      }
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("swarmshare.node.roles: a node needs a role (tracker, peer, or both)");
    }
    if (daemon && !roles.contains("peer")) {
      throw new IllegalArgumentException("swarmshare.daemon: a daemon is a peer, but swarmshare.node.roles has no peer");
    }
    return new NodeSettings(name, roles, daemon, base.resolve(c.getString("data-dir")).normalize(),
        c.getStringList("trackers"), c.getStringList("share").stream().map(p -> base.resolve(p).normalize()).toList(),
        c.getStringList("fetch").stream().map(target -> fetchTarget(target, base)).toList());
  }

  /** A .torrent file is a path, relative to the node's file like every path in it; a name, hash or magnet is not. */
  private static String fetchTarget(String target, Path base) {
    return target.toLowerCase(Locale.ROOT).endsWith(".torrent") ? base.resolve(target).normalize().toString() : target;
  }

  boolean tracker() {
    return roles.contains("tracker");
  }

  boolean peer() {
    return roles.contains("peer");
  }
}
