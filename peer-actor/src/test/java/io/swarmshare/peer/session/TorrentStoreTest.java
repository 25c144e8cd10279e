package io.swarmshare.peer.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorrentStoreTest {

  @TempDir Path data;
  @TempDir Path files;

  Metainfo torrent(String name) throws Exception {
    return TorrentCreator.of(Files.writeString(files.resolve(name), name)).trackers(List.of("udp://t:1/announce"))
        .create();
  }

  TorrentStore.State state(int id, boolean paused) {
    return new TorrentStore.State(id, files, paused, Instant.ofEpochMilli(1_700_000_000_000L),
        Optional.of(Instant.ofEpochMilli(1_700_000_100_000L)), 123, 456, 78, 90, List.of(List.of("udp://t:1/announce")));
  }

  @Test
  void keepsTorrentsAndTheirStatesAndGivesThemBackByIdAfterARemove() throws Exception {
    TorrentStore store = new TorrentStore(data);
    Metainfo a = torrent("a");
    Metainfo b = torrent("b");
    Metainfo c = torrent("c");
    store.add(b, state(2, true));
    store.add(a, state(1, false));
    store.add(c, state(3, false));
    store.remove(c.infoHash());

    List<TorrentStore.Stored> back = new TorrentStore(data).load();
    assertThat(back).extracting(s -> s.metainfo().infoHash()).containsExactly(a.infoHash(), b.infoHash());
    assertThat(back.get(1).state()).isEqualTo(state(2, true));
    assertThat(back.get(0).metainfo().encode()).isEqualTo(a.encode());
  }

  @Test
  void aTorrentWithoutItsStateDoesNotCountAndADamagedOneIsLeftOutAlone() throws Exception {
    TorrentStore store = new TorrentStore(data);
    Metainfo a = torrent("a");
    Metainfo b = torrent("b");
    Metainfo c = torrent("c");
    store.add(a, state(1, false));
    store.add(b, state(2, false));
    store.add(c, state(3, false));
    // A crash between the .torrent and its state: c was never fully added.
    Files.delete(data.resolve("torrents/" + c.infoHash().hex() + ".state"));
    // A state file cut short.
    Path bState = data.resolve("torrents/" + b.infoHash().hex() + ".state");
    byte[] bytes = Files.readAllBytes(bState);
    Files.write(bState, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    assertThat(store.load()).extracting(s -> s.metainfo().infoHash()).containsExactly(a.infoHash());
  }
}
