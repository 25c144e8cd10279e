package io.swarmshare.daemon.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swarmshare.daemon.fetch.HttpFetcher;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PercentEncoding;
import io.swarmshare.messages.tracker.TrackerUrl;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * A search of a swarmshare tracker's catalogue by name, for the page's Add dialog: the daemon asks
 * the tracker's {@code GET /catalogue?name=TEXT} (on the tracker's port over HTTP, as for any
 * {@code udp://} or {@code http://} tracker of ours) for its first {@link #LIMIT} matches, and
 * answers each with the URL of its .torrent on that tracker ({@code /torrents/HASH.torrent}), which
 * the page adds with {@code torrent-add} as any URL. What the tracker sends is untrusted: read up
 * to {@link #MAX_PAGE_BYTES}, and only entries with a name and a well-formed info hash pass.
 */
final class CatalogueSearch {

  /** Matches shown for one search; a user narrows the name rather than pages through more. */
  static final int LIMIT = 50;
  /** A page of 50 entries is a few kilobytes; the launcher's catalogue client allows 4 MiB a page too. */
  static final long MAX_PAGE_BYTES = 4L * 1024 * 1024;
  private static final Pattern HEX_HASH = Pattern.compile("[0-9a-f]{40}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A search that cannot be answered; the message says why in one line. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final HttpFetcher fetcher;
  private final List<String> trackers;

  CatalogueSearch(HttpFetcher fetcher, List<String> trackers) {
    this.fetcher = fetcher;
    this.trackers = List.copyOf(trackers);
  }

  /** The trackers offered on the page, from {@code swarmshare.daemon.web.catalogue-trackers}. */
  List<String> trackers() {
    return trackers;
  }

  /** {@code {tracker, total, entries: [{name, infoHash, size, seeders, leechers, torrentUrl}]}}; or a {@link Refused}. */
  CompletionStage<ObjectNode> search(String trackerText, String name) {
    TrackerUrl tracker;
    try {
      tracker = TrackerUrl.parse(trackerText.trim());
    } catch (MalformedMessageException e) {
      return CompletableFuture.failedFuture(new Refused(e.getMessage()));
    }
    String url = tracker.httpBase() + "/catalogue?limit=" + LIMIT
        + (name.isBlank() ? "" : "&name=" + PercentEncoding.encode(name.trim()));
    return fetcher.get(url, MAX_PAGE_BYTES)
        .exceptionally(failure -> {
          throw new Refused(HttpFetcher.reason(failure).replace(" answered HTTP 404",
              " answered HTTP 404: is it a swarmshare tracker with a catalogue?"));
        })
        .thenApply(body -> answer(tracker, body));
  }

  private static ObjectNode answer(TrackerUrl tracker, byte[] body) {
    JsonNode page;
    try {
      page = JSON.readTree(body);
    } catch (IOException e) {
      page = null;
    }
    // A tracker from before paging sends its whole catalogue as one array.
    JsonNode entries = page == null ? null : page.isArray() ? page : page.get("entries");
    if (entries == null || !entries.isArray()) {
      throw new Refused("the tracker at " + tracker + " sent no catalogue");
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("tracker", tracker.toString());
    out.put("total", page.isArray() ? entries.size() : page.path("total").asInt(entries.size()));
    ArrayNode list = out.putArray("entries");
    for (JsonNode e : entries) {
      String hash = e.path("infoHash").asText("").toLowerCase(Locale.ROOT);
      if (list.size() == LIMIT || !e.path("name").isTextual() || !HEX_HASH.matcher(hash).matches()) {
        continue;
      }
      ObjectNode entry = list.addObject();
      entry.put("name", e.get("name").asText());
      entry.put("infoHash", hash);
      entry.put("size", e.path("size").asLong(-1));
      entry.put("seeders", e.path("seeders").asInt(0));
      entry.put("leechers", e.path("leechers").asInt(0));
      entry.put("torrentUrl", tracker.httpBase() + "/torrents/" + hash + ".torrent");
    }
    return out;
  }
}
