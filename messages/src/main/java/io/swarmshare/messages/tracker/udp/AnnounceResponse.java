package io.swarmshare.messages.tracker.udp;

import io.swarmshare.messages.tracker.PeerAddress;
import java.util.List;

/**
 * The tracker's answer to an announce: when to announce again, the size of the swarm, and some
 * of its peers. The peers are all of one family, as the compact format has no room to say which.
 *
 * @param interval seconds until the peer should announce again
 */
public record AnnounceResponse(
    int transactionId, int interval, int leechers, int seeders, List<PeerAddress> peers)
    implements UdpTrackerResponse {

  public AnnounceResponse {
    peers = List.copyOf(peers);
    if (peers.stream().map(PeerAddress::family).distinct().count() > 1) {
      throw new IllegalArgumentException("an announce response cannot mix IPv4 and IPv6 peers");
    }
  }
}
