package io.swarmshare.messages.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.bencode.BDict;
import io.swarmshare.messages.bencode.BList;
import io.swarmshare.messages.bencode.BString;
import io.swarmshare.messages.bencode.BValue;
import io.swarmshare.messages.bencode.BencodeEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetainfoParserTest {

  private static final byte[] TWO_HASHES = new byte[40];

  private static BDict singleFileInfo() {
    return BDict.builder()
        .put("name", "file.bin")
        .put("piece length", 16384)
        .put("pieces", TWO_HASHES)
        .put("length", 20000)
        .build();
  }

  private static BValue file(long length, String... path) {
    return BDict.builder()
        .put("length", length)
        .put("path", new BList(List.of(path).stream().<BValue>map(BString::of).toList()))
        .build();
  }

  private static BDict multiFileInfo(BValue... files) {
    return BDict.builder()
        .put("name", "dir")
        .put("piece length", 16384)
        .put("pieces", TWO_HASHES)
        .put("files", new BList(List.of(files)))
        .build();
  }

  private static byte[] torrent(BValue info) {
    return BencodeEncoder.encode(BDict.builder().put("announce", "udp://t.example:6969/announce").put("info", info).build());
  }

  private static byte[] withInfo(UnaryOperator<BDict.Builder> change) {
    BDict.Builder info = BDict.builder()
        .put("name", "file.bin")
        .put("piece length", 16384)
        .put("pieces", TWO_HASHES)
        .put("length", 20000);
    return torrent(change.apply(info).build());
  }

  @Test
  void readsASingleFileTorrent() {
    Metainfo m = MetainfoParser.parse(torrent(singleFileInfo()));
    assertThat(m.info().name()).isEqualTo("file.bin");
    assertThat(m.info().singleFile()).isTrue();
    assertThat(m.info().pieceLength()).isEqualTo(16384);
    assertThat(m.info().pieceCount()).isEqualTo(2);
    assertThat(m.info().pieceSize(0)).isEqualTo(16384);
    assertThat(m.info().pieceSize(1)).isEqualTo(20000 - 16384);
    assertThat(m.info().totalLength()).isEqualTo(20000);
    assertThat(m.info().files()).containsExactly(new FileEntry(List.of("file.bin"), 20000));
    assertThat(m.announce()).contains("udp://t.example:6969/announce");
    assertThat(m.trackerTiers()).containsExactly(List.of("udp://t.example:6969/announce"));
  }

  @Test
  void readsAMultiFileTorrent() {
    Metainfo m = MetainfoParser.parse(torrent(multiFileInfo(file(10000, "a", "b.txt"), file(0, "empty"), file(10000, "c"))));
    assertThat(m.info().singleFile()).isFalse();
    assertThat(m.info().files()).extracting(FileEntry::joinedPath).containsExactly("a/b.txt", "empty", "c");
    assertThat(m.info().totalLength()).isEqualTo(20000);
  }

  @Test
  void hashesTheInfoDictionaryAsWrittenNotAsReEncoded() throws Exception {
    // Keys out of order: a re-encoding would sort them and change the hash.
    String info = "d6:lengthi20000e4:name8:file.bin6:pieces40:" + "x".repeat(40) + "12:piece lengthi16384ee";
    byte[] bytes = ("d4:info" + info + "e").getBytes(StandardCharsets.ISO_8859_1);
    Metainfo m = MetainfoParser.parse(bytes);
    byte[] expected = MessageDigest.getInstance("SHA-1").digest(info.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(m.infoHash().hex()).isEqualTo(HexFormat.of().formatHex(expected));
    assertThat(m.encode()).isEqualTo(bytes);
  }

  @Test
  void keepsTheOptionalFields() {
    byte[] bytes = BencodeEncoder.encode(BDict.builder()
        .put("announce", "http://a/announce")
        .put("announce-list", new BList(List.of(
            new BList(List.of(BString.of("http://a/announce"), BString.of("http://b/announce"))),
            new BList(List.of()),
            new BList(List.of(BString.of("udp://c:80/announce"))))))
        .put("comment", "a comment")
        .put("created by", "mktorrent 1.1")
        .put("creation date", 1_700_000_000L)
        .put("url-list", "http://mirror/file.bin")
        .put("info", BDict.builder()
            .put("name", "file.bin").put("piece length", 16384).put("pieces", TWO_HASHES)
            .put("length", 20000).put("private", 1).build())
        .build());
    Metainfo m = MetainfoParser.parse(bytes);
    assertThat(m.announceList()).containsExactly(
        List.of("http://a/announce", "http://b/announce"), List.of("udp://c:80/announce"));
    assertThat(m.trackerTiers()).isEqualTo(m.announceList());
    assertThat(m.comment()).contains("a comment");
    assertThat(m.createdBy()).contains("mktorrent 1.1");
    assertThat(m.creationDate()).contains(Instant.ofEpochSecond(1_700_000_000L));
    assertThat(m.urlList()).containsExactly("http://mirror/file.bin");
    assertThat(m.info().isPrivate()).isTrue();
    Metainfo again = MetainfoParser.parse(m.encode());
    assertThat(again).isEqualTo(m);
    assertThat(again.infoHash()).isEqualTo(m.infoHash());
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MAX_VALUE, Long.MIN_VALUE, 31_556_889_864_403_200L, -31_557_014_167_219_201L})
  void refusesACreationDateOutsideTheRangeOfInstant(long seconds) {
    // Found by DecoderFuzzTest: Instant.ofEpochSecond threw DateTimeException.
    byte[] bytes = BencodeEncoder.encode(BDict.builder()
        .put("creation date", seconds).put("info", singleFileInfo()).build());
    assertThatThrownBy(() -> MetainfoParser.parse(bytes))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("creation date " + seconds + " is not a date");
  }

  @ParameterizedTest
  @ValueSource(longs = {-31_557_014_167_219_200L, 0, 31_556_889_864_403_199L})
  void readsCreationDatesUpToTheLimitsOfInstant(long seconds) {
    byte[] bytes = BencodeEncoder.encode(BDict.builder()
        .put("creation date", seconds).put("info", singleFileInfo()).build());
    assertThat(MetainfoParser.parse(bytes).creationDate()).contains(Instant.ofEpochSecond(seconds));
  }

  @Test
  void readsAUrlListGivenAsAList() {
    byte[] bytes = BencodeEncoder.encode(BDict.builder()
        .put("url-list", new BList(List.of(BString.of("http://m1/"), BString.of("http://m2/"))))
        .put("info", singleFileInfo()).build());
    assertThat(MetainfoParser.parse(bytes).urlList()).containsExactly("http://m1/", "http://m2/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "/etc", "a\\b", "C:\\x", "nul\0byte"})
  void refusesANameThatCouldLeaveTheDirectory(String name) {
    assertThatThrownBy(() -> MetainfoParser.parse(withInfo(i -> i.put("name", name))))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageStartingWith("invalid torrent: info.name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "/etc/passwd", "..\\..\\x", "nul\0byte"})
  void refusesAPathComponentThatCouldLeaveTheDirectory(String component) {
    byte[] bytes = torrent(multiFileInfo(file(10000, "ok"), file(10000, "sub", component)));
    assertThatThrownBy(() -> MetainfoParser.parse(bytes))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageStartingWith("invalid torrent: info.files[1].path[1]");
  }

  @Test
  void refusesPathsThatCollide() {
    assertThatThrownBy(() -> MetainfoParser.parse(torrent(multiFileInfo(file(10000, "a"), file(10000, "a")))))
        .hasMessageContaining("info.files[1].path 'a' is used twice");
    assertThatThrownBy(() -> MetainfoParser.parse(torrent(multiFileInfo(file(10000, "a"), file(10000, "a", "b")))))
        .hasMessageContaining("'a/b' is inside 'a', which is a file");
    assertThatThrownBy(() -> MetainfoParser.parse(torrent(multiFileInfo(file(10000, "a", "b"), file(10000, "a")))))
        .hasMessageContaining("'a' is used twice");
  }

  @ParameterizedTest
  @ValueSource(strings = {"esc\u001b[31m", "new\nline", "tab\t", "del\u007f", "c1\u0085", "csi\u009b2J"})
  void refusesControlCharactersInTheNameAndInPaths(String name) {
    assertThatThrownBy(() -> MetainfoParser.parse(withInfo(i -> i.put("name", name))))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageMatching("invalid torrent: info.name contains the control character U\\+00[0-9A-F]{2}");
    byte[] bytes = torrent(multiFileInfo(file(10000, "ok"), file(10000, "sub", name)));
    assertThatThrownBy(() -> MetainfoParser.parse(bytes))
        .hasMessageStartingWith("invalid torrent: info.files[1].path[1] contains the control character");
  }

  @Test
  void takesNamesOfUpTo255BytesOfUtf8() {
    String longest = "\u00e9".repeat(127) + "a";
    String tooLong = "\u00e9".repeat(128);
    assertThat(MetainfoParser.parse(withInfo(i -> i.put("name", longest))).info().name()).isEqualTo(longest);
    assertThatThrownBy(() -> MetainfoParser.parse(withInfo(i -> i.put("name", tooLong))))
        .hasMessage("invalid torrent: info.name is 256 bytes of UTF-8, more than the 255 a name may have");
    byte[] bytes = torrent(multiFileInfo(file(10000, "a".repeat(255)), file(10000, "d", "b".repeat(256))));
    assertThatThrownBy(() -> MetainfoParser.parse(bytes))
        .hasMessageStartingWith("invalid torrent: info.files[1].path[1] is 256 bytes of UTF-8");
  }

  @Test
  void refusesPathsThatACaseInsensitiveFileSystemWouldTakeForOne() {
    assertThatThrownBy(() -> MetainfoParser.parse(torrent(multiFileInfo(file(10000, "A.txt"), file(10000, "a.txt")))))
        .hasMessage("invalid torrent: info.files[1].path 'a.txt' and info.files[0].path 'A.txt' differ only"
            + " in case, so a case-insensitive file system would take them for one");
    assertThatThrownBy(() -> MetainfoParser.parse(torrent(multiFileInfo(file(10000, "Sub", "x"), file(10000, "sub", "X")))))
        .hasMessageContaining("info.files[1].path 'sub/X' and info.files[0].path 'Sub/x' differ only in case");
    assertThatThrownBy(() -> MetainfoParser.parse(torrent(multiFileInfo(file(10000, "Sub"), file(10000, "sub", "x")))))
        .hasMessageContaining("info.files[1].path 'sub/x' and info.files[0].path 'Sub' differ only in case");
    assertThatThrownBy(() -> MetainfoParser.parse(torrent(multiFileInfo(file(10000, "stra\u00dfe"), file(10000, "STRASSE")))))
        .hasMessageContaining("differ only in case");
    assertThatThrownBy(() -> MetainfoParser.parse(torrent(multiFileInfo(file(10000, "caf\u00e9"), file(10000, "cafe\u0301")))))
        .hasMessageContaining("differ only in case");
    // Directories that differ only in case merge into one, and their files stay apart.
    assertThat(MetainfoParser.parse(torrent(multiFileInfo(file(10000, "Sub", "x"), file(10000, "sub", "y"))))
        .info().files()).hasSize(2);
  }

  @Test
  void checksALongPathInTimeLinearInItsLength() {
    // Found by DecoderFuzzTest: "1:a" repeated 14,082 times in a path (42 KB) took over a second,
    // because every prefix of the path was joined into a string; 100 KB took 14 s.
    String[] deep = new String[50_000];
    Arrays.fill(deep, "a");
    String[] deeper = Arrays.copyOf(deep, deep.length + 1);
    deeper[deep.length] = "b";
    byte[] bytes = torrent(multiFileInfo(file(10000, deep), file(10000, "c")));
    byte[] colliding = torrent(multiFileInfo(file(10000, deep), file(10000, deeper)));
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
      assertThat(MetainfoParser.parse(bytes).info().files().get(0).path()).hasSize(50_000);
      assertThatThrownBy(() -> MetainfoParser.parse(colliding))
          .hasMessageContaining("info.files[1].path")
          .hasMessageContaining("which is a file");
    });
  }

  @Test
  void refusesAnEmptyPathOrFileList() {
    assertThatThrownBy(() -> MetainfoParser.parse(torrent(multiFileInfo(file(20000)))))
        .hasMessageContaining("info.files[0].path is empty");
    assertThatThrownBy(() -> MetainfoParser.parse(torrent(multiFileInfo())))
        .hasMessageContaining("info.files is empty");
  }

  @Test
  void refusesBadSizes() {
    assertThatThrownBy(() -> MetainfoParser.parse(withInfo(i -> i.put("piece length", 0))))
        .hasMessage("invalid torrent: info.piece length must be between 1 and 268435456, got 0");
    assertThatThrownBy(() -> MetainfoParser.parse(withInfo(i -> i.put("piece length", -16384))))
        .hasMessageContaining("info.piece length must be between");
    assertThatThrownBy(() -> MetainfoParser.parse(withInfo(i -> i.put("pieces", new byte[39]))))
        .hasMessage("invalid torrent: info.pieces is 39 bytes, not a multiple of 20");
    assertThatThrownBy(() -> MetainfoParser.parse(withInfo(i -> i.put("pieces", new byte[60]))))
        .hasMessageContaining("info.pieces has 3 hashes, but 20000 bytes in pieces of 16384 need 2");
    assertThatThrownBy(() -> MetainfoParser.parse(withInfo(i -> i.put("length", -1))))
        .hasMessageContaining("info.length must not be negative");
    assertThatThrownBy(() -> MetainfoParser.parse(withInfo(i -> i.put("length", 0).put("pieces", new byte[0]))))
        .hasMessageContaining("no data");
    assertThatThrownBy(() -> MetainfoParser.parse(torrent(multiFileInfo(file(Long.MAX_VALUE, "a"), file(Long.MAX_VALUE, "b")))))
        .hasMessageContaining("more than 2^63 bytes");
  }

  @Test
  void refusesAMissingOrWrongStructure() {
    assertThatThrownBy(() -> MetainfoParser.parse(BencodeEncoder.encode(BDict.builder().put("announce", "x").build())))
        .hasMessage("invalid torrent: the torrent has no 'info'");
    assertThatThrownBy(() -> MetainfoParser.parse(BencodeEncoder.encode(BDict.builder().put("info", "x").build())))
        .hasMessage("invalid torrent: info must be a dictionary, got a string");
    assertThatThrownBy(() -> MetainfoParser.parse("le".getBytes(StandardCharsets.US_ASCII)))
        .hasMessage("invalid torrent: the torrent must be a dictionary, got a list");
    assertThatThrownBy(() -> MetainfoParser.parse(withInfo(i -> i.put("files", new BList(List.of(file(1, "x")))))))
        .hasMessageContaining("exactly one of 'length' (one file) or 'files'");
    assertThatThrownBy(() -> MetainfoParser.parse(torrent(BDict.builder().put("name", "x").put("piece length", 16384).put("pieces", TWO_HASHES).build())))
        .hasMessageContaining("exactly one of");
    assertThatThrownBy(() -> MetainfoParser.parse(withInfo(i -> i.put("name", BString.of(new byte[] {(byte) 0xff})))))
        .hasMessage("invalid torrent: info.name is not valid UTF-8");
    assertThatThrownBy(() -> MetainfoParser.parse("d4:info".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("invalid bencode at offset 7");
  }
}
