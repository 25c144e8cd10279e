package io.swarmshare.messages.tracker.udp;

import io.swarmshare.messages.tracker.ScrapeStats;
import java.util.List;

/** The counts of each swarm a scrape asked for, in the order of its info hashes. */
public record ScrapeResponse(int transactionId, List<ScrapeStats> stats)
    implements UdpTrackerResponse {

  public ScrapeResponse {
    stats = List.copyOf(stats);
  }
}
