package io.swarmshare.tracker.registry;

/**
 * The registry's answer: the swarm's counts after the announce and some other peers, already in
 * compact form (BEP 23: 6 bytes per IPv4 peer; BEP 7: 18 per IPv6 peer) so that the hot path never
 * builds an object per peer.
 */
public record AnnounceResult(int seeders, int leechers, byte[] peers4, byte[] peers6) {

  public int peerCount() {
    return peers4.length / 6 + peers6.length / 18;
  }
}
