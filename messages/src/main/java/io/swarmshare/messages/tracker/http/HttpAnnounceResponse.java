package io.swarmshare.messages.tracker.http;

import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.PeerAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A successful announce: when to come back, the swarm's counts and some peers. A peer's id is
 * known only in the dictionary model; compact lists (BEP 23, and BEP 7's {@code peers6}) carry
 * addresses only.
 */
public record HttpAnnounceResponse(
    int interval,
    OptionalInt minInterval,
    int seeders,
    int leechers,
    List<Peer> peers,
    Optional<String> warning,
    Optional<String> trackerId)
    implements HttpTrackerReply {

  public HttpAnnounceResponse {
    peers = List.copyOf(peers);
  }

  /** A peer in an announce response. */
  public record Peer(PeerAddress address, Optional<PeerId> peerId) {
    public static Peer of(PeerAddress address) {
      return new Peer(address, Optional.empty());
    }
  }

  public List<PeerAddress> addresses() {
    return peers.stream().map(Peer::address).toList();
  }
}
