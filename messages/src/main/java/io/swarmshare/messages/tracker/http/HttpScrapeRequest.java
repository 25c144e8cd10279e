package io.swarmshare.messages.tracker.http;

import io.swarmshare.messages.InfoHash;
import java.util.List;

/** The query of {@code GET /scrape}: the swarms asked about; none means all of them (BEP 48). */
public record HttpScrapeRequest(List<InfoHash> infoHashes) {

  public HttpScrapeRequest {
    infoHashes = List.copyOf(infoHashes);
  }
}
