package io.swarmshare.tracker.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.metainfo.MetainfoParser;
import io.swarmshare.tracker.catalogue.Catalogue.Entry;
import io.swarmshare.tracker.catalogue.Catalogue.Limits;
import io.swarmshare.tracker.catalogue.PublishResult.Added;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers racing a publisher only ever see whole catalogues: the first k torrents published. */
class CatalogueConcurrencyTest {

  static final Catalogue.Publisher OWNER = new Catalogue.Publisher("alice", Long.MAX_VALUE);

  private static final int TORRENTS = 40;
  private static final int READERS = 3;

  @TempDir Path dir;

  @Test
  void readersDuringPublishesSeeConsistentSortedCatalogues() throws Exception {
    Catalogue catalogue = Catalogue.open(dir, new Limits(1024 * 1024, TORRENTS, Long.MAX_VALUE));
    List<byte[]> torrents = new ArrayList<>();
    List<InfoHash> hashes = new ArrayList<>();
    for (int i = 0; i < TORRENTS; i++) {
      // Names that land all over the sorted order, and some repeated.
      byte[] torrent = TestTorrents.single("file-" + (i * 7919 % 13), 1000 + i, i + 1);
      torrents.add(torrent);
      hashes.add(MetainfoParser.parse(torrent).infoHash());
    }

    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
    try {
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < READERS; r++) {
        readers.add(pool.submit(() -> read(catalogue, hashes, done)));
      }
      Future<?> publisher = pool.submit(() -> {
        try {
          for (byte[] torrent : torrents) {
            assertThat(catalogue.publish(torrent, OWNER)).isInstanceOf(Added.class);
          }
        } finally {
          done.set(true);
        }
      });

      publisher.get(60, TimeUnit.SECONDS);
      for (Future<Integer> reader : readers) {
        assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      done.set(true);
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(catalogue.size()).isEqualTo(TORRENTS);
  }

  /** Checks catalogues until the publisher is done (and once more after); returns how many. */
  private static int read(Catalogue catalogue, List<InfoHash> published, AtomicBoolean done) {
    int checks = 0;
    int lastSize = 0;
    boolean last = false;
    while (!last && checks < 1_000_000) {
      last = done.get();
      List<Entry> all = catalogue.list(Optional.empty());

      assertThat(all).isSortedAccordingTo(Catalogue.ORDER);
      assertThat(all.size()).isGreaterThanOrEqualTo(lastSize).isLessThanOrEqualTo(catalogue.size());
      Set<InfoHash> seen = new HashSet<>();
      for (Entry e : all) {
        assertThat(seen.add(e.infoHash())).as("no entry twice").isTrue();
        assertThat(catalogue.find(e.infoHash())).contains(e);
      }
      assertThat(seen).isEqualTo(new HashSet<>(published.subList(0, all.size())));
      assertThat(catalogue.list(Optional.of("FILE-1"))).allSatisfy(e -> assertThat(e.name()).startsWith("file-1"));
      if (!all.isEmpty()) {
        Entry any = all.get(checks % all.size());
        assertThat(catalogue.byExactName(any.name())).contains(any);
      }
      lastSize = all.size();
      checks++;
    }
    return checks;
  }
}
