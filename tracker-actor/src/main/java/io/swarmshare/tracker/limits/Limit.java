package io.swarmshare.tracker.limits;

/** Every limit the tracker enforces, as {@code GET /stats} names it when it reports how often each was hit. */
public enum Limit {
  PEERS("peers"),
  PEERS_PER_ADDRESS("peersPerAddress"),
  SWARMS_PER_ADDRESS("swarmsPerAddress"),
  UDP_REQUESTS_PER_ADDRESS("udpRequestsPerSecondPerAddress"),
  HTTP_REQUESTS_PER_ADDRESS("httpRequestsPerSecondPerAddress"),
  HTTP_CONNECTIONS_PER_ADDRESS("httpConnectionsPerAddress"),
  HTTP_HEADER_TIMEOUT("httpHeaderTimeoutMillis"),
  CATALOGUE_BYTES("catalogueBytes"),
  PUBLISH_QUOTA("publishQuotaPerKey"),
  PUBLISH_RATE("publishesPerHourPerKey");

  private final String statsName;

  Limit(String statsName) {
    this.statsName = statsName;
  }

  public String statsName() {
    return statsName;
  }
}
