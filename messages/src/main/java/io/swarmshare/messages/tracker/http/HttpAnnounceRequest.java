package io.swarmshare.messages.tracker.http;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.AnnounceEvent;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The query of {@code GET /announce} (BEP 3, BEP 23 {@code compact}, {@code no_peer_id}).
 * {@code ip} is what the client claims; a tracker uses the connection's address unless told to
 * trust it.
 */
public record HttpAnnounceRequest(
    InfoHash infoHash,
    PeerId peerId,
    int port,
    long uploaded,
    long downloaded,
    long left,
    AnnounceEvent event,
    boolean compact,
    boolean noPeerId,
    OptionalInt numWant,
    Optional<String> ip,
    Optional<String> key,
    Optional<String> trackerId) {

  /** An announce with the usual choices of a client: compact peers and the tracker's default count. */
  public static HttpAnnounceRequest of(
      InfoHash infoHash, PeerId peerId, int port, long uploaded, long downloaded, long left,
      AnnounceEvent event) {
    return new HttpAnnounceRequest(
        infoHash, peerId, port, uploaded, downloaded, left, event, true, false,
        OptionalInt.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
