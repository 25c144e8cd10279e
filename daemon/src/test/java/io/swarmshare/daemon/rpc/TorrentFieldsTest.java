package io.swarmshare.daemon.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.peer.bandwidth.TorrentLimits;
import io.swarmshare.peer.session.SeedingGoals;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.peer.tracker.AnnounceCounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorrentFieldsTest {

  @TempDir Path dir;
  final TorrentFields fields = new TorrentFields(50);

  /** Two files of 40,000 and 30,000 bytes in pieces of 16 KiB; piece 2 spans both. */
  Metainfo album() throws Exception {
    Path album = Files.createDirectories(dir.resolve("album"));
    Files.write(album.resolve("a.bin"), new byte[40_000]);
    Files.write(album.resolve("b.bin"), new byte[30_000]);
    return TorrentCreator.of(album).pieceLength(16384).create();
  }

  TorrentSnapshot snapshot(Metainfo m, TorrentState state, Bitfield have, long downloaded, long uploaded,
      long downRate) {
    return snapshot(m, state, have, downloaded, uploaded, downRate, List.of());
  }

  TorrentSnapshot snapshot(Metainfo m, TorrentState state, Bitfield have, long downloaded, long uploaded,
      long downRate, List<AnnounceCounts.Count> trackers) {
    return snapshot(m, state, have, new Bitfield(have.pieceCount()), downloaded, uploaded, downRate, trackers);
  }

  TorrentSnapshot snapshot(Metainfo m, TorrentState state, Bitfield have, Bitfield inProgress, long downloaded,
      long uploaded, long downRate, List<AnnounceCounts.Count> trackers) {
    long verified = 0;
    for (int p = have.nextSet(0); p >= 0; p = have.nextSet(p + 1)) {
      verified += m.info().pieceSize(p);
    }
    return new TorrentSnapshot(3, m.infoHash(), m.info().name(), Optional.of(m), m.trackerTiers(), dir, state, have.cardinality(), have, inProgress, verified, downloaded, uploaded, downRate,
        0, 2, 1, 0, 0, 0, Instant.ofEpochSecond(1_700_000_000), Optional.empty(), Optional.empty(), 10, 0, null,
        trackers, GOALS, LIMITS, List.of("tv", "hd"), 4);
  }

  @Test
  void piecesAreTheVerifiedPiecesAsABase64BitfieldHighBitFirst() throws Exception {
    Metainfo m = album(); // 5 pieces
    Bitfield have = new Bitfield(m.info().pieceCount());
    have.set(0);
    have.set(2);
    ObjectNode out = fields.of(snapshot(m, TorrentState.DOWNLOADING, have, 0, 0, 0), List.of("pieces", "pieceCount"));
    assertThat(out.path("pieceCount").asInt()).isEqualTo(5);
    assertThat(Base64.getDecoder().decode(out.path("pieces").asText())).containsExactly(0b1010_0000);
  }

  @Test
  void piecesInProgressAreOursAndABitfieldLikePieces() throws Exception {
    Metainfo m = album(); // 5 pieces
    Bitfield have = new Bitfield(5);
    have.set(0);
    Bitfield fetching = new Bitfield(5);
    fetching.set(1);
    fetching.set(4);
    ObjectNode out = fields.of(snapshot(m, TorrentState.DOWNLOADING, have, fetching, 0, 0, 0, List.of()),
        List.of("pieces", "piecesInProgress"));
    assertThat(Base64.getDecoder().decode(out.path("pieces").asText())).containsExactly(0b1000_0000);
    assertThat(Base64.getDecoder().decode(out.path("piecesInProgress").asText())).containsExactly(0b0100_1000);

    ObjectNode seeding = fields.of(snapshot(m, TorrentState.SEEDING, Bitfield.full(5), 0, 0, 0),
        List.of("piecesInProgress"));
    assertThat(Base64.getDecoder().decode(seeding.path("piecesInProgress").asText())).containsExactly(0);
  }

  @Test
  void aTorrentWithoutItsMetadataHasNoPiecesInProgress() throws Exception {
    Metainfo m = album();
    TorrentSnapshot s = snapshot(m, TorrentState.DOWNLOADING, new Bitfield(5), 0, 0, 0);
    TorrentSnapshot link = new TorrentSnapshot(s.id(), s.infoHash(), "from a link", Optional.empty(), List.of(),
        s.directory(), s.state(), 0, new Bitfield(0), new Bitfield(0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, s.added(),
        Optional.empty(), Optional.empty(), 0, 0, null, List.of(), GOALS, LIMITS, List.of(), 0);
    ObjectNode out = fields.of(link, List.of("pieceCount", "pieces", "piecesInProgress"));
    assertThat(out.path("pieceCount").asInt()).isZero();
    assertThat(out.path("pieces").asText()).isEmpty();
    assertThat(out.path("piecesInProgress").asText()).isEmpty();
  }

  @Test
  void trackerStatsJoinEveryTierWithWhatItsLastAnnounceGot() throws Exception {
    Path file = Files.write(dir.resolve("one.bin"), new byte[20_000]);
    String good = "udp://127.0.0.1:6969/announce";
    String bad = "http://tracker.example:8080/announce";
    String never = "udp://backup.example:1337/announce";
    Metainfo m = TorrentCreator.of(file).trackers(List.of(good, bad, never)).create();
    Instant last = Instant.ofEpochSecond(1_700_000_100);
    List<AnnounceCounts.Count> counts = List.of(
        new AnnounceCounts.Count(bad, 0, 2, Optional.of(last.minusSeconds(5)), false, "tracker.example: refused: no",
            Optional.empty(), -1, -1, -1),
        new AnnounceCounts.Count(good, 3, 0, Optional.of(last), true, "", Optional.of(last.plusSeconds(1800)), 4, 2, 5));
    Bitfield all = Bitfield.full(m.info().pieceCount());
    JsonNode stats = fields.of(snapshot(m, TorrentState.SEEDING, all, 0, 0, 0, counts), List.of("trackerStats"))
        .path("trackerStats");
    assertThat(stats).hasSize(3);
    JsonNode answered = stats.get(0);
    assertThat(answered.path("announce").asText()).isEqualTo(good);
    assertThat(answered.path("host").asText()).isEqualTo("udp://127.0.0.1:6969");
    assertThat(answered.path("tier").asInt()).isZero();
    assertThat(answered.path("hasAnnounced").asBoolean()).isTrue();
    assertThat(answered.path("lastAnnounceSucceeded").asBoolean()).isTrue();
    assertThat(answered.path("lastAnnounceResult").asText()).isEqualTo("Success");
    assertThat(answered.path("lastAnnounceTime").asLong()).isEqualTo(1_700_000_100);
    assertThat(answered.path("nextAnnounceTime").asLong()).isEqualTo(1_700_001_900);
    assertThat(answered.path("announceState").asInt()).as("waiting").isEqualTo(1);
    assertThat(answered.path("seederCount").asInt()).isEqualTo(4);
    assertThat(answered.path("leecherCount").asInt()).isEqualTo(2);
    assertThat(answered.path("lastAnnouncePeerCount").asInt()).isEqualTo(5);
    assertThat(answered.path("downloadCount").asInt()).as("not reported").isEqualTo(-1);
    JsonNode failed = stats.get(1);
    assertThat(failed.path("tier").asInt()).isEqualTo(1);
    assertThat(failed.path("lastAnnounceSucceeded").asBoolean()).isFalse();
    assertThat(failed.path("lastAnnounceResult").asText()).isEqualTo("tracker.example: refused: no");
    assertThat(failed.path("nextAnnounceTime").asLong()).isZero();
    assertThat(failed.path("seederCount").asInt()).isEqualTo(-1);
    JsonNode unasked = stats.get(2);
    assertThat(unasked.path("hasAnnounced").asBoolean()).isFalse();
    assertThat(unasked.path("lastAnnounceTime").asLong()).isZero();
    assertThat(unasked.path("lastAnnounceResult").asText()).isEmpty();
    assertThat(unasked.path("announceState").asInt()).isZero();
    assertThat(stats).extracting(t -> t.path("id").asInt()).containsExactly(0, 1, 2);

    JsonNode stopped = fields.of(snapshot(m, TorrentState.STOPPED, all, 0, 0, 0, counts), List.of("trackerStats"))
        .path("trackerStats").get(0);
    assertThat(stopped.path("announceState").asInt()).as("a stopped torrent announces nothing").isZero();
    assertThat(stopped.path("nextAnnounceTime").asLong()).isZero();
  }

  static final TorrentLimits LIMITS = new TorrentLimits(250_000, true, 40_000, false, false);

  static final SeedingGoals.Goals GOALS = new SeedingGoals.Goals(SeedingGoals.Mode.OWN, 0.5,
      SeedingGoals.Mode.UNLIMITED, Duration.ofMinutes(45));

  @Test
  void filesCountTheBytesOfVerifiedPiecesTheyHoldEvenAcrossABoundary() throws Exception {
    Metainfo m = album();
    Bitfield have = new Bitfield(m.info().pieceCount());
    have.set(2); // bytes 32,768 to 49,152: 7,232 of a.bin and 9,152 of b.bin
    ObjectNode out = fields.of(snapshot(m, TorrentState.DOWNLOADING, have, 0, 0, 0), List.of("files", "fileStats"));
    assertThat(out.path("files").get(0).path("name").asText()).isEqualTo("album/a.bin");
    assertThat(out.path("files").get(0).path("bytesCompleted").asLong()).isEqualTo(40_000 - 32_768);
    assertThat(out.path("files").get(1).path("bytesCompleted").asLong()).isEqualTo(49_152 - 40_000);
    assertThat(out.path("fileStats").get(1).path("wanted").asBoolean()).isTrue();
  }

  @Test
  void typesAndValuesAreTransmissions() throws Exception {
    Metainfo m = album();
    Bitfield have = new Bitfield(m.info().pieceCount());
    have.set(0);
    ObjectNode out = fields.of(snapshot(m, TorrentState.DOWNLOADING, have, 16384, 8192, 1000),
        List.of("id", "status", "uploadRatio", "percentDone", "eta", "leftUntilDone", "addedDate", "doneDate",
            "peer-limit", "error", "errorString", "hashString", "no-such-field"));
    assertThat(out.path("status").asInt()).isEqualTo(4);
    assertThat(out.path("uploadRatio").isDouble()).isTrue();
    assertThat(out.path("uploadRatio").asDouble()).isEqualTo(0.5);
    assertThat(out.path("percentDone").asDouble()).isEqualTo(16384.0 / 70_000);
    assertThat(out.path("leftUntilDone").asLong()).isEqualTo(70_000 - 16384);
    assertThat(out.path("eta").asLong()).isEqualTo((70_000 - 16384) / 1000);
    assertThat(out.path("addedDate").asLong()).isEqualTo(1_700_000_000);
    assertThat(out.path("doneDate").asLong()).as("never").isZero();
    assertThat(out.path("peer-limit").asInt()).isEqualTo(50);
    assertThat(out.path("error").asInt()).isZero();
    assertThat(out.path("errorString").asText()).isEmpty();
    assertThat(out.has("no-such-field")).isFalse();
  }

  @Test
  void statesMapToTransmissionsNumbersAndNothingDownloadedHasNoRatio() throws Exception {
    Metainfo m = album();
    Bitfield none = new Bitfield(m.info().pieceCount());
    Bitfield all = Bitfield.full(m.info().pieceCount());
    assertThat(TorrentFields.status(snapshot(m, TorrentState.STOPPED, none, 0, 0, 0))).isZero();
    assertThat(TorrentFields.status(snapshot(m, TorrentState.CHECK_WAIT, none, 0, 0, 0))).isEqualTo(1);
    assertThat(TorrentFields.status(snapshot(m, TorrentState.CHECKING, none, 0, 0, 0))).isEqualTo(2);
    assertThat(TorrentFields.status(snapshot(m, TorrentState.QUEUED, none, 0, 0, 0))).as("download-wait").isEqualTo(3);
    assertThat(TorrentFields.status(snapshot(m, TorrentState.QUEUED, all, 0, 0, 0))).as("seed-wait").isEqualTo(5);
    assertThat(TorrentFields.status(snapshot(m, TorrentState.SEEDING, all, 0, 0, 0))).isEqualTo(6);
    assertThat(TorrentFields.ratio(snapshot(m, TorrentState.DOWNLOADING, none, 0, 0, 0))).isEqualTo(-1.0);
    assertThat(TorrentFields.eta(snapshot(m, TorrentState.DOWNLOADING, none, 0, 0, 0))).as("no rate").isEqualTo(-1);
  }

  @Test
  void seedingGoalsLabelsAndTheQueuePositionAreTheTorrentsOwn() throws Exception {
    Metainfo m = album();
    ObjectNode out = fields.of(snapshot(m, TorrentState.SEEDING, Bitfield.full(m.info().pieceCount()), 0, 0, 0),
        List.of("seedRatioLimit", "seedRatioMode", "seedIdleLimit", "seedIdleMode", "labels", "queuePosition"));
    assertThat(out.path("seedRatioLimit").isDouble()).isTrue();
    assertThat(out.path("seedRatioLimit").asDouble()).isEqualTo(0.5);
    assertThat(out.path("seedRatioMode").asInt()).isEqualTo(1);
    assertThat(out.path("seedIdleLimit").asInt()).as("minutes").isEqualTo(45);
    assertThat(out.path("seedIdleMode").asInt()).isEqualTo(2);
    assertThat(out.path("labels")).extracting(n -> n.asText()).containsExactly("tv", "hd");
    assertThat(out.path("queuePosition").asInt()).isEqualTo(4);
  }

  @Test
  void speedLimitsAreInKilobytesASecondEachWithItsSwitch() throws Exception {
    Metainfo m = album();
    ObjectNode out = fields.of(snapshot(m, TorrentState.SEEDING, Bitfield.full(m.info().pieceCount()), 0, 0, 0),
        List.of("downloadLimit", "downloadLimited", "uploadLimit", "uploadLimited", "honorsSessionLimits"));
    assertThat(out.path("downloadLimit").asLong()).isEqualTo(250);
    assertThat(out.path("downloadLimited").asBoolean()).isTrue();
    assertThat(out.path("uploadLimit").asLong()).as("kept while switched off").isEqualTo(40);
    assertThat(out.path("uploadLimited").asBoolean()).isFalse();
    assertThat(out.path("honorsSessionLimits").isBoolean()).isTrue();
    assertThat(out.path("honorsSessionLimits").asBoolean()).isFalse();
  }
}
