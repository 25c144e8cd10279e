package io.swarmshare.peer;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.metainfo.Info;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.peer.bandwidth.Rates;
import io.swarmshare.peer.storage.TorrentStorage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A torrent this node serves: what it is, where its bytes are, which pieces are verified, and its
 * rate limits (within the node's), which its connections keep to.
 * Connections read it from their own threads, so the verified pieces are an immutable snapshot
 * that the owner replaces as pieces are verified.
 */
public final class ServedTorrent {

  private final InfoHash infoHash;
  private final Info info;
  /** The info dictionary as its hash was taken, for remotes that fetch it (BEP 9); never handed out to change. */
  private final byte[] metadata;
  private final TorrentStorage storage;
  private final AtomicReference<Bitfield> have;
  private final Rates rates;

  public ServedTorrent(Metainfo metainfo, TorrentStorage storage, Bitfield have, Rates rates) {
    this.infoHash = metainfo.infoHash();
    this.info = metainfo.info();
    this.metadata = metainfo.infoBytes();
    this.storage = storage;
    this.have = new AtomicReference<>(have.copy());
    this.rates = rates;
  }

  public Rates rates() {
    return rates;
  }

  public InfoHash infoHash() {
    return infoHash;
  }

  public Info info() {
    return info;
  }

  /** The info dictionary's bytes: shared, not to be changed. */
  byte[] metadata() {
    return metadata;
  }

  public TorrentStorage storage() {
    return storage;
  }

  /** The verified pieces: a copy, safe to keep. */
  public Bitfield have() {
    return have.get().copy();
  }

  public boolean has(int piece) {
    return have.get().get(piece);
  }

  /** Publishes a newer set of verified pieces. */
  public void update(Bitfield verified) {
    have.set(verified.copy());
  }
}
