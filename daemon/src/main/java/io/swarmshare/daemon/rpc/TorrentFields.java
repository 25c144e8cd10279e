package io.swarmshare.daemon.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.FileEntry;
import io.swarmshare.messages.metainfo.FileLayout.Segment;
import io.swarmshare.messages.metainfo.Info;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.peer.session.PeerSnapshot;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.peer.tracker.AnnounceCounts;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A torrent's fields as Transmission's RPC names and types them (rpc-spec.md, rpc-version 17):
 * everything {@code transmission-remote} asks for with {@code -l}, {@code -i}, {@code -f} and
 * {@code -pi}, and what Sonarr and Radarr read. Every field the client asks for is answered, since
 * some clients drop a torrent that lacks one. Numbers have Transmission's types: dates are
 * seconds since the epoch (0 for never), ratios are doubles, sizes are bytes. One field is
 * swarmshare's own: {@code piecesInProgress}, the pieces being fetched, as a bitfield like {@code pieces}.
 */
public final class TorrentFields {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Transmission's status numbers: a queued torrent waits to download (3) or, if complete, to seed (5). */
  static int status(TorrentSnapshot t) {
    return switch (t.state()) {
      case STOPPED, FAILED -> 0;
      case CHECK_WAIT -> 1;
      case CHECKING -> 2;
      case QUEUED -> t.complete() ? 5 : 3;
      case DOWNLOADING -> 4;
      case SEEDING -> 6;
    };
  }

  private final Map<String, Function<TorrentSnapshot, JsonNode>> fields;

  /** The fields of torrents of a node whose torrents each take at most {@code peerLimit} connections. */
  public TorrentFields(int peerLimit) {
    fields = Map.ofEntries(
        Map.entry("activityDate", t -> seconds(t.lastActivity())),
        Map.entry("addedDate", t -> JSON.numberNode(t.added().getEpochSecond())),
        Map.entry("bandwidthPriority", t -> JSON.numberNode(0)),
        Map.entry("comment", t -> JSON.textNode(t.metainfo().flatMap(Metainfo::comment).orElse(""))),
        Map.entry("corruptEver", t -> JSON.numberNode(0)),
        Map.entry("creator", t -> JSON.textNode(t.metainfo().flatMap(Metainfo::createdBy).orElse(""))),
        Map.entry("dateCreated", t -> seconds(t.metainfo().flatMap(Metainfo::creationDate))),
        Map.entry("desiredAvailable", t -> JSON.numberNode(t.left())),
        Map.entry("doneDate", t -> seconds(t.completed())),
        Map.entry("downloadDir", t -> JSON.textNode(t.directory().toString())),
        Map.entry("downloadedEver", t -> JSON.numberNode(t.downloaded())),
        Map.entry("downloadLimit", t -> JSON.numberNode(t.limits().download() / SpeedLimits.UNIT)),
        Map.entry("downloadLimited", t -> JSON.booleanNode(t.limits().downloadLimited())),
        Map.entry("error", t -> JSON.numberNode(t.state() == TorrentState.FAILED ? 3 : 0)),
        Map.entry("errorString", t -> JSON.textNode(t.problem() == null ? "" : t.problem())),
        Map.entry("eta", t -> JSON.numberNode(eta(t))),
        Map.entry("fileCount", t -> JSON.numberNode(fileCount(t))),
        Map.entry("files", t -> files(t)),
        Map.entry("fileStats", t -> fileStats(t)),
        Map.entry("hashString", t -> JSON.textNode(t.infoHash().hex())),
        Map.entry("haveUnchecked", t -> JSON.numberNode(0)),
        Map.entry("haveValid", t -> JSON.numberNode(t.verifiedBytes())),
        Map.entry("honorsSessionLimits", t -> JSON.booleanNode(t.limits().honorsNodeLimits())),
        Map.entry("id", t -> JSON.numberNode(t.id())),
        Map.entry("isFinished", t -> JSON.booleanNode(false)),
        Map.entry("isPrivate", t -> JSON.booleanNode(t.metainfo().map(m -> m.info().isPrivate()).orElse(false))),
        Map.entry("isStalled", t -> JSON.booleanNode(t.state() == TorrentState.DOWNLOADING && t.peers() == 0)),
        Map.entry("labels", t -> labels(t.labels())),
        Map.entry("leftUntilDone", t -> JSON.numberNode(t.left())),
        Map.entry("magnetLink", t -> JSON.textNode(t.magnetLink().format())),
        Map.entry("metadataPercentComplete", t -> JSON.numberNode(t.metainfo().isPresent() ? 1.0 : 0.0)),
        Map.entry("name", t -> JSON.textNode(t.name())),
        Map.entry("peer-limit", t -> JSON.numberNode(peerLimit)),
        Map.entry("peersConnected", t -> JSON.numberNode(t.peers())),
        Map.entry("peersGettingFromUs", t -> JSON.numberNode(t.peersGettingFromUs())),
        Map.entry("peersSendingToUs", t -> JSON.numberNode(t.peersSendingToUs())),
        Map.entry("percentDone", t -> JSON.numberNode(percentDone(t))),
        Map.entry("pieceCount", t -> JSON.numberNode(t.pieceCount())),
        Map.entry("pieces", t -> bitfield(t.have())),
        // swarmshare's own, for the web UI's piece map; Transmission has no such field.
        Map.entry("piecesInProgress", t -> bitfield(t.inProgress())),
        Map.entry("pieceSize", t -> JSON.numberNode(t.metainfo().map(m -> m.info().pieceLength()).orElse(0))),
        Map.entry("priorities", t -> repeated(t, JSON.numberNode(0))),
        Map.entry("queuePosition", t -> JSON.numberNode(t.queuePosition())),
        Map.entry("rateDownload", t -> JSON.numberNode(t.downloadRate())),
        Map.entry("rateUpload", t -> JSON.numberNode(t.uploadRate())),
        Map.entry("recheckProgress", t -> JSON.numberNode(t.state() == TorrentState.CHECKING ? 0.0 : 1.0)),
        Map.entry("secondsDownloading", t -> JSON.numberNode(t.secondsDownloading())),
        Map.entry("secondsSeeding", t -> JSON.numberNode(t.secondsSeeding())),
        Map.entry("seedIdleLimit", t -> JSON.numberNode(t.goals().idle().toMinutes())),
        Map.entry("seedIdleMode", t -> JSON.numberNode(t.goals().idleMode().transmission())),
        Map.entry("seedRatioLimit", t -> JSON.numberNode(t.goals().ratio())),
        Map.entry("seedRatioMode", t -> JSON.numberNode(t.goals().ratioMode().transmission())),
        Map.entry("sizeWhenDone", t -> JSON.numberNode(t.totalLength())),
        Map.entry("startDate", t -> JSON.numberNode(t.added().getEpochSecond())),
        Map.entry("status", t -> JSON.numberNode(status(t))),
        Map.entry("totalSize", t -> JSON.numberNode(t.totalLength())),
        Map.entry("trackers", t -> trackers(t.trackerTiers())),
        Map.entry("trackerStats", t -> trackerStats(t)),
        Map.entry("uploadedEver", t -> JSON.numberNode(t.uploaded())),
        Map.entry("uploadLimit", t -> JSON.numberNode(t.limits().upload() / SpeedLimits.UNIT)),
        Map.entry("uploadLimited", t -> JSON.booleanNode(t.limits().uploadLimited())),
        Map.entry("uploadRatio", t -> JSON.numberNode(ratio(t))),
        Map.entry("wanted", t -> repeated(t, JSON.numberNode(1))),
        Map.entry("webseeds", t -> JSON.arrayNode()),
        Map.entry("webseedsSendingToUs", t -> JSON.numberNode(0)));
  }

  /** The torrent's {@code fields} as one JSON object; unknown names are left out (the caller said so). */
  public ObjectNode of(TorrentSnapshot torrent, List<String> names) {
    ObjectNode out = JSON.objectNode();
    for (String name : names) {
      Function<TorrentSnapshot, JsonNode> value = fields.get(name);
      if (value != null) {
        out.set(name, value.apply(torrent));
      }
    }
    return out;
  }

  /** A bitfield as Transmission's {@code pieces}: base64, piece 0 the high bit of the first byte. */
  private static JsonNode bitfield(Bitfield bits) {
    return JSON.textNode(Base64.getEncoder().encodeToString(bits.toBytes()));
  }

  private static JsonNode labels(List<String> labels) {
    ArrayNode out = JSON.arrayNode();
    labels.forEach(out::add);
    return out;
  }

  private static JsonNode seconds(Optional<Instant> when) {
    return JSON.numberNode(when.map(Instant::getEpochSecond).orElse(0L));
  }

  /** Nothing is done of a torrent whose metadata is still to come, as Transmission says of a magnet link. */
  static double percentDone(TorrentSnapshot t) {
    return t.metainfo().isEmpty() ? 0.0 : fraction(t.verifiedBytes(), t.totalLength());
  }

  private static double fraction(long part, long whole) {
    return whole == 0 ? 1.0 : (double) part / whole;
  }

  /** Transmission: the upload ratio, -1 when nothing was downloaded yet (not available). */
  static double ratio(TorrentSnapshot t) {
    long base = t.downloaded() > 0 ? t.downloaded() : t.verifiedBytes();
    return base == 0 ? -1.0 : (double) t.uploaded() / base;
  }

  /** Seconds to completion at the current rate; -1 not available (not downloading, or no rate). */
  static long eta(TorrentSnapshot t) {
    if (t.state() != TorrentState.DOWNLOADING || t.downloadRate() <= 0) {
      return -1;
    }
    return t.left() / t.downloadRate();
  }

  private static int fileCount(TorrentSnapshot t) {
    return t.metainfo().map(m -> m.info().files().size()).orElse(0);
  }

  private static JsonNode trackers(List<List<String>> tiers) {
    ArrayNode out = JSON.arrayNode();
    int id = 0;
    for (int tier = 0; tier < tiers.size(); tier++) {
      for (String url : tiers.get(tier)) {
        out.addObject().put("announce", url).put("id", id++).put("scrape", url.replace("/announce", "/scrape"))
            .put("tier", tier);
      }
    }
    return out;
  }

  /**
   * Transmission's tracker statistics: every tracker of the torrent's tiers, with what its last
   * announce since the torrent started got (its counts, its error) and when the next is due. A
   * number the tracker did not report is -1, and a time that has not come 0, as Transmission's;
   * swarmshare does not scrape, so the scrape fields say it has not.
   */
  static JsonNode trackerStats(TorrentSnapshot t) {
    Map<String, AnnounceCounts.Count> counts = new HashMap<>();
    t.trackers().forEach(c -> counts.put(c.tracker(), c));
    boolean running = t.state() != TorrentState.STOPPED && t.state() != TorrentState.FAILED;
    ArrayNode out = JSON.arrayNode();
    int id = 0;
    List<List<String>> tiers = t.trackerTiers();
    for (int tier = 0; tier < tiers.size(); tier++) {
      for (String url : tiers.get(tier)) {
        AnnounceCounts.Count c = counts.getOrDefault(url, new AnnounceCounts.Count(url, 0, 0));
        boolean announced = c.lastAnnounce().isPresent();
        boolean waiting = running && c.nextAnnounce().isPresent();
        out.addObject()
            .put("announce", url)
            .put("announceState", waiting ? 1 : 0)
            .put("downloadCount", -1)
            .put("hasAnnounced", announced)
            .put("hasScraped", false)
            .put("host", host(url))
            .put("id", id++)
            .put("isBackup", false)
            .put("lastAnnouncePeerCount", Math.max(0, c.peers()))
            .put("lastAnnounceResult", !announced ? "" : c.lastSucceeded() ? "Success" : c.lastResult())
            .put("lastAnnounceStartTime", c.lastAnnounce().map(Instant::getEpochSecond).orElse(0L))
            .put("lastAnnounceSucceeded", c.lastSucceeded())
            .put("lastAnnounceTime", c.lastAnnounce().map(Instant::getEpochSecond).orElse(0L))
            .put("lastAnnounceTimedOut", false)
            .put("lastScrapeResult", "")
            .put("lastScrapeStartTime", 0)
            .put("lastScrapeSucceeded", false)
            .put("lastScrapeTime", 0)
            .put("lastScrapeTimedOut", false)
            .put("leecherCount", c.leechers())
            .put("nextAnnounceTime", waiting ? c.nextAnnounce().get().getEpochSecond() : 0)
            .put("nextScrapeTime", 0)
            .put("scrape", url.replace("/announce", "/scrape"))
            .put("scrapeState", 0)
            .put("seederCount", c.seeders())
            .put("tier", tier);
      }
    }
    return out;
  }

  /** A tracker's scheme, host and port, as Transmission's {@code host}; the URL itself if it has none. */
  private static String host(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null) {
        return url;
      }
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    } catch (URISyntaxException e) {
      return url;
    }
  }

  /** Per file, how many of its bytes lie in verified pieces. */
  static long[] completedPerFile(TorrentSnapshot t) {
    if (t.metainfo().isEmpty()) {
      return new long[0];
    }
    Info info = t.metainfo().get().info();
    long[] done = new long[info.files().size()];
    Bitfield have = t.have();
    for (int piece = have.nextSet(0); piece >= 0; piece = have.nextSet(piece + 1)) {
      for (Segment s : info.layout().segments(info.pieceOffset(piece), info.pieceSize(piece))) {
        done[s.fileIndex()] += s.length();
      }
    }
    return done;
  }

  /** Each file's path as it lands under the download directory, its length and its completed bytes. */
  private static JsonNode files(TorrentSnapshot t) {
    ArrayNode out = JSON.arrayNode();
    if (t.metainfo().isEmpty()) {
      return out;
    }
    Info info = t.metainfo().get().info();
    long[] done = completedPerFile(t);
    for (int i = 0; i < info.files().size(); i++) {
      FileEntry f = info.files().get(i);
      String name = info.singleFile() ? info.name()
          : info.name() + "/" + f.path().stream().collect(Collectors.joining("/"));
      out.addObject().put("bytesCompleted", done[i]).put("length", f.length()).put("name", name);
    }
    return out;
  }

  /** Transmission's peer objects. */
  static JsonNode peers(List<PeerSnapshot> peers) {
    ArrayNode out = JSON.arrayNode();
    for (PeerSnapshot p : peers) {
      out.addObject()
          .put("address", p.address().getAddress().getHostAddress())
          .put("port", p.address().getPort())
          .put("clientName", p.client())
          .put("clientIsChoked", p.theyChokeUs())
          .put("clientIsInterested", p.weAreInterested())
          .put("peerIsChoked", p.weChokeThem())
          .put("peerIsInterested", p.theyAreInterested())
          .put("flagStr", p.flags())
          .put("isDownloadingFrom", p.downloadingFrom())
          .put("isUploadingTo", p.uploadingTo())
          .put("isEncrypted", false)
          .put("isIncoming", p.incoming())
          .put("isUTP", false)
          .put("progress", p.progress())
          .put("rateToClient", p.downloadRate())
          .put("rateToPeer", p.uploadRate());
    }
    return out;
  }

  private static JsonNode fileStats(TorrentSnapshot t) {
    long[] done = completedPerFile(t);
    ArrayNode out = JSON.arrayNode();
    for (long d : done) {
      out.addObject().put("bytesCompleted", d).put("wanted", true).put("priority", 0);
    }
    return out;
  }

  private static JsonNode repeated(TorrentSnapshot t, JsonNode value) {
    ArrayNode out = JSON.arrayNode();
    for (int i = 0; i < fileCount(t); i++) {
      out.add(value);
    }
    return out;
  }
}
