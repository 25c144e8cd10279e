package io.swarmshare.peer.wire;

import io.swarmshare.peer.pieces.BlockRequest;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The blocks one connection asked its remote for, as the wire saw it: those still awaited, and
 * those we stopped waiting for (we cancelled them, or the remote's choke discarded them) that may
 * still arrive, since they could already be on their way. A block that is neither was never asked
 * for. The abandoned ones are kept only up to a bound, the oldest forgotten first: a block that
 * arrives after that counts as unrequested, which a remote is allowed a few of.
 */
public final class AskedBlocks {

  private final int maxAbandoned;
  private final Set<BlockRequest> awaited = new HashSet<>();
  private final Set<BlockRequest> abandoned = new LinkedHashSet<>();

  public AskedBlocks(int maxAbandoned) {
    this.maxAbandoned = maxAbandoned;
  }

  public void asked(BlockRequest block) {
    abandoned.remove(block);
    awaited.add(block);
  }

  public void cancelled(BlockRequest block) {
    if (awaited.remove(block)) {
      abandon(block);
    }
  }

  /** The remote choked us: without the fast extension (BEP 6) it discards every request. */
  public void choked() {
    for (BlockRequest block : awaited) {
      abandon(block);
    }
    awaited.clear();
  }

  private void abandon(BlockRequest block) {
    abandoned.add(block);
    if (abandoned.size() > maxAbandoned) {
      Iterator<BlockRequest> oldest = abandoned.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** A block arrived; whether we asked for it (and still wait for it, or did until recently). */
  public boolean arrived(BlockRequest block) {
    return awaited.remove(block) || abandoned.remove(block);
  }

  /** How many blocks are awaited. */
  public int awaited() {
    return awaited.size();
  }
}
