package io.swarmshare.messages.tracker.udp;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.AnnounceEvent;
import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * A peer's announce over UDP (BEP 15): it joins, stays in or leaves the swarm of
 * {@code infoHash} and asks for peers.
 *
 * @param ip the address the peer asks to be listed under; empty (0 on the wire) for the one the
 *     datagram came from
 * @param key a random value that lets the tracker recognise the peer across address changes
 * @param numWant how many peers it wants; negative (-1 on the wire) leaves it to the tracker
 * @param port the TCP port the peer listens on
 */
public record AnnounceRequest(
    long connectionId,
    int transactionId,
    InfoHash infoHash,
    PeerId peerId,
    long downloaded,
    long left,
    long uploaded,
    AnnounceEvent event,
    Optional<Inet4Address> ip,
    int key,
    int numWant,
    int port)
    implements UdpTrackerRequest {

  public AnnounceRequest {
    Objects.requireNonNull(infoHash, "infoHash");
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(event, "event");
    requireNonNegative("downloaded", downloaded);
    requireNonNegative("left", left);
    requireNonNegative("uploaded", uploaded);
    ip = ip.filter(address -> !address.isAnyLocalAddress());
    if (port < 0 || port > 0xffff) {
      throw new MalformedMessageException("an announce's port is 0..65535, got " + port);
    }
  }

  private static void requireNonNegative(String field, long value) {
    if (value < 0) {
      throw new MalformedMessageException(
          "an announce's " + field + " must not be negative, got " + value);
    }
  }
}
