package io.swarmshare.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmshare.messages.PercentEncoding;
import io.swarmshare.messages.tracker.TrackerUrl;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.util.ByteString;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Show a tracker's catalogue: name, size, seeders, leechers, completed downloads.")
final class ListCommand implements Callable<Integer> {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @Spec CommandSpec spec;

  @Option(names = "--tracker", paramLabel = "URL", required = true,
      description = "The tracker, udp://host:port/announce or http://host:port/announce.")
  String tracker;

  @Option(names = "--name", paramLabel = "TEXT", description = "Only entries whose name contains TEXT.")
  String name;

  @Override
  public Integer call() throws Exception {
    TrackerUrl url = TrackerUrl.parse(tracker);
    String uri = url.httpBase() + "/catalogue" + (name == null ? "" : "?name=" + PercentEncoding.encode(name));
    JsonNode entries = new ObjectMapper().readTree(fetch(uri, url));
    PrintWriter out = spec.commandLine().getOut();
    if (entries.isEmpty()) {
      out.println(name == null ? "the catalogue is empty" : "nothing in the catalogue matches '" + name + "'");
      out.flush();
      return 0;
    }
    int width = 4;
    for (JsonNode e : entries) {
      width = Math.max(width, e.get("name").asText().length());
    }
    String row = "%-" + Math.min(width, 60) + "s  %10s  %7s  %8s  %9s  %s%n";
    out.printf(row, "NAME", "SIZE", "SEEDERS", "LEECHERS", "COMPLETED", "INFO HASH");
    for (JsonNode e : entries) {
      out.printf(row, e.get("name").asText(), ByteSize.format(e.get("size").asLong()), e.get("seeders").asInt(),
          e.get("leechers").asInt(), e.get("completed").asInt(), e.get("infoHash").asText());
    }
    out.flush();
    return 0;
  }

  /** One GET through Pekko HTTP; any failure becomes one line naming the tracker. */
  private static String fetch(String uri, TrackerUrl url) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "swarmshare-list", NodeConfig.load(Map.of()));
    try {
      HttpResponse response = Http.get(system).singleRequest(HttpRequest.GET(uri)).toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      ByteString body = response.entity().toStrict(TIMEOUT.toMillis(), system).toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).getData();
      if (response.status().intValue() == 404) {
        throw new Main.CommandFailure("the tracker at " + url + " has no catalogue (is it a swarmshare tracker?)");
      }
      if (response.status().isFailure()) {
        throw new Main.CommandFailure("the tracker at " + url + " answered " + response.status());
      }
      return body.utf8String();
    } catch (ExecutionException e) {
      throw new Main.CommandFailure("cannot reach the tracker at " + url.httpBase() + ": " + rootMessage(e));
    } catch (TimeoutException e) {
      throw new Main.CommandFailure("the tracker at " + url.httpBase() + " did not answer within " + TIMEOUT.toSeconds() + " s");
    } finally {
      Http.get(system).shutdownAllConnectionPools().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
