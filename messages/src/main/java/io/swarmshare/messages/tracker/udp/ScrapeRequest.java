package io.swarmshare.messages.tracker.udp;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import java.util.List;

/** Asks for the counts of one or more swarms, at most {@link UdpTrackerCodec#MAX_SCRAPE_HASHES}. */
public record ScrapeRequest(long connectionId, int transactionId, List<InfoHash> infoHashes)
    implements UdpTrackerRequest {

  public ScrapeRequest {
    infoHashes = List.copyOf(infoHashes);
    if (infoHashes.isEmpty() || infoHashes.size() > UdpTrackerCodec.MAX_SCRAPE_HASHES) {
      throw new MalformedMessageException(
          "a scrape asks for 1.." + UdpTrackerCodec.MAX_SCRAPE_HASHES + " info hashes, got "
              + infoHashes.size());
    }
  }
}
