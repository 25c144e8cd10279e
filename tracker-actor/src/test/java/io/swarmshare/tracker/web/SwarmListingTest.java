package io.swarmshare.tracker.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.tracker.Tracker.SwarmRow;
import io.swarmshare.tracker.web.SwarmListing.Sort;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SwarmListingTest {

  static SwarmRow row(String hexStart, String name, int seeders, int leechers, int completed) {
    String hex = (hexStart + "0".repeat(40)).substring(0, 40);
    return new SwarmRow(InfoHash.fromHex(hex), Optional.ofNullable(name), seeders, leechers, completed);
  }

  static final List<SwarmRow> SWARMS = List.of(
      row("aa", "Holiday.mp4", 1, 4, 3),
      row("bb", null, 5, 0, 9),
      row("cc", "debian.iso", 2, 2, 0),
      row("dd", "holiday-2.mp4", 0, 1, 1));

  static List<String> names(SwarmListing.Page page) {
    return page.rows().stream().map(r -> r.name().orElse(r.infoHash().hex().substring(0, 2))).toList();
  }

  @Test
  void sortsByAnyColumnEitherWayWithTiesByInfoHash() {
    assertThat(names(SwarmListing.page(SWARMS, "", Sort.NAME, false, 0, 10)))
        .containsExactly("bb", "debian.iso", "holiday-2.mp4", "Holiday.mp4");
    assertThat(names(SwarmListing.page(SWARMS, "", Sort.SEEDERS, true, 0, 10)))
        .containsExactly("bb", "debian.iso", "Holiday.mp4", "holiday-2.mp4");
    assertThat(names(SwarmListing.page(SWARMS, "", Sort.LEECHERS, false, 0, 10)))
        .containsExactly("bb", "holiday-2.mp4", "debian.iso", "Holiday.mp4");
    assertThat(names(SwarmListing.page(SWARMS, "", Sort.COMPLETED, true, 0, 10)))
        .containsExactly("bb", "Holiday.mp4", "holiday-2.mp4", "debian.iso");
    assertThat(names(SwarmListing.page(SWARMS, "", Sort.PEERS, true, 0, 10)))
        .as("5, 5, 4, 1 peers: the tie reversed with the order")
        .containsExactly("bb", "Holiday.mp4", "debian.iso", "holiday-2.mp4");
  }

  @Test
  void searchesNamesWithoutCaseAndInfoHashes() {
    assertThat(names(SwarmListing.page(SWARMS, " HOLIDAY ", Sort.NAME, false, 0, 10)))
        .containsExactly("holiday-2.mp4", "Holiday.mp4");
    assertThat(names(SwarmListing.page(SWARMS, "bb0", Sort.NAME, false, 0, 10))).containsExactly("bb");
    assertThat(SwarmListing.page(SWARMS, "nothing", Sort.NAME, false, 0, 10).matching()).isZero();
  }

  @Test
  void pagesTheMatchingSwarms() {
    SwarmListing.Page second = SwarmListing.page(SWARMS, "", Sort.NAME, false, 2, 1);
    assertThat(second.matching()).isEqualTo(4);
    assertThat(second.offset()).isEqualTo(2);
    assertThat(names(second)).containsExactly("holiday-2.mp4");
    SwarmListing.Page past = SwarmListing.page(SWARMS, "", Sort.NAME, false, 99, Integer.MAX_VALUE);
    assertThat(past.rows()).isEmpty();
    assertThat(past.offset()).isEqualTo(4);
  }

  @Test
  void parsesTheColumnsThePageNames() {
    assertThat(Sort.parse("seeders")).contains(Sort.SEEDERS);
    assertThat(Sort.parse("Name")).contains(Sort.NAME);
    assertThat(Sort.parse("address")).isEmpty();
  }
}
