package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our torrents against real BitTorrent software: libtorrent (python3-libtorrent) and mktorrent. */
class InteropIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What libtorrent makes of a .torrent: its v1 info hash, piece geometry and file list. */
  private static final String DESCRIBE = String.join("\n",
      "import json, sys, libtorrent as lt",
      "ti = lt.torrent_info(sys.argv[1])",
      "fs = ti.files()",
      "print(json.dumps({'hash': str(ti.info_hashes().v1), 'name': ti.name(),",
      "  'pieceLength': ti.piece_length(), 'pieceCount': ti.num_pieces(), 'totalLength': ti.total_size(),",
      "  'files': [[fs.file_path(i), fs.file_size(i)] for i in range(fs.num_files()) if not fs.file_flags(i) & fs.flag_pad_file]}))");

  @TempDir Path dir;

  private Path file(String name, int size) throws Exception {
    byte[] data = new byte[size];
    new Random(name.hashCode() + size).nextBytes(data);
    Path path = dir.resolve(name);
    Files.createDirectories(path.getParent());
    return Files.write(path, data);
  }

  private JsonNode libtorrent(String torrent) throws Exception {
    Cli.Result r = RealTools.run(dir, RealTools.PYTHON, "-c", DESCRIBE, torrent);
    assertThat(r.exitCode()).as("libtorrent: %s", r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private JsonNode ours(String torrent) throws Exception {
    return JSON.readTree(Cli.run(dir, "info", "--json", torrent).succeeds().out());
  }

  private static List<List<Object>> files(JsonNode ours) {
    List<List<Object>> files = new ArrayList<>();
    ours.get("files").forEach(f -> files.add(List.of(f.get("path").asText(), f.get("length").asLong())));
    return files;
  }

  private static List<List<Object>> libtorrentFiles(JsonNode lt) {
    List<List<Object>> files = new ArrayList<>();
    lt.get("files").forEach(f -> files.add(List.of(f.get(0).asText(), f.get(1).asLong())));
    return files;
  }

  @Test
  void libtorrentLoadsOurTorrentsWithTheSameHashAndFiles() throws Exception {
    RealTools.requireLibtorrent();
    file("single.bin", 1_234_567);
    file("album/a.bin", 70_000);
    file("album/b/c.bin", 5);
    file("album/b-side.bin", 40_000);
    Cli.run(dir, "create", "single.bin", "--tracker", "udp://127.0.0.1:6969/announce").succeeds();
    Cli.run(dir, "create", "album", "--piece-length", "16K").succeeds();
    for (String torrent : List.of("single.bin.torrent", "album.torrent")) {
      JsonNode ours = ours(torrent);
      JsonNode lt = libtorrent(torrent);
      assertThat(lt.get("hash").asText()).isEqualTo(ours.get("infoHash").asText());
      assertThat(lt.get("name").asText()).isEqualTo(ours.get("name").asText());
      assertThat(lt.get("pieceLength").asLong()).isEqualTo(ours.get("pieceLength").asLong());
      assertThat(lt.get("pieceCount").asInt()).isEqualTo(ours.get("pieceCount").asInt());
      assertThat(lt.get("totalLength").asLong()).isEqualTo(ours.get("totalLength").asLong());
      assertThat(libtorrentFiles(lt)).isEqualTo(files(ours));
    }
  }

  @Test
  void weReadMktorrentsTorrentsWithTheHashLibtorrentReports() throws Exception {
    RealTools.requireLibtorrent();
    RealTools.requireMktorrent();
    file("m/one.bin", 300_000);
    file("m/two/three.bin", 12_345);
    file("solo.bin", 99_999);
    for (String target : List.of("m", "solo.bin")) {
      String torrent = target + ".mk.torrent";
      Cli.Result made = RealTools.run(dir, "mktorrent", "-l", "15", "-a", "http://127.0.0.1:6969/announce",
          "-c", "made by mktorrent", "-o", torrent, target);
      assertThat(made.exitCode()).as("mktorrent: %s", made.err()).isZero();
      JsonNode ours = ours(torrent);
      JsonNode lt = libtorrent(torrent);
      assertThat(ours.get("infoHash").asText()).isEqualTo(lt.get("hash").asText());
      assertThat(files(ours)).isEqualTo(libtorrentFiles(lt));
      assertThat(ours.get("comment").asText()).isEqualTo("made by mktorrent");
      assertThat(ours.get("trackers").get(0).get(0).asText()).isEqualTo("http://127.0.0.1:6969/announce");
    }
  }

  @ParameterizedTest(name = "{0} bytes in pieces of 2^{1}")
  @CsvSource({"1, 15", "32768, 15", "1000003, 16", "5000000, 18", "3000000, 20"})
  void createAgreesWithMktorrentOnTheInfoHash(int size, int exponent) throws Exception {
    RealTools.requireMktorrent();
    file("same.bin", size);
    Cli.Result made = RealTools.run(dir, "mktorrent", "-l", String.valueOf(exponent),
        "-a", "udp://127.0.0.1:1/announce", "-o", "mk.torrent", "same.bin");
    assertThat(made.exitCode()).as("mktorrent: %s", made.err()).isZero();
    Cli.run(dir, "create", "same.bin", "--piece-length", String.valueOf(1 << exponent), "-o", "ours.torrent").succeeds();
    assertThat(ours("ours.torrent").get("infoHash").asText()).isEqualTo(ours("mk.torrent").get("infoHash").asText());
  }
}
