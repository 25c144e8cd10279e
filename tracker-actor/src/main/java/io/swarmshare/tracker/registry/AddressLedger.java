package io.swarmshare.tracker.registry;

import java.util.HashMap;
import java.util.Map;

/**
 * Per source address (an {@link io.swarmshare.tracker.limits.AddressKey}): how many peers it has
 * registered across every swarm, and how many of the live swarms it created (brought the first
 * peer to). The registry checks these against its per-address limits, so that one address cannot
 * fill the tracker. An address is dropped the moment both counts reach zero: the ledger holds
 * at most as many entries as the registry holds peers.
 */
final class AddressLedger {

  private static final class Counts {
    int peers;
    int swarms;
  }

  private final Map<Long, Counts> byAddress = new HashMap<>();

  int peers(long address) {
    Counts c = byAddress.get(address);
    return c == null ? 0 : c.peers;
  }

  int swarms(long address) {
    Counts c = byAddress.get(address);
    return c == null ? 0 : c.swarms;
  }

  void peerAdded(long address) {
    byAddress.computeIfAbsent(address, a -> new Counts()).peers++;
  }

  void peerGone(long address) {
    Counts c = byAddress.get(address);
    if (c != null) {
      c.peers--;
      dropIfEmpty(address, c);
    }
  }

  void swarmAdded(long address) {
    byAddress.computeIfAbsent(address, a -> new Counts()).swarms++;
  }

  void swarmGone(long address) {
    Counts c = byAddress.get(address);
    if (c != null) {
      c.swarms--;
      dropIfEmpty(address, c);
    }
  }

  /** How many addresses have a peer or a swarm. */
  int addresses() {
    return byAddress.size();
  }

  private void dropIfEmpty(long address, Counts c) {
    if (c.peers <= 0 && c.swarms <= 0) {
      byAddress.remove(address);
    }
  }
}
