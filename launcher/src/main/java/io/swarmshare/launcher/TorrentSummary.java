package io.swarmshare.launcher;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.FileEntry;
import io.swarmshare.messages.metainfo.Info;
import io.swarmshare.messages.metainfo.Metainfo;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What {@code info} and {@code create} tell about a torrent, as text for people or as JSON. */
record TorrentSummary(
    String infoHash,
    String name,
    long pieceLength,
    int pieceCount,
    long totalLength,
    List<FileSummary> files,
    List<List<String>> trackers,
    @JsonInclude(JsonInclude.Include.NON_NULL) String comment,
    @JsonInclude(JsonInclude.Include.NON_NULL) String createdBy,
    @JsonInclude(JsonInclude.Include.NON_NULL) String creationDate,
    @JsonProperty("private") boolean isPrivate,
    String magnet) {

  record FileSummary(String path, long length) {}

  /**
   * Built on first use: Jackson's start-up cost is paid only by --json. Every character past
   * ASCII is written as a JSON escape, so the output is safe on a terminal and decodes to the
   * names as they are.
   */
  private static final class Json {
    static final ObjectMapper MAPPER =
        JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  }

  static TorrentSummary of(Metainfo m) {
    Info info = m.info();
    List<String> firstOfEachTier = m.trackerTiers().stream().map(tier -> tier.get(0)).toList();
    return new TorrentSummary(
        m.infoHash().hex(),
        info.name(),
        info.pieceLength(),
        info.pieceCount(),
        info.totalLength(),
        info.files().stream().map(f -> new FileSummary(displayPath(info, f), f.length())).toList(),
        m.trackerTiers(),
        m.comment().orElse(null),
        m.createdBy().orElse(null),
        m.creationDate().map(Instant::toString).orElse(null),
        info.isPrivate(),
        new MagnetLink(m.infoHash(), Optional.of(info.name()), firstOfEachTier, List.of()).format());
  }

  /** Where the file lands under a download directory: a multi-file torrent's files sit in its name. */
  private static String displayPath(Info info, FileEntry f) {
    return info.singleFile() ? f.joinedPath() : info.name() + "/" + f.joinedPath();
  }

  void printText(PrintWriter out) {
    out.printf("name:          %s%n", Printable.escape(name));
    out.printf("info hash:     %s%n", infoHash);
    out.printf("piece length:  %s (%d bytes)%n", ByteSize.format(pieceLength), pieceLength);
    out.printf("pieces:        %d%n", pieceCount);
    out.printf("total size:    %s (%d bytes)%n", ByteSize.format(totalLength), totalLength);
    out.printf("private:       %s%n", isPrivate ? "yes" : "no");
    for (int i = 0; i < trackers.size(); i++) {
      out.printf("%s %s%n", i == 0 ? "trackers:     " : "              ", Printable.escape(String.join(", ", trackers.get(i))));
    }
    if (comment != null) {
      out.printf("comment:       %s%n", Printable.escape(comment));
    }
    if (createdBy != null) {
      out.printf("created by:    %s%n", Printable.escape(createdBy));
    }
    if (creationDate != null) {
      out.printf("creation date: %s%n", creationDate);
    }
    out.printf("magnet:        %s%n", magnet);
    out.printf("files:         %d%n", files.size());
    for (FileSummary f : files) {
      out.printf("  %14d  %s%n", f.length(), Printable.escape(f.path()));
    }
    out.flush();
  }

  void printJson(PrintWriter out) {
    try {
      out.println(Json.MAPPER.writeValueAsString(this));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
  }
}
