package io.swarmshare.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.tracker.TrackerUrl;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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

  @Spec CommandSpec spec;

  @Option(names = "--tracker", paramLabel = "URL", required = true,
      description = "The tracker, udp://host:port/announce or http://host:port/announce.")
  String tracker;

  @Option(names = "--name", paramLabel = "TEXT", description = "Only entries whose name contains TEXT.")
  String name;

  @Override
  public Integer call() throws Exception {
    TrackerUrl url = TrackerUrl.parse(tracker);
    JsonNode entries = fetch(url);
    print(entries, name, spec.commandLine().getOut());
    return 0;
  }

  /** The catalogue as a table; {@code name} is what it was filtered by, if anything. */
  static void print(JsonNode entries, String name, PrintWriter out) {
    if (entries.isEmpty()) {
      out.println(name == null
          ? "the catalogue is empty"
          : "nothing in the catalogue matches '" + Printable.escape(name) + "'");
      out.flush();
      return;
    }
    int width = 4;
    for (JsonNode e : entries) {
      width = Math.max(width, Printable.escape(e.get("name").asText()).length());
    }
    String row = "%-" + Math.min(width, 60) + "s  %10s  %7s  %8s  %9s  %s%n";
    out.printf(row, "NAME", "SIZE", "SEEDERS", "LEECHERS", "COMPLETED", "INFO HASH");
    for (JsonNode e : entries) {
      out.printf(row, Printable.escape(e.get("name").asText()), ByteSize.format(e.get("size").asLong()),
          e.get("seeders").asInt(), e.get("leechers").asInt(), e.get("completed").asInt(),
          Printable.escape(e.get("infoHash").asText()));
    }
    out.flush();
  }

  private JsonNode fetch(TrackerUrl url) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "swarmshare-list", NodeConfig.load(Map.of()));
    CatalogueClient catalogue = new CatalogueClient(system);
    try {
      return catalogue.list(url, Optional.ofNullable(name));
    } finally {
      catalogue.close();
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }
  }
}
