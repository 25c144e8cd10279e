package io.swarmshare.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.MetainfoParser;
import io.swarmshare.messages.tracker.TrackerUrl;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the torrent a person means: a file ending in .torrent, an info hash, a magnet link, or a
 * name in a tracker's catalogue. When a name matches several entries they are listed on
 * {@code out} and the failure says so.
 */
final class TorrentFinder {

  private static final Logger log = LoggerFactory.getLogger(TorrentFinder.class);
  private static final Pattern HEX_HASH = Pattern.compile("[0-9a-fA-F]{40}");

  private final CatalogueClient catalogue;
  private final PrintWriter out;

  TorrentFinder(CatalogueClient catalogue, PrintWriter out) {
    this.catalogue = catalogue;
    this.out = out;
  }

  /** A .torrent file; what is wrong with it is one line that names the file. */
  static Metainfo read(Path torrent) throws IOException {
    try {
      return MetainfoParser.read(torrent);
    } catch (MalformedMessageException e) {
      throw new Main.CommandFailure(torrent + ": " + e.getMessage());
    }
  }

  /** The torrent, from a file, or from the catalogue of the first tracker that has it. */
  Metainfo find(String target, List<TrackerUrl> urls) throws IOException {
    if (target.toLowerCase(Locale.ROOT).endsWith(".torrent")) {
      return read(Path.of(target));
    }
    List<TrackerUrl> where = new ArrayList<>(urls);
    InfoHash hash;
    if (target.regionMatches(true, 0, "magnet:", 0, 7)) {
      MagnetLink magnet = MagnetLink.parse(target);
      for (String tr : magnet.trackers()) {
        where.add(TrackerUrl.parse(tr));
      }
      hash = magnet.infoHash();
    } else if (HEX_HASH.matcher(target).matches()) {
      hash = InfoHash.fromHex(target.toLowerCase(Locale.ROOT));
    } else {
      requireTracker(where, target);
      hash = lookUp(where.get(0), target);
    }
    requireTracker(where, target);
    for (TrackerUrl url : where) {
      try {
        Optional<byte[]> bytes = catalogue.torrent(url, hash);
        if (bytes.isPresent()) {
          Metainfo metainfo = MetainfoParser.parse(bytes.get());
          if (!metainfo.infoHash().equals(hash)) {
            throw new Main.CommandFailure("the tracker at " + url + " sent a torrent for " + metainfo.infoHash()
                + " when asked for " + hash);
          }
          return metainfo;
        }
      } catch (Main.CommandFailure e) {
        log.warn("{}", e.getMessage());
      }
    }
    throw new Main.CommandFailure("no catalogue among the trackers has the torrent " + hash.hex()
        + " (fetching by magnet link needs a tracker with a catalogue)");
  }

  private static void requireTracker(List<TrackerUrl> where, String target) {
    if (where.isEmpty()) {
      throw new Main.CommandFailure("to look up '" + target + "' by name, give --tracker URL");
    }
  }

  /** The one catalogue entry named {@code name}, or one line saying why there is none. */
  private InfoHash lookUp(TrackerUrl url, String name) {
    JsonNode entries = catalogue.list(url, Optional.of(name));
    List<JsonNode> exact = new ArrayList<>();
    for (JsonNode e : entries) {
      if (e.path("name").asText().equals(name)) {
        exact.add(e);
      }
    }
    List<JsonNode> matches = exact.isEmpty() ? toList(entries) : exact;
    if (matches.isEmpty()) {
      throw new Main.CommandFailure("nothing named '" + name + "' in the catalogue of " + url);
    }
    // A name belongs to whoever published it first; a copy under another publisher is never taken silently.
    Set<String> publishers = new TreeSet<>();
    exact.forEach(e -> publishers.add(e.path("publisher").asText("")));
    if (publishers.size() > 1) {
      for (JsonNode e : exact) {
        out.printf("  %s  %s  published by %s%n", e.path("infoHash").asText(), ByteSize.format(e.path("size").asLong()),
            printable(e.path("publisher").asText("")));
      }
      out.flush();
      throw new Main.CommandFailure("'" + name + "' is in the catalogue of " + url + " under " + publishers.size()
          + " publishers (above); give the info hash of the one you trust");
    }
    if (matches.size() > 1) {
      for (JsonNode e : matches) {
        out.printf("  %s  %s  %s%n", Printable.escape(e.path("infoHash").asText()),
            ByteSize.format(e.path("size").asLong()), Printable.escape(e.path("name").asText()));
      }
      out.flush();
      throw new Main.CommandFailure("'" + name + "' matches " + matches.size()
          + " files in the catalogue (above); give the full name or the info hash");
    }
    return InfoHash.fromHex(matches.get(0).path("infoHash").asText());
  }

  /** A name from the network, with control characters (a terminal's escapes) shown as '?'. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.toString();
  }

  private static List<JsonNode> toList(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list;
  }
}
