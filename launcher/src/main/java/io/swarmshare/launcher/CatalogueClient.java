package io.swarmshare.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PercentEncoding;
import io.swarmshare.messages.tracker.TrackerUrl;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.Authorization;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * A swarmshare tracker's catalogue, over HTTP on the tracker's port (Pekko HTTP client): list
 * it (page by page), fetch a .torrent from it, publish one to it with the configured publish key.
 * Every failure is one line naming the tracker. What a tracker sends is read up to a bound: a page
 * of the listing up to {@link #MAX_PAGE_BYTES}, a .torrent up to {@link #MAX_TORRENT_BYTES}, a
 * listing up to {@link #MAX_ENTRIES} entries.
 */
final class CatalogueClient {

  /** The setting that holds the key presented when publishing; empty for none. */
  static final String PUBLISH_KEY = "swarmshare.publish-key";
  /** A tracker's largest torrent by default (its max-torrent-size). */
  static final long MAX_TORRENT_BYTES = 10L * 1024 * 1024;
  /** A page of at most 1,000 entries is far smaller. */
  static final long MAX_PAGE_BYTES = 4L * 1024 * 1024;
  /** A tracker's largest catalogue by default (its max-catalogue-entries). */
  static final int MAX_ENTRIES = 100_000;
  private static final int PAGE = 1000;
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final ContentType TORRENT = ContentTypes.create(MediaTypes.applicationBinary("x-bittorrent", false));

  private final ActorSystem<?> system;

  CatalogueClient(ActorSystem<?> system) {
    this.system = system;
  }

  /** The catalogue's entries, all or those whose name contains {@code name}, as one array: every page of it. */
  JsonNode list(TrackerUrl tracker, Optional<String> name) {
    String filter = name.map(n -> "&name=" + PercentEncoding.encode(n)).orElse("");
    ArrayNode all = Json.MAPPER.createArrayNode();
    while (true) {
      String url = tracker.httpBase() + "/catalogue?offset=" + all.size() + "&limit=" + PAGE + filter;
      Answer answer = send(HttpRequest.GET(url), tracker, MAX_PAGE_BYTES);
      if (answer.status == 404) {
        throw noCatalogue(tracker);
      }
      answer.requireSuccess(tracker);
      JsonNode page;
      try {
        page = Json.MAPPER.readTree(answer.body);
      } catch (IOException e) {
        throw new Main.CommandFailure("the tracker at " + tracker + " sent a catalogue that is not JSON");
      }
      if (page.isArray()) {
        return page; // a tracker from before paging sends its whole catalogue at once
      }
      JsonNode entries = page.path("entries");
      int total = page.path("total").asInt(-1);
      if (!entries.isArray() || total < 0) {
        throw new Main.CommandFailure("the tracker at " + tracker + " sent a catalogue page without entries and total");
      }
      if (total > MAX_ENTRIES) {
        throw new Main.CommandFailure("the tracker at " + tracker + " lists " + total + " entries, more than the "
            + MAX_ENTRIES + " read here; narrow it down with a name");
      }
      entries.forEach(all::add);
      if (entries.isEmpty() || all.size() >= total) {
        return all;
      }
    }
  }

  /** Whether the tracker answers with a catalogue (one entry asked for); if not, a failure saying why in one line. */
  void check(TrackerUrl tracker) {
    Answer answer = send(HttpRequest.GET(tracker.httpBase() + "/catalogue?limit=1"), tracker, MAX_PAGE_BYTES);
    if (answer.status == 404) {
      throw noCatalogue(tracker);
    }
    answer.requireSuccess(tracker);
  }

  /** The .torrent file the catalogue keeps for {@code hash}, or empty if it has none. */
  Optional<byte[]> torrent(TrackerUrl tracker, InfoHash hash) {
    Answer answer = send(HttpRequest.GET(tracker.httpBase() + "/torrents/" + hash.hex() + ".torrent"), tracker,
        MAX_TORRENT_BYTES);
    if (answer.status == 404) {
      return Optional.empty();
    }
    answer.requireSuccess(tracker);
    return Optional.of(answer.body);
  }

  /** Publishes a .torrent file with the configured publish key; empty when the catalogue took it, else why not. */
  Optional<String> publish(TrackerUrl tracker, byte[] torrent) {
    HttpRequest request = HttpRequest.POST(tracker.httpBase() + "/torrents").withEntity(TORRENT, torrent);
    String key = system.settings().config().getString(PUBLISH_KEY);
    if (!key.isEmpty()) {
      request = request.addHeader(Authorization.oauth2(key));
    }
    Answer answer;
    try {
      answer = send(request, tracker, MAX_PAGE_BYTES);
    } catch (Main.CommandFailure unreachable) {
      return Optional.of(unreachable.getMessage());
    }
    if (answer.status == 404) {
      return Optional.of("the tracker at " + tracker + " has no catalogue");
    }
    if (answer.status == 401 || answer.status == 403) {
      return Optional.of("the tracker at " + tracker + " refused the torrent: " + answer.problem()
          + (key.isEmpty() ? " (give share --publish-key KEY or set SWARMSHARE_PUBLISH_KEY)" : ""));
    }
    if (answer.status >= 300) {
      return Optional.of("the tracker at " + tracker + " refused the torrent: " + answer.problem());
    }
    return Optional.empty();
  }

  /** Closes the connection pools; the actor system logs errors if they are left open. */
  void close() {
    // Starting Pekko HTTP only to close it cost a command that never spoke HTTP 0.3 s at its exit.
    if (system.whenTerminated().isCompleted()
        || !Adapter.toClassic(system).hasExtension(org.apache.pekko.http.scaladsl.Http$.MODULE$)) {
      return;
    }
    try {
      Http.get(system).shutdownAllConnectionPools().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException | IllegalStateException e) {
      // best effort: the pools go with the actor system anyway
    }
  }

  private record Answer(int status, byte[] body) {
    void requireSuccess(TrackerUrl tracker) {
      if (status >= 300) {
        throw new Main.CommandFailure("the tracker at " + tracker + " answered " + status + ": " + problem());
      }
    }

    String problem() {
      try {
        JsonNode error = Json.MAPPER.readTree(body).path("error");
        if (error.isTextual()) {
          return error.asText();
        }
      } catch (IOException notJson) {
        // fall through to the status alone
      }
      return "HTTP " + status;
    }
  }

  /** The answer, its body read up to {@code maxBytes}: past that, one line saying so. */
  private Answer send(HttpRequest request, TrackerUrl tracker, long maxBytes) {
    try {
      HttpResponse response = Http.get(system).singleRequest(request).toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      byte[] body = response.entity().withSizeLimit(maxBytes)
          // withSizeLimit is the bound; toStrict's own (8 MiB by default) would refuse the largest torrents.
          .toStrict(TIMEOUT.toMillis(), Long.MAX_VALUE, system).toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).getData().toArray();
      return new Answer(response.status().intValue(), body);
    } catch (ExecutionException e) {
      if (causedBy(e, EntityStreamSizeException.class)) {
        throw new Main.CommandFailure("the tracker at " + tracker.httpBase() + " sent more than " + maxBytes
            + " bytes for " + request.getUri().path() + "; not reading more");
      }
      throw new Main.CommandFailure("cannot reach the tracker at " + tracker.httpBase() + ": " + rootMessage(e));
    } catch (TimeoutException e) {
      throw new Main.CommandFailure(
          "the tracker at " + tracker.httpBase() + " did not answer within " + TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Main.CommandFailure("interrupted while asking the tracker at " + tracker.httpBase());
    }
  }

  private static Main.CommandFailure noCatalogue(TrackerUrl tracker) {
    return new Main.CommandFailure("the tracker at " + tracker + " has no catalogue (is it a swarmshare tracker?)");
  }

  private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
