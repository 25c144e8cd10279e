package io.swarmshare.tracker.registry;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.tracker.AnnounceEvent;
import java.net.InetAddress;

/**
 * One announce as the registry sees it, whichever protocol brought it. {@code address} is where the
 * datagram or connection came from (or the trusted {@code ip} field); {@code numWant} is negative
 * when the client left it to the tracker.
 */
public record Announce(
    InfoHash infoHash,
    InetAddress address,
    int port,
    long left,
    AnnounceEvent event,
    int numWant,
    Families families) {

  /** Which address families the answer may carry: BEP 15 answers in the asker's own. */
  public enum Families {
    IPV4,
    IPV6,
    BOTH
  }
}
