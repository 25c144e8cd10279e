package io.swarmshare.daemon.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swarmshare.daemon.rpc.TorrentFields;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one page has not been sent yet, folded from the session's events: the latest snapshot of
 * each torrent that changed, the torrents removed and those completed since the last message. It
 * holds at most one entry per torrent however many events come, so a page that reads slowly costs
 * no more than the torrent list. A reset carries the whole list, which replaces the page's; after
 * it, a torrent goes to the page again only when what the page shows of it changed ({@link Sent}).
 *
 * <p>Torrents are written with the RPC's {@code torrent-get} field names and values, so the page
 * reads one shape whether it asked the RPC or was pushed the change.
 */
final class Updates {

  /** The fields of a torrent in a message: what the list shows, with its selection keys. */
  static final List<String> FIELDS = List.of("id", "hashString", "name", "totalSize", "percentDone", "status",
      "error", "errorString", "rateDownload", "rateUpload", "eta", "uploadRatio", "peersConnected",
      "peersSendingToUs", "addedDate", "downloadDir", "labels", "metadataPercentComplete");

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final boolean reset;
  private final Map<Integer, TorrentSnapshot> changed = new LinkedHashMap<>();
  private final Set<Integer> removed = new LinkedHashSet<>();
  private final Set<Integer> completed = new LinkedHashSet<>();

  private Updates(boolean reset) {
    this.reset = reset;
  }

  /** Every torrent the session holds: the page forgets what it had. */
  static Updates reset(List<TorrentSnapshot> torrents) {
    Updates u = new Updates(true);
    torrents.forEach(t -> u.changed.put(t.id(), t));
    return u;
  }

  static Updates of(Session.Event event) {
    return new Updates(false).add(event);
  }

  /** Folds in one more event; the latest word on a torrent wins. */
  Updates add(Session.Event event) {
    if (event instanceof Session.TorrentChanged c) {
      changed.put(c.torrent().id(), c.torrent());
      removed.remove(c.torrent().id());
    } else if (event instanceof Session.TorrentCompleted c) {
      changed.put(c.torrent().id(), c.torrent());
      completed.add(c.torrent().id());
    } else if (event instanceof Session.TorrentRemoved r) {
      changed.remove(r.id());
      completed.remove(r.id());
      removed.add(r.id());
    }
    return this;
  }

  /**
   * What one page was last sent of each torrent (its message JSON, by id), so that a torrent whose
   * shown fields did not change is not sent again: the session tells its subscribers of every new
   * snapshot, and most of a quiet node's (a seeding torrent's clocks ticking, say) change nothing
   * the list shows. One entry per torrent the page holds; a removal drops it.
   */
  static final class Sent {
    private final Map<Integer, String> json = new HashMap<>();
  }

  /**
   * The message, less the torrents that {@code sent} says the page has as they are, and
   * {@code sent} brought up to date; empty when nothing is left to tell the page. A message
   * carries {@code reset}, {@code torrents} (as {@link #FIELDS}), {@code removed} and
   * {@code completed} ids; a reset, and a torrent that completed, always carry their torrents.
   */
  Optional<ObjectNode> toJson(TorrentFields fields, Sent sent) {
    if (reset) {
      sent.json.clear();
    }
    ObjectNode out = JSON.objectNode();
    out.put("reset", reset);
    ArrayNode torrents = out.putArray("torrents");
    for (TorrentSnapshot t : changed.values()) {
      ObjectNode torrent = fields.of(t, FIELDS);
      String text = torrent.toString();
      if (reset || completed.contains(t.id()) || !text.equals(sent.json.get(t.id()))) {
        torrents.add(torrent);
      }
      sent.json.put(t.id(), text);
    }
    removed.forEach(sent.json::remove);
    if (!reset && torrents.isEmpty() && removed.isEmpty() && completed.isEmpty()) {
      return Optional.empty();
    }
    ArrayNode gone = out.putArray("removed");
    removed.forEach(gone::add);
    ArrayNode done = out.putArray("completed");
    completed.forEach(done::add);
    return Optional.of(out);
  }
}
