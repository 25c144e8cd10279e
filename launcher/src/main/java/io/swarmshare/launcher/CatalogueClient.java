package io.swarmshare.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;

/**
 * A swarmshare tracker's catalogue, over HTTP on the tracker's port (Pekko HTTP client): list
 * it, fetch a .torrent from it, publish one to it. Every failure is one line naming the tracker.
 */
final class CatalogueClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final ContentType TORRENT = ContentTypes.create(MediaTypes.applicationBinary("x-bittorrent", false));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ActorSystem<?> system;

  CatalogueClient(ActorSystem<?> system) {
    this.system = system;
  }

  /** The catalogue's entries, all or those whose name contains {@code name}. */
  JsonNode list(TrackerUrl tracker, Optional<String> name) {
    String query = name.map(n -> "?name=" + PercentEncoding.encode(n)).orElse("");
    Answer answer = send(HttpRequest.GET(tracker.httpBase() + "/catalogue" + query), tracker);
    if (answer.status == 404) {
      throw new Main.CommandFailure("the tracker at " + tracker + " has no catalogue (is it a swarmshare tracker?)");
    }
    answer.requireSuccess(tracker);
    try {
      return JSON.readTree(answer.body);
    } catch (IOException e) {
      throw new Main.CommandFailure("the tracker at " + tracker + " sent a catalogue that is not JSON");
    }
  }

  /** The .torrent file the catalogue keeps for {@code hash}, or empty if it has none. */
  Optional<byte[]> torrent(TrackerUrl tracker, InfoHash hash) {
    Answer answer = send(HttpRequest.GET(tracker.httpBase() + "/torrents/" + hash.hex() + ".torrent"), tracker);
    if (answer.status == 404) {
      return Optional.empty();
    }
    answer.requireSuccess(tracker);
    return Optional.of(answer.body);
  }

  /** Publishes a .torrent file; empty when the catalogue took it, else why not. */
  Optional<String> publish(TrackerUrl tracker, byte[] torrent) {
    Answer answer;
    try {
      answer = send(HttpRequest.POST(tracker.httpBase() + "/torrents").withEntity(TORRENT, torrent), tracker);
    } catch (Main.CommandFailure unreachable) {
      return Optional.of(unreachable.getMessage());
    }
    if (answer.status == 404) {
      return Optional.of("the tracker at " + tracker + " has no catalogue");
    }
    if (answer.status >= 300) {
      return Optional.of("the tracker at " + tracker + " refused the torrent: " + answer.problem());
    }
    return Optional.empty();
  }

  /** Closes the connection pools; the actor system logs errors if they are left open. */
  void close() {
    if (system.whenTerminated().isCompleted()) {
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
        JsonNode error = JSON.readTree(body).path("error");
        if (error.isTextual()) {
          return error.asText();
        }
      } catch (IOException notJson) {
        // fall through to the status alone
      }
      return "HTTP " + status;
    }
  }

  private Answer send(HttpRequest request, TrackerUrl tracker) {
    try {
      HttpResponse response = Http.get(system).singleRequest(request).toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      byte[] body = response.entity().toStrict(TIMEOUT.toMillis(), system).toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).getData().toArray();
      return new Answer(response.status().intValue(), body);
    } catch (ExecutionException e) {
      throw new Main.CommandFailure("cannot reach the tracker at " + tracker.httpBase() + ": " + rootMessage(e));
    } catch (TimeoutException e) {
      throw new Main.CommandFailure(
          "the tracker at " + tracker.httpBase() + " did not answer within " + TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Main.CommandFailure("interrupted while asking the tracker at " + tracker.httpBase());
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
