package io.swarmshare.peer.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.peer.bandwidth.TorrentLimits;
import io.swarmshare.peer.storage.AtomicFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        Optional.of(Instant.ofEpochMilli(1_700_000_100_000L)), 123, 456, 78, 90, List.of(List.of("udp://t:1/announce")),
        Optional.of(new SeedingGoals.Goals(SeedingGoals.Mode.OWN, 0.5, SeedingGoals.Mode.UNLIMITED,
            Duration.ofMinutes(7))), new TorrentLimits(50_000, true, 20_000, false, false), List.of("tv", "hd"), id * 10);
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

    List<TorrentStore.Stored> back = new TorrentStore(data).load(files);
    assertThat(back).extracting(TorrentStore.Stored::infoHash).containsExactly(a.infoHash(), b.infoHash());
    assertThat(back.get(1).state()).isEqualTo(state(2, true));
    assertThat(back.get(0).metainfo().orElseThrow().encode()).isEqualTo(a.encode());
  }

  @Test
  void aTorrentWithoutItsStateDoesNotCountAndOneWhoseStateIsDamagedIsTakenUpStopped() throws Exception {
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

    List<TorrentStore.Stored> back = store.load(files);
    assertThat(back).extracting(TorrentStore.Stored::infoHash).containsExactly(a.infoHash(), b.infoHash());
    TorrentStore.State taken = back.get(1).state();
    assertThat(taken.id()).as("a new id after the others").isEqualTo(2);
    assertThat(taken.paused()).as("stopped: its own directory is not known").isTrue();
    assertThat(taken.directory()).isEqualTo(files);
    assertThat(store.load(files)).as("its state was written anew").extracting(s -> s.state().id())
        .containsExactly(1, 2);
  }

  @Test
  void aTorrentAddedByItsLinkIsKeptAsItsLinkUntilItsMetadataCameAndADamagedLinkLeavesOnlyItOut() throws Exception {
    TorrentStore store = new TorrentStore(data);
    Metainfo a = torrent("a");
    Metainfo b = torrent("b");
    Metainfo c = torrent("c");
    MagnetLink linkA = new MagnetLink(a.infoHash(), Optional.of("a by link"), List.of("udp://t:1/announce"),
        List.of("127.0.0.1:6881"));
    store.addLink(linkA, state(1, false));
    store.addLink(new MagnetLink(b.infoHash(), Optional.empty(), List.of(), List.of()), state(2, false));
    store.addLink(new MagnetLink(c.infoHash(), Optional.empty(), List.of(), List.of()), state(3, false));
    Files.writeString(data.resolve("torrents/" + c.infoHash().hex() + ".magnet"), "magnet:?dn=no-topic");

    List<TorrentStore.Stored> back = store.load(files);
    assertThat(back).extracting(TorrentStore.Stored::infoHash).containsExactly(a.infoHash(), b.infoHash());
    assertThat(back.get(0).metainfo()).isEmpty();
    assertThat(back.get(0).link()).isEqualTo(linkA);
    assertThat(back.get(0).state()).isEqualTo(state(1, false));

    store.metadataArrived(a);
    assertThat(data.resolve("torrents/" + a.infoHash().hex() + ".magnet")).doesNotExist();
    // A crash after the .torrent was written and before the link went: the .torrent is what counts.
    store.addLink(new MagnetLink(b.infoHash(), Optional.empty(), List.of(), List.of()), state(2, false));
    AtomicFile.write(data.resolve("torrents/" + b.infoHash().hex() + ".torrent"), b.encode());
    List<TorrentStore.Stored> after = store.load(files);
    assertThat(after).extracting(k -> k.metainfo().orElseThrow().infoHash()).containsExactly(a.infoHash(),
        b.infoHash());
    store.remove(b.infoHash());
    assertThat(data.resolve("torrents/" + b.infoHash().hex() + ".magnet")).doesNotExist();
    assertThat(data.resolve("torrents/" + b.infoHash().hex() + ".torrent")).doesNotExist();
  }

  @Test
  void aStateWrittenBeforeGoalsLabelsAndQueuePositionsLoadsWithoutThem() throws Exception {
    TorrentStore store = new TorrentStore(data);
    Metainfo a = torrent("a");
    store.add(a, state(1, false));
    // The state file as the daemon wrote it before seeding goals, labels and the queue existed.
    byte[] old = io.swarmshare.messages.bencode.BencodeEncoder.encode(io.swarmshare.messages.bencode.BDict.builder()
        .put("version", 1).put("id", 1).put("directory", files.toString()).put("paused", 0)
        .put("added", 1_700_000_000_000L).put("downloaded", 5).put("uploaded", 6)
        .put("seconds downloading", 7).put("seconds seeding", 8)
        .put("trackers", new io.swarmshare.messages.bencode.BList(List.of())).build());
    Files.write(data.resolve("torrents/" + a.infoHash().hex() + ".state"), old);

    TorrentStore.State back = store.load(files).get(0).state();
    assertThat(back.uploaded()).isEqualTo(6);
    assertThat(back.goals()).isEmpty();
    assertThat(back.labels()).isEmpty();
    assertThat(back.queuePosition()).isEqualTo(TorrentStore.UNPLACED);
  }

  @Test
  void theQueueOrderIsByPositionThenByIdWithUnplacedTorrentsLast() throws Exception {
    Metainfo a = torrent("a");
    Metainfo b = torrent("b");
    Metainfo c = torrent("c");
    TorrentStore.State placedLate = state(1, false);
    List<TorrentStore.Stored> stored = List.of(
        new TorrentStore.Stored(a, withPosition(state(1, false), TorrentStore.UNPLACED)),
        new TorrentStore.Stored(b, withPosition(state(2, false), 4)),
        new TorrentStore.Stored(c, withPosition(state(3, false), 0)));
    assertThat(TorrentStore.inQueueOrder(stored)).extracting(TorrentStore.Stored::infoHash)
        .containsExactly(c.infoHash(), b.infoHash(), a.infoHash());
    assertThat(placedLate.queuePosition()).isEqualTo(10);
  }

  static TorrentStore.State withPosition(TorrentStore.State s, int position) {
    return new TorrentStore.State(s.id(), s.directory(), s.paused(), s.added(), s.completed(), s.downloaded(),
        s.uploaded(), s.secondsDownloading(), s.secondsSeeding(), s.trackers(), s.goals(), s.limits(), s.labels(),
        position);
  }
}
