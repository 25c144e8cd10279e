package io.swarmshare.launcher;

import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.tracker.TrackerUrl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options of every command that runs a peer: its trackers, its port and its upload limit. */
final class PeerOptions {

  @Option(names = "--tracker", paramLabel = "URL",
      description = "A tracker, udp://host:port/announce or http://host:port/announce; repeat for more.")
  List<String> trackers = new ArrayList<>();

  @Option(names = "--port", paramLabel = "P", description = "TCP port for other peers (default: 6881; 0 picks one).")
  Integer port;

  @Option(names = "--upload-limit", paramLabel = "B", converter = ByteSize.class,
      description = "Upload at most B bytes a second, e.g. 5M (default: no limit).")
  Long uploadLimit;

  /** The --tracker URLs, each checked; a bad one is one line naming it. */
  List<TrackerUrl> trackerUrls() {
    List<TrackerUrl> urls = new ArrayList<>();
    for (String t : trackers) {
      urls.add(TrackerUrl.parse(t));
    }
    return urls;
  }

  /** The configuration these options set, for {@link NodeConfig#load}. */
  Map<String, Object> overrides() {
    Map<String, Object> overrides = new HashMap<>();
    if (port != null) {
      if (port < 0 || port > 65535) {
        throw new Main.CommandFailure("--port " + port + " is outside 0..65535");
      }
      overrides.put("swarmshare.peer.port", port);
    }
    if (uploadLimit != null) {
      overrides.put("swarmshare.peer.upload-limit", uploadLimit);
    }
    return overrides;
  }

  /** The tiers to announce to: each --tracker a tier of its own, then the torrent's; each URL once. */
  List<List<String>> tiers(Metainfo metainfo) {
    List<List<String>> tiers = new ArrayList<>();
    trackers.forEach(t -> tiers.add(List.of(t)));
    tiers.addAll(metainfo.trackerTiers());
    Set<String> seen = new HashSet<>();
    List<List<String>> result = new ArrayList<>();
    for (List<String> tier : tiers) {
      List<String> kept = tier.stream().filter(seen::add).toList();
      if (!kept.isEmpty()) {
        result.add(kept);
      }
    }
    return result;
  }
}
