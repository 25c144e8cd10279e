package io.swarmshare.peer.session;

import java.net.InetSocketAddress;

/**
 * One connection of a torrent as front ends show it: who (address, the client its peer id
 * names), which way data may flow (choked and interested, each way), whether the remote dialled
 * us, the rates over the current choke round in bytes a second, and the share of the torrent the
 * remote has.
 */
public record PeerSnapshot(
    InetSocketAddress address,
    String client,
    boolean incoming,
    boolean weChokeThem,
    boolean theyAreInterested,
    boolean theyChokeUs,
    boolean weAreInterested,
    long downloadRate,
    long uploadRate,
    double progress) {

  /** Whether we are fetching from it now: it unchoked us and we want what it has. */
  public boolean downloadingFrom() {
    return !theyChokeUs && weAreInterested;
  }

  /** Whether we are serving it now: we unchoked it and it wants what we have. */
  public boolean uploadingTo() {
    return !weChokeThem && theyAreInterested;
  }

  /** Transmission's flags: D or d (fetching, or would be but choked), U or u (serving), K, ?, I (incoming). */
  public String flags() {
    StringBuilder f = new StringBuilder();
    if (weAreInterested) {
      f.append(theyChokeUs ? 'd' : 'D');
    } else if (!theyChokeUs) {
      f.append('K');
    }
    if (theyAreInterested) {
      f.append(weChokeThem ? 'u' : 'U');
    } else if (!weChokeThem) {
      f.append('?');
    }
    if (incoming) {
      f.append('I');
    }
    return f.toString();
  }
}
