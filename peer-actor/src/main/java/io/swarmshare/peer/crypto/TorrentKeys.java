package io.swarmshare.peer.crypto;

import io.swarmshare.messages.InfoHash;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.util.ByteString;

/**
 * The torrents a node holds, as an encrypted handshake names them: by {@code HASH('req2', info
 * hash)}, so that the answering side finds the torrent without learning it from the remote in
 * the clear. Written by the session as torrents come and go, read by every connection's handshake,
 * on whichever threads those run.
 */
public final class TorrentKeys {

  private final Map<ByteString, InfoHash> byHash = new ConcurrentHashMap<>();

  public void add(InfoHash torrent) {
    byHash.put(key(torrent), torrent);
  }

  public void remove(InfoHash torrent) {
    byHash.remove(key(torrent));
  }

  /** The torrent whose {@code HASH('req2', info hash)} this is, if the node holds it. */
  Optional<InfoHash> find(byte[] req2Hash) {
    return Optional.ofNullable(byHash.get(ByteString.fromArray(req2Hash)));
  }

  private static ByteString key(InfoHash torrent) {
    return ByteString.fromArrayUnsafe(Mse.hash("req2", torrent.bytes()));
  }
}
