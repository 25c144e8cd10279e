package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.metainfo.FileEntry;
import io.swarmshare.messages.metainfo.Info;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.peer.bandwidth.TorrentLimits;
import io.swarmshare.peer.session.SeedingGoals;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Names from torrents and from trackers reach the terminal escaped: a name cannot clear the
 * screen, forge a line or turn the rest of a line around. The torrents here are built in code,
 * so they hold names that the parser would refuse, as a buggy or hostile source could hand over.
 */
class PrintedNamesTest {

  private static final String EVIL = "clip\u001b[2J\nswarmshare: FAKE\u202etxt.exe\u009b";
  private static final String SHOWN = "clip\\x1b[2J\\x0aswarmshare: FAKE\\u202etxt.exe\\x9b";

  private static Metainfo torrent() {
    Info info = new Info("dir" + EVIL, 16384, new byte[20],
        List.of(new FileEntry(List.of("sub" + EVIL, "file" + EVIL), 100)), false, false);
    return Metainfo.of(info, List.of("http://t.example/announce" + EVIL), Optional.of("comment" + EVIL),
        Optional.of("maker" + EVIL), Optional.empty());
  }

  private static String printed(Consumer<PrintWriter> print) {
    StringWriter text = new StringWriter();
    print.accept(new PrintWriter(text));
    return text.toString();
  }

  private static void assertPrintable(String output) {
    assertThat(output.lines()).allSatisfy(line -> assertThat(line.codePoints())
        .allSatisfy(c -> assertThat(c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f) && c != 0x202e)
            .as("U+%04X in %s", c, line).isTrue()));
  }

  @Test
  void infoEscapesTheNameTrackersCommentAndPaths() {
    String output = printed(TorrentSummary.of(torrent())::printText);
    assertPrintable(output);
    assertThat(output)
        .contains("name:          dir" + SHOWN + "\n")
        .contains("http://t.example/announce" + SHOWN)
        .contains("comment:       comment" + SHOWN)
        .contains("created by:    maker" + SHOWN)
        .contains("dir" + SHOWN + "/sub" + SHOWN + "/file" + SHOWN + "\n");
    assertThat(output.lines()).noneMatch(line -> line.startsWith("swarmshare:"));
  }

  @Test
  void infoJsonIsAsciiAndDecodesToTheNamesAsTheyAre() throws IOException {
    String output = printed(TorrentSummary.of(torrent())::printJson);
    assertThat(output.trim().chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    JsonNode json = new ObjectMapper().readTree(output);
    assertThat(json.get("name").asText()).isEqualTo("dir" + EVIL);
    assertThat(json.get("files").get(0).get("path").asText())
        .isEqualTo("dir" + EVIL + "/sub" + EVIL + "/file" + EVIL);
  }

  @Test
  void listEscapesTheCatalogue() throws IOException {
    JsonNode entries = new ObjectMapper().readTree(
        "[{\"name\":\"" + "a\\u001b]0;title\\u0007\\u202e" + "\",\"size\":5,\"seeders\":1,\"leechers\":0,"
            + "\"completed\":0,\"infoHash\":\"\\u001b[31m\"}]");
    String output = printed(out -> ListCommand.print(entries, null, out));
    assertPrintable(output);
    assertThat(output).contains("a\\x1b]0;title\\x07\\u202e").contains("\\x1b[31m");
    String none = printed(out -> ListCommand.print(new ObjectMapper().createArrayNode(), "x\u001b", out));
    assertThat(none).isEqualTo("nothing in the catalogue matches 'x\\x1b'\n");
  }

  @Test
  void progressEscapesTheName() {
    Metainfo m = torrent();
    Bitfield all = Bitfield.full(m.info().pieceCount());
    TorrentSnapshot status = new TorrentSnapshot(1, m.infoHash(), m.info().name(), Optional.of(m), m.trackerTiers(), Path.of("."), TorrentState.SEEDING, m.info().pieceCount(), all,
        new Bitfield(m.info().pieceCount()),
        m.info().totalLength(), 100, 0, 0, 0, 1, 0, 0, 0, 0, Instant.EPOCH, Optional.empty(), Optional.empty(),
        0, 0, null, List.of(),
        new SeedingGoals.Goals(SeedingGoals.Mode.NODE, 2.0,
            SeedingGoals.Mode.NODE, Duration.ofMinutes(30)), TorrentLimits.NONE, List.of(), 0);
    String output = printed(out -> ProgressView.forOutput(out, false).finish(status));
    assertPrintable(output);
    assertThat(output).startsWith("dir" + SHOWN + ": 100.0%");
  }

  @Test
  void oneLineErrorsAreEscaped() {
    assertThat(Main.describe(new IOException("tracker said " + EVIL))).isEqualTo("tracker said " + SHOWN);
    assertThat(Main.describe(new Main.CommandFailure("failed: " + EVIL))).isEqualTo("failed: " + SHOWN);
  }
}
