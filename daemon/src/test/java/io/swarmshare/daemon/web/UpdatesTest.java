package io.swarmshare.daemon.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swarmshare.daemon.rpc.TorrentFields;
import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.bandwidth.TorrentLimits;
import io.swarmshare.peer.session.SeedingGoals;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdatesTest {

  @TempDir Path dir;
  final TorrentFields fields = new TorrentFields(50);

  TorrentSnapshot torrent(String name, int id, TorrentState state, long downloadRate) throws Exception {
    Metainfo m = TorrentCreator.of(Files.writeString(dir.resolve(name), name)).create();
    return new TorrentSnapshot(id, m.infoHash(), m.info().name(), Optional.of(m), m.trackerTiers(), dir, state, 1, Bitfield.full(1), new Bitfield(1),
        name.length(), 0, 0, downloadRate, 0, 3, 1, 1,
        0, 0, Instant.EPOCH, Optional.empty(), Optional.empty(), 0, 0, null, List.of(),
        new SeedingGoals.Goals(SeedingGoals.Mode.NODE, 2.0,
            SeedingGoals.Mode.NODE, Duration.ofMinutes(30)), TorrentLimits.NONE, List.of(), 0);
  }

  @Test
  void theLatestSnapshotOfEachTorrentWinsAndARemovalDropsItsChanges() throws Exception {
    Updates u = Updates.of(new Session.TorrentChanged(torrent("a", 1, TorrentState.DOWNLOADING, 10)));
    u.add(new Session.TorrentChanged(torrent("b", 2, TorrentState.DOWNLOADING, 20)));
    u.add(new Session.TorrentChanged(torrent("a", 1, TorrentState.DOWNLOADING, 30)));
    TorrentSnapshot bDone = torrent("b", 2, TorrentState.SEEDING, 0);
    u.add(new Session.TorrentChanged(bDone));
    u.add(new Session.TorrentCompleted(bDone));
    u.add(new Session.TorrentChanged(torrent("c", 3, TorrentState.STOPPED, 0)));
    u.add(new Session.TorrentRemoved(3, bDone.infoHash()));

    JsonNode json = u.toJson(fields, new Updates.Sent()).orElseThrow();
    assertThat(json.path("reset").asBoolean()).isFalse();
    assertThat(json.path("torrents")).hasSize(2);
    assertThat(json.path("torrents").get(0).path("name").asText()).isEqualTo("a");
    assertThat(json.path("torrents").get(0).path("rateDownload").asLong()).isEqualTo(30);
    assertThat(json.path("torrents").get(1).path("status").asInt()).as("seeding").isEqualTo(6);
    assertThat(json.path("removed").toString()).isEqualTo("[3]");
    assertThat(json.path("completed").toString()).isEqualTo("[2]");
  }

  @Test
  void aResetCarriesTheWholeList() throws Exception {
    JsonNode json = Updates.reset(List.of(torrent("x", 7, TorrentState.SEEDING, 0))).toJson(fields,
        new Updates.Sent()).orElseThrow();
    assertThat(json.path("reset").asBoolean()).isTrue();
    assertThat(json.path("torrents").get(0).path("id").asInt()).isEqualTo(7);
    assertThat(json.path("torrents").get(0).fieldNames()).toIterable()
        .containsExactlyInAnyOrderElementsOf(Updates.FIELDS);
    assertThat(json.path("removed")).isEmpty();
  }

  @Test
  void aTorrentIsSentAgainOnlyWhenWhatThePageShowsOfItChanged() throws Exception {
    Updates.Sent sent = new Updates.Sent();
    TorrentSnapshot a = torrent("a", 1, TorrentState.SEEDING, 0);
    TorrentSnapshot b = torrent("b", 2, TorrentState.DOWNLOADING, 10);
    assertThat(Updates.reset(List.of(a, b)).toJson(fields, sent).orElseThrow().path("torrents")).hasSize(2);

    assertThat(Updates.of(new Session.TorrentChanged(a)).toJson(fields, sent))
        .as("a snapshot the page has as it is: no message at all").isEmpty();
    JsonNode faster = Updates.of(new Session.TorrentChanged(a)).add(new Session.TorrentChanged(
        torrent("b", 2, TorrentState.DOWNLOADING, 20))).toJson(fields, sent).orElseThrow();
    assertThat(faster.path("torrents")).hasSize(1);
    assertThat(faster.path("torrents").get(0).path("rateDownload").asLong()).isEqualTo(20);
    assertThat(Updates.of(new Session.TorrentCompleted(a)).toJson(fields, sent).orElseThrow().path("torrents"))
        .as("a completed torrent comes with its completion").hasSize(1);

    assertThat(Updates.of(new Session.TorrentRemoved(1, a.infoHash())).toJson(fields, sent).orElseThrow()
        .path("removed").toString()).isEqualTo("[1]");
    assertThat(Updates.of(new Session.TorrentChanged(a)).toJson(fields, sent)).as("back after a removal: sent again")
        .isPresent();
    assertThat(Updates.reset(List.of(a)).toJson(fields, sent).orElseThrow().path("torrents"))
        .as("a reset carries everything, sent or not").hasSize(1);
  }
}
