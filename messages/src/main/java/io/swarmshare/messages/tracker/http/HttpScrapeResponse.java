package io.swarmshare.messages.tracker.http;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.tracker.ScrapeStats;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Counts per swarm: {@code d5:filesd20:<hash>d8:completei..e10:downloadedi..e10:incompletei..eeee}. */
public record HttpScrapeResponse(Map<InfoHash, ScrapeStats> files) implements HttpTrackerReply {

  public HttpScrapeResponse {
    files = Collections.unmodifiableMap(new TreeMap<>(files));
  }
}
