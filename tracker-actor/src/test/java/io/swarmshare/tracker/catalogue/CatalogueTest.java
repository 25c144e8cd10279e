package io.swarmshare.tracker.catalogue;

import static io.swarmshare.tracker.catalogue.TestTorrents.multi;
import static io.swarmshare.tracker.catalogue.TestTorrents.single;
import static io.swarmshare.tracker.catalogue.TestTorrents.singleWithAnnounce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.metainfo.MetainfoParser;
import io.swarmshare.tracker.catalogue.Catalogue.Entry;
import io.swarmshare.tracker.catalogue.Catalogue.Limits;
import io.swarmshare.tracker.catalogue.PublishResult.Added;
import io.swarmshare.tracker.catalogue.PublishResult.AlreadyPresent;
import io.swarmshare.tracker.catalogue.PublishResult.Reason;
import io.swarmshare.tracker.catalogue.PublishResult.Refused;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class CatalogueTest {

  static final Catalogue.Publisher OWNER = new Catalogue.Publisher("alice", Long.MAX_VALUE);

  static final Limits LIMITS = new Limits(1024 * 1024, 100, Long.MAX_VALUE);
  static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

  @TempDir Path dir;

  /** A clock that moves on a minute each time it is read, so that a rewrite would show. */
  static final class SteppingClock extends Clock {
    private Instant next;

    SteppingClock(Instant start) {
      this.next = start;
    }

    @Override
    public synchronized Instant instant() {
      Instant now = next;
      next = next.plusSeconds(60);
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private Catalogue open() throws IOException {
    return Catalogue.open(dir, LIMITS, new SteppingClock(T0));
  }

  private static InfoHash hashOf(byte[] torrent) {
    return MetainfoParser.parse(torrent).infoHash();
  }

  private static Entry added(PublishResult result) {
    assertThat(result).isInstanceOf(Added.class);
    return ((Added) result).entry();
  }

  private static Refused refused(PublishResult result) {
    assertThat(result).isInstanceOf(Refused.class);
    return (Refused) result;
  }

  private List<String> filesIn(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void publishesAndThenListsFindsAndServesTheExactBytes() throws IOException {
    Catalogue catalogue = open();
    byte[] torrent = single("ubuntu.iso", 40_000, 1);
    InfoHash hash = hashOf(torrent);

    Entry entry = added(catalogue.publish(torrent, OWNER));

    assertThat(entry).isEqualTo(new Entry(hash, "ubuntu.iso", 40_000, 1, 16384, T0, "alice", torrent.length));
    assertThat(catalogue.list(Optional.empty())).containsExactly(entry);
    assertThat(catalogue.find(hash)).contains(entry);
    assertThat(catalogue.torrentBytes(hash)).hasValueSatisfying(b -> assertThat(b).isEqualTo(torrent));
    assertThat(catalogue.size()).isEqualTo(1);
    assertThat(filesIn(dir)).containsExactly(hash.hex() + ".publisher", hash.hex() + ".torrent");
    assertThat(Files.readAllBytes(dir.resolve(hash.hex() + ".torrent"))).isEqualTo(torrent);
    assertThat(Files.readString(dir.resolve(hash.hex() + ".publisher"))).isEqualTo("alice");
  }

  @Test
  void describesAMultiFileTorrent() throws IOException {
    Catalogue catalogue = open();
    Entry entry = added(catalogue.publish(multi("album", List.of(List.of("cd1", "a.flac"), List.of("b.flac"))), OWNER));

    assertThat(entry.name()).isEqualTo("album");
    assertThat(entry.fileCount()).isEqualTo(2);
    assertThat(entry.totalLength()).isEqualTo(2000);
    assertThat(entry.pieceLength()).isEqualTo(16384);
  }

  @Test
  void knowsNothingOfATorrentThatWasNeverPublished() throws IOException {
    Catalogue catalogue = open();
    catalogue.publish(single("a", 10, 1), OWNER);
    InfoHash other = hashOf(single("b", 10, 2));

    assertThat(catalogue.find(other)).isEmpty();
    assertThat(catalogue.torrentBytes(other)).isEmpty();
    assertThat(catalogue.byExactName("b")).isEmpty();
  }

  @Test
  void createsItsDirectoryWhenMissing() throws IOException {
    Path nested = dir.resolve("data").resolve("catalogue");
    Catalogue catalogue = Catalogue.open(nested, LIMITS);

    assertThat(Files.isDirectory(nested)).isTrue();
    assertThat(catalogue.list(Optional.empty())).isEmpty();
    assertThat(added(catalogue.publish(single("a", 10, 1), OWNER)).publishedAt()).isNotNull();
  }

  @Test
  void republishingTheSameInfoHashReturnsTheFirstEntryWithoutRewriting() throws IOException {
    Catalogue catalogue = open();
    byte[] first = single("movie.mkv", 50_000, 3);
    byte[] sameInfoOtherAnnounce = singleWithAnnounce("movie.mkv", 50_000, 3, "http://other.example/announce");
    Entry entry = added(catalogue.publish(first, OWNER));
    Path file = dir.resolve(entry.infoHash().hex() + ".torrent");
    var modified = Files.getLastModifiedTime(file);

    PublishResult again = catalogue.publish(first, OWNER);
    PublishResult variant = catalogue.publish(sameInfoOtherAnnounce, OWNER);

    assertThat(again).isEqualTo(new AlreadyPresent(entry));
    assertThat(variant).isEqualTo(new AlreadyPresent(entry));
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
    assertThat(catalogue.torrentBytes(entry.infoHash())).hasValueSatisfying(b -> assertThat(b).isEqualTo(first));
    assertThat(catalogue.list(Optional.empty())).containsExactly(entry);
    assertThat(filesIn(dir)).containsExactly(entry.infoHash().hex() + ".publisher", file.getFileName().toString());
  }

  @Test
  void keepsAndListsTwoTorrentsWithOneName() throws IOException {
    Catalogue catalogue = open();
    Entry a = added(catalogue.publish(single("report.pdf", 1000, 1), OWNER));
    Entry b = added(catalogue.publish(single("report.pdf", 2000, 2), OWNER));
    List<Entry> byHash = Stream.of(a, b).sorted((x, y) -> x.infoHash().compareTo(y.infoHash())).toList();

    assertThat(a.infoHash()).isNotEqualTo(b.infoHash());
    assertThat(catalogue.list(Optional.empty())).isEqualTo(byHash);
    assertThat(catalogue.byExactName("report.pdf")).isEqualTo(byHash);
    assertThat(catalogue.byExactName("Report.pdf")).isEmpty();
    assertThat(catalogue.byExactName("report")).isEmpty();
  }

  @Test
  void filtersByASubstringOfTheNameIgnoringCaseAndSortsByName() throws IOException {
    Catalogue catalogue = open();
    Entry debian = added(catalogue.publish(single("debian-12.iso", 100, 1), OWNER));
    Entry ubuntu = added(catalogue.publish(single("Ubuntu-24.04.iso", 100, 2), OWNER));
    Entry alpine = added(catalogue.publish(single("alpine.ISO", 100, 3), OWNER));
    Entry notes = added(catalogue.publish(single("notes.txt", 100, 4), OWNER));

    assertThat(catalogue.list(Optional.empty())).containsExactly(alpine, debian, notes, ubuntu);
    assertThat(catalogue.list(Optional.of(".iso"))).containsExactly(alpine, debian, ubuntu);
    assertThat(catalogue.list(Optional.of("UBUNTU"))).containsExactly(ubuntu);
    assertThat(catalogue.list(Optional.of(""))).hasSize(4);
    assertThat(catalogue.list(Optional.of("nothing like it"))).isEmpty();
  }

  @Test
  void aNewCatalogueOnTheSameDirectorySeesEverythingWithTheSameBytes() throws IOException {
    Catalogue before = open();
    byte[] one = single("one", 100, 1);
    byte[] two = multi("two", List.of(List.of("x"), List.of("y", "z")));
    byte[] three = single("one", 300, 3);
    before.publish(one, OWNER);
    before.publish(two, OWNER);
    before.publish(three, OWNER);

    Catalogue after = Catalogue.open(dir, LIMITS);

    assertThat(after.list(Optional.empty())).isEqualTo(before.list(Optional.empty()));
    for (byte[] torrent : List.of(one, two, three)) {
      InfoHash hash = hashOf(torrent);
      assertThat(after.find(hash)).isEqualTo(before.find(hash));
      assertThat(after.torrentBytes(hash)).hasValueSatisfying(b -> assertThat(b).isEqualTo(torrent));
    }
    assertThat(after.publish(one, OWNER)).isInstanceOf(AlreadyPresent.class);
  }

  @Test
  void skipsACorruptedStoredFileWithOneWarningAndLoadsTheRest() throws IOException {
    Catalogue before = open();
    Entry good = added(before.publish(single("good", 100, 1), OWNER));
    Entry bad = added(before.publish(single("bad", 100, 2), OWNER));
    Path badFile = dir.resolve(bad.infoHash().hex() + ".torrent");
    Files.write(badFile, "d4:infod4:name3:bad".getBytes(StandardCharsets.US_ASCII)); // cut short

    Opened opened = openWatchingWarnings(dir, LIMITS);

    Catalogue after = opened.catalogue();
    List<ILoggingEvent> warnings = opened.warnings();
    assertThat(after.list(Optional.empty())).containsExactly(good);
    assertThat(after.find(bad.infoHash())).isEmpty();
    assertThat(after.torrentBytes(bad.infoHash())).isEmpty();
    assertThat(warnings).hasSize(1);
    String line = warnings.get(0).getFormattedMessage();
    assertThat(line).contains(badFile.toString()).contains("invalid bencode").doesNotContain("\n");
    assertThat(Files.exists(badFile)).as("a skipped file is left for the operator").isTrue();
  }

  @Test
  void skipsAStoredFileThatIsNotNamedForItsInfoHash() throws IOException {
    byte[] torrent = single("moved", 100, 1);
    Path wrongName = dir.resolve("0".repeat(40) + ".torrent");
    Files.write(wrongName, torrent);

    Opened opened = openWatchingWarnings(dir, LIMITS);

    assertThat(opened.catalogue().list(Optional.empty())).isEmpty();
    assertThat(opened.warnings()).singleElement()
        .satisfies(w -> assertThat(w.getFormattedMessage()).contains(wrongName.toString(), hashOf(torrent).hex()));
  }

  @Test
  void skipsAStoredFileLargerThanTheLimit() throws IOException {
    Catalogue roomy = open();
    Entry big = added(roomy.publish(single("big", 100_000, 1), OWNER));
    long size = Files.size(dir.resolve(big.infoHash().hex() + ".torrent"));

    Catalogue strict = Catalogue.open(dir, new Limits(size - 1, 100, Long.MAX_VALUE));

    assertThat(strict.list(Optional.empty())).isEmpty();
  }

  @Test
  void removesTemporaryFilesLeftByACrash() throws IOException {
    Catalogue before = open();
    Entry kept = added(before.publish(single("kept", 100, 1), OWNER));
    Path leftover = dir.resolve(Catalogue.TEMP_PREFIX + "12345" + Catalogue.TEMP_SUFFIX);
    Files.write(leftover, new byte[] {'d', '4', ':'}); // half written

    Catalogue after = Catalogue.open(dir, LIMITS);

    assertThat(Files.exists(leftover)).isFalse();
    assertThat(after.list(Optional.empty())).containsExactly(kept);
    assertThat(filesIn(dir)).containsExactly(kept.infoHash().hex() + ".publisher", kept.infoHash().hex() + ".torrent");
  }

  @Test
  void refusesOversizedInputBeforeParsingIt() throws IOException {
    Catalogue catalogue = Catalogue.open(dir, new Limits(1000, 10, Long.MAX_VALUE));
    byte[] garbage = new byte[1001];

    Refused refusal = refused(catalogue.publish(garbage, OWNER));

    assertThat(refusal.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(refusal.message()).isEqualTo("the torrent is 1001 bytes, more than the 1000 this tracker accepts");
    assertThat(filesIn(dir)).isEmpty();
    assertThat(catalogue.size()).isZero();
  }

  @Test
  void refusesMalformedInputWithTheParsersReason() throws IOException {
    Catalogue catalogue = open();

    Refused empty = refused(catalogue.publish(new byte[0], OWNER));
    Refused text = refused(catalogue.publish("hello".getBytes(StandardCharsets.US_ASCII), OWNER));
    Refused noInfo = refused(catalogue.publish("d8:announce3:urle".getBytes(StandardCharsets.US_ASCII), OWNER));

    assertThat(List.of(empty, text, noInfo)).allSatisfy(r -> {
      assertThat(r.reason()).isEqualTo(Reason.INVALID);
      assertThat(r.message()).startsWith("invalid").doesNotContain("\n");
    });
    assertThat(noInfo.message()).isEqualTo("invalid torrent: the torrent has no 'info'");
    assertThat(filesIn(dir)).isEmpty();
  }

  @Test
  void refusesPathsThatWouldLeaveTheTorrentsDirectoryAndWritesNothing() throws IOException {
    Path catalogueDir = dir.resolve("catalogue");
    Catalogue catalogue = Catalogue.open(catalogueDir, LIMITS);

    Refused dotDot = refused(catalogue.publish(multi("innocent", List.of(List.of("..", "etc", "passwd"))), OWNER));
    Refused slashName = refused(catalogue.publish(single("../../escape", 100, 1), OWNER));
    Refused newline = refused(catalogue.publish(multi("x", List.of(List.of("line\nbreak/evil"))), OWNER));

    assertThat(dotDot.reason()).isEqualTo(Reason.INVALID);
    assertThat(dotDot.message())
        .isEqualTo("invalid torrent: info.files[0].path[0] is '..', which would leave the torrent's directory");
    assertThat(slashName.message()).contains("info.name").contains("path separator");
    assertThat(newline.message())
        .contains("info.files[0].path[0] contains the control character U+000A").doesNotContain("\n");
    assertThat(filesIn(catalogueDir)).isEmpty();
    assertThat(filesIn(dir)).containsExactly("catalogue");
  }

  @Test
  void refusesNewTorrentsOnceFullButStillAnswersRepublishes() throws IOException {
    Limits two = new Limits(1024 * 1024, 2, Long.MAX_VALUE);
    Catalogue catalogue = Catalogue.open(dir, two);
    byte[] first = single("a", 100, 1);
    added(catalogue.publish(first, OWNER));
    added(catalogue.publish(single("b", 100, 2), OWNER));

    Refused full = refused(catalogue.publish(single("c", 100, 3), OWNER));

    assertThat(full.reason()).isEqualTo(Reason.FULL);
    assertThat(full.message()).isEqualTo("the catalogue is full: it holds 2 torrents and this tracker keeps at most 2");
    assertThat(catalogue.publish(first, OWNER)).isInstanceOf(AlreadyPresent.class);
    assertThat(catalogue.size()).isEqualTo(2);
    assertThat(filesIn(dir)).hasSize(4);
    assertThat(Catalogue.open(dir, two).publish(single("c", 100, 3), OWNER)).isInstanceOf(Refused.class);
  }

  @Test
  void keepsEveryStoredTorrentWhenTheLimitIsLoweredButAcceptsNoMore() throws IOException {
    Catalogue before = open();
    before.publish(single("a", 100, 1), OWNER);
    before.publish(single("b", 100, 2), OWNER);

    Catalogue after = Catalogue.open(dir, new Limits(1024 * 1024, 1, Long.MAX_VALUE));

    assertThat(after.size()).isEqualTo(2);
    assertThat(refused(after.publish(single("c", 100, 3), OWNER)).reason()).isEqualTo(Reason.FULL);
  }

  @Test
  void ignoresFilesThatAreNotCatalogueEntries() throws IOException {
    Files.writeString(dir.resolve("README"), "not a torrent");
    Files.createDirectory(dir.resolve("subdir"));

    Catalogue catalogue = Catalogue.open(dir, LIMITS);

    assertThat(catalogue.size()).isZero();
    assertThat(filesIn(dir)).containsExactly("README", "subdir");
  }

  @Test
  void aNameBelongsToItsFirstPublisherAcrossARestart() throws IOException {
    Catalogue.Publisher bob = new Catalogue.Publisher("bob", Long.MAX_VALUE);
    Catalogue catalogue = open();
    added(catalogue.publish(single("song.ogg", 100, 1), OWNER));
    Refused taken = refused(catalogue.publish(single("song.ogg", 200, 2), bob));
    assertThat(taken.reason()).isEqualTo(Reason.NAME_TAKEN);
    assertThat(taken.message()).contains("song.ogg").contains("alice");
    // The owner may publish another version; others keep their own names.
    assertThat(added(catalogue.publish(single("song.ogg", 300, 3), OWNER)).publisher()).isEqualTo("alice");
    assertThat(added(catalogue.publish(single("other.ogg", 100, 4), bob)).publisher()).isEqualTo("bob");

    Catalogue reopened = Catalogue.open(dir, LIMITS, new SteppingClock(T0));
    assertThat(reopened.byExactName("song.ogg")).extracting(Entry::publisher).containsOnly("alice");
    assertThat(refused(reopened.publish(single("song.ogg", 400, 5), bob)).reason()).isEqualTo(Reason.NAME_TAKEN);
    assertThat(added(reopened.publish(single("other.ogg", 200, 6), bob)).publisher()).isEqualTo("bob");
  }

  @Test
  void aPublisherStaysWithinItsQuotaAndTheCatalogueWithinItsBytes() throws IOException {
    byte[] first = single("a", 100, 1);
    byte[] second = single("b", 100, 2);
    byte[] third = single("c", 100, 3);
    Catalogue.Publisher small = new Catalogue.Publisher("small", first.length + second.length);
    Catalogue catalogue = Catalogue.open(dir, new Limits(1024 * 1024, 100, (long) first.length + second.length + third.length), new SteppingClock(T0));
    added(catalogue.publish(first, small));
    added(catalogue.publish(second, small));
    Refused quota = refused(catalogue.publish(third, small));
    assertThat(quota.reason()).isEqualTo(Reason.QUOTA);
    assertThat(quota.message()).contains("small").contains("quota");
    // Publishing what is already there costs nothing.
    assertThat(catalogue.publish(first, small)).isInstanceOf(AlreadyPresent.class);

    added(catalogue.publish(third, OWNER));
    Refused full = refused(catalogue.publish(single("d", 100, 4), OWNER));
    assertThat(full.reason()).isEqualTo(Reason.FULL);
    assertThat(full.message()).contains("bytes");
    assertThat(catalogue.totalBytes()).isEqualTo(first.length + second.length + third.length);
    assertThat(Catalogue.open(dir, LIMITS, new SteppingClock(T0)).totalBytes()).isEqualTo(catalogue.totalBytes());
  }

  @Test
  void pagesThroughAListingWithItsTotal() throws IOException {
    Catalogue catalogue = open();
    for (int i = 0; i < 7; i++) {
      added(catalogue.publish(single("file-" + i, 100, i + 1), OWNER));
    }
    added(catalogue.publish(single("other", 100, 9), OWNER));
    Catalogue.Page first = catalogue.page(Optional.of("file"), 0, 3);
    assertThat(first.total()).isEqualTo(7);
    assertThat(first.entries()).extracting(Entry::name).containsExactly("file-0", "file-1", "file-2");
    assertThat(catalogue.page(Optional.of("file"), 6, 3).entries()).extracting(Entry::name).containsExactly("file-6");
    assertThat(catalogue.page(Optional.of("file"), 9, 3).entries()).isEmpty();
    assertThat(catalogue.page(Optional.empty(), 0, Integer.MAX_VALUE).entries()).hasSize(8);
    assertThat(catalogue.page(Optional.empty(), Integer.MAX_VALUE, Integer.MAX_VALUE).entries()).isEmpty();
  }

  @Test
  void refusesNonsensicalLimits() {
    assertThatThrownBy(() -> new Limits(0, 10, Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Limits(10, -1, Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keepsReasonsToOneShortLine() {
    String reason = Catalogue.oneLine("a\r\n\u202eb" + "x".repeat(10_000));

    assertThat(reason).startsWith("a\\x0d\\x0a\\u202eb").endsWith("...").hasSizeLessThan(320);
  }

  record Opened(Catalogue catalogue, List<ILoggingEvent> warnings) {}

  /** Opens a catalogue, collecting the WARN (and worse) lines it logs meanwhile. */
  private static Opened openWatchingWarnings(Path directory, Limits limits) throws IOException {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Catalogue.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      Catalogue catalogue = Catalogue.open(directory, limits);
      List<ILoggingEvent> warnings =
          appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
      return new Opened(catalogue, warnings);
    } finally {
      logger.detachAppender(appender);
    }
  }
}
