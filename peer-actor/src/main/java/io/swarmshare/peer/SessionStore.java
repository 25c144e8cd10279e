package io.swarmshare.peer;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.peer.session.TorrentStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Session's writes to its {@link TorrentStore}, if it has one (a daemon's): one after another
 * on the disk pool, in the order they were asked for, so that a later state never loses to an
 * earlier one. A failed write is one log line; the session goes on. Without a store every write
 * is nothing.
 */
final class SessionStore {

  /** For what runs on the disk pool, where an actor's own logger must not be used. */
  private static final Logger log = LoggerFactory.getLogger(SessionStore.class);

  private interface Write {
    void run(TorrentStore store) throws IOException;
  }

  private final Optional<TorrentStore> store;
  private final Executor disk;
  private CompletableFuture<Void> writes = CompletableFuture.completedFuture(null);

  SessionStore(Optional<TorrentStore> store, Executor disk) {
    this.store = store;
    this.disk = disk;
  }

  boolean present() {
    return store.isPresent();
  }

  Optional<Path> resumeFile(InfoHash hash) {
    return store.map(s -> s.resumeFile(hash));
  }

  void add(Metainfo metainfo, TorrentStore.State state) {
    queue(s -> s.add(metainfo, state));
  }

  void addLink(MagnetLink link, TorrentStore.State state) {
    queue(s -> s.addLink(link, state));
  }

  void metadataArrived(Metainfo metainfo) {
    queue(s -> s.metadataArrived(metainfo));
  }

  void save(InfoHash hash, TorrentStore.State state) {
    queue(s -> s.save(hash, state));
  }

  void remove(InfoHash hash) {
    queue(s -> s.remove(hash));
  }

  /** Completes once every write asked for so far is done. */
  CompletableFuture<Void> written() {
    return writes;
  }

  private void queue(Write write) {
    if (store.isEmpty()) {
      return;
    }
    TorrentStore s = store.get();
    writes = writes.thenRunAsync(() -> {
      try {
        write.run(s);
      } catch (IOException e) {
        log.warn("cannot save the session's torrents: {}", e.getMessage());
      }
    }, disk);
  }
}
