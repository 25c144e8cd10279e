package io.swarmshare.peer;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.peer.crypto.TorrentKeys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The torrents a Session holds: by info hash in the order of their ids, by id, and by the
 * obfuscated names an encrypted handshake asks for (the node's {@link TorrentKeys}).
 */
final class HeldTorrents {

  private final Map<InfoHash, HeldTorrent> byHash = new LinkedHashMap<>();
  /** The same by id, so that a request for one torrent looks it up rather than going through all. */
  private final Map<Integer, HeldTorrent> byId = new HashMap<>();
  private final TorrentKeys keys;

  HeldTorrents(TorrentKeys keys) {
    this.keys = keys;
  }

  void hold(HeldTorrent t) {
    byHash.put(t.hash(), t);
    byId.put(t.id, t);
    keys.add(t.hash());
  }

  void forget(HeldTorrent t) {
    byHash.remove(t.hash());
    byId.remove(t.id);
    keys.remove(t.hash());
  }

  HeldTorrent get(InfoHash hash) {
    return byHash.get(hash);
  }

  boolean contains(InfoHash hash) {
    return byHash.containsKey(hash);
  }

  /** Whether {@code t} is still the torrent held under its info hash: not removed, nor added anew. */
  boolean holds(HeldTorrent t) {
    return byHash.get(t.hash()) == t;
  }

  /** Every torrent, in the order of their ids; a view, not a copy. */
  Collection<HeldTorrent> all() {
    return Collections.unmodifiableCollection(byHash.values());
  }

  int size() {
    return byHash.size();
  }

  /** The torrents {@code which} names, in the order of their ids. */
  List<HeldTorrent> select(Session.Selection which) {
    if (which.all()) {
      return new ArrayList<>(byHash.values());
    }
    Set<HeldTorrent> chosen = new HashSet<>();
    for (int id : which.ids()) {
      HeldTorrent t = byId.get(id);
      if (t != null) {
        chosen.add(t);
      }
    }
    for (InfoHash hash : which.hashes()) {
      HeldTorrent t = byHash.get(hash);
      if (t != null) {
        chosen.add(t);
      }
    }
    List<HeldTorrent> ordered = new ArrayList<>(chosen);
    ordered.sort(Comparator.comparingInt(t -> t.id));
    return ordered;
  }
}
