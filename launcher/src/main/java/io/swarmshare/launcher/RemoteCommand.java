package io.swarmshare.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.tracker.TrackerUrl;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Our own client of a running daemon, over the same Transmission RPC that transmission-remote
 * speaks: add, list, start, stop, verify, remove, stats.
 */
@Command(
    name = "remote",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Drive a running 'swarmshare daemon' (or any Transmission daemon) through its RPC.",
    subcommands = {RemoteCommand.Add.class, RemoteCommand.ListTorrents.class, RemoteCommand.Start.class,
        RemoteCommand.Stop.class, RemoteCommand.Verify.class, RemoteCommand.Remove.class, RemoteCommand.Stats.class})
final class RemoteCommand {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> LIST_FIELDS = List.of("id", "name", "hashString", "status", "percentDone",
      "totalSize", "rateDownload", "rateUpload", "uploadRatio", "peersConnected", "error", "errorString",
      "downloadDir", "downloadedEver", "uploadedEver");
  private static final String[] STATUS = {"stopped", "check wait", "checking", "download wait", "downloading",
      "seed wait", "seeding"};

  @Option(names = "--rpc", paramLabel = "URL", description = "The daemon's RPC (default: ${DEFAULT-VALUE}).")
  URI rpc = URI.create("http://127.0.0.1:9091/transmission/rpc");

  @Option(names = "--username", paramLabel = "NAME", description = "The RPC's username, if it needs one.")
  String username;

  @Option(names = "--password", paramLabel = "WORD",
      description = "The RPC's password (or the SWARMSHARE_RPC_PASSWORD environment variable).")
  String password;

  @Spec CommandSpec spec;

  /** Made on the first call: building one sets up TLS, which every other command would pay at start-up. */
  private HttpClient client;
  private String sessionId = "";

  private HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }
    return client;
  }

  /** Calls {@code method}; the arguments of a successful answer, or one line saying why not. */
  JsonNode call(String method, ObjectNode arguments) throws IOException, InterruptedException {
    ObjectNode request = Json.MAPPER.createObjectNode().put("method", method);
    request.set("arguments", arguments);
    byte[] body = Json.MAPPER.writeValueAsBytes(request);
    for (int attempt = 0; attempt < 2; attempt++) {
      HttpRequest.Builder post = HttpRequest.newBuilder(rpc).timeout(TIMEOUT)
          .header("X-Transmission-Session-Id", sessionId).POST(HttpRequest.BodyPublishers.ofByteArray(body));
      String secret = password != null ? password : System.getenv("SWARMSHARE_RPC_PASSWORD");
      if (username != null) {
        post.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (username + ":" + (secret == null ? "" : secret)).getBytes(StandardCharsets.UTF_8)));
      }
      HttpResponse<String> answer;
      try {
        answer = client().send(post.build(), HttpResponse.BodyHandlers.ofString());
      } catch (ConnectException e) {
        throw new Main.CommandFailure("cannot reach the daemon at " + rpc + ": is 'swarmshare daemon' running?");
      }
      if (answer.statusCode() == 409) {
        sessionId = answer.headers().firstValue("X-Transmission-Session-Id").orElse("");
        continue;
      }
      if (answer.statusCode() == 401) {
        throw new Main.CommandFailure(rpc + " wants a login: give --username and --password");
      }
      if (answer.statusCode() != 200) {
        throw new Main.CommandFailure(rpc + " answered HTTP " + answer.statusCode());
      }
      JsonNode reply = Json.MAPPER.readTree(answer.body());
      String result = reply.path("result").asText("");
      if (!result.equals("success")) {
        throw new Main.CommandFailure(method + ": " + result);
      }
      return reply.path("arguments");
    }
    throw new Main.CommandFailure(rpc + " keeps refusing the session id");
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** The {@code ids} argument: "all" is every torrent; otherwise ids and info hashes. */
  static ObjectNode ids(List<String> which) {
    ObjectNode args = Json.MAPPER.createObjectNode();
    if (which.size() == 1 && which.get(0).equals("all")) {
      return args;
    }
    ArrayNode ids = args.putArray("ids");
    for (String w : which) {
      if (w.matches("\\d+")) {
        ids.add(Integer.parseInt(w));
      } else if (w.matches("[0-9a-fA-F]{40}")) {
        ids.add(w.toLowerCase(Locale.ROOT));
      } else {
        throw new Main.CommandFailure("'" + w + "' is not a torrent id, an info hash or 'all'");
      }
    }
    return args;
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Add a .torrent file or URL (the daemon fetches it), a magnet link (the daemon fetches its"
          + " metadata from its peers), or a name from a tracker's catalogue.")
  static final class Add implements java.util.concurrent.Callable<Integer> {
    @ParentCommand RemoteCommand remote;

    @Parameters(paramLabel = "TORRENT|URL|NAME|MAGNET") String target;

    @Option(names = "--tracker", paramLabel = "URL",
        description = "The catalogue to find a name in; for a magnet link, a tracker to add to it.")
    List<String> trackers = new ArrayList<>();

    @Option(names = {"-o", "--download-dir"}, paramLabel = "DIR", description = "Where the daemon saves it.")
    String downloadDir;

    @Option(names = "--paused", description = "Add it stopped.")
    boolean paused;

    @Override
    public Integer call() throws Exception {
      ObjectNode args = Json.MAPPER.createObjectNode();
      String lower = target.toLowerCase(Locale.ROOT);
      if (lower.startsWith("http://") || lower.startsWith("https://")) {
        args.put("filename", target); // the daemon fetches it, as Transmission's does
      } else if (lower.startsWith("magnet:")) {
        args.put("filename", withTrackers(target));
      } else {
        args.put("metainfo", Base64.getEncoder().encodeToString(find().encode()));
      }
      args.put("paused", paused);
      if (downloadDir != null) {
        args.put("download-dir", downloadDir);
      }
      JsonNode added = remote.call("torrent-add", args);
      JsonNode t = added.has("torrent-added") ? added.get("torrent-added") : added.get("torrent-duplicate");
      remote.out().printf("%s %d %s (%s)%n", added.has("torrent-added") ? "added" : "already there:",
          t.path("id").asInt(), Printable.escape(t.path("name").asText()), t.path("hashString").asText());
      remote.out().flush();
      return 0;
    }

    /** The link, read here so that a broken one is refused before the daemon is asked, with --tracker's added. */
    private String withTrackers(String link) {
      MagnetLink magnet;
      try {
        magnet = MagnetLink.parse(link);
      } catch (MalformedMessageException e) {
        throw new Main.CommandFailure(e.getMessage());
      }
      List<String> all = new ArrayList<>(magnet.trackers());
      for (String t : trackers) {
        all.add(TrackerUrl.parse(t).toString());
      }
      return new MagnetLink(magnet.infoHash(), magnet.displayName(), all.stream().distinct().toList(), magnet.peers())
          .format();
    }

    private Metainfo find() throws Exception {
      if (target.endsWith(".torrent")) {
        return TorrentFinder.read(java.nio.file.Path.of(target));
      }
      List<TrackerUrl> urls = new ArrayList<>();
      for (String t : trackers) {
        urls.add(TrackerUrl.parse(t));
      }
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "remote", NodeConfig.load(Map.of()));
      CatalogueClient catalogue = new CatalogueClient(system);
      try {
        return new TorrentFinder(catalogue, remote.out()).find(target, urls);
      } finally {
        catalogue.close();
        system.terminate();
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The daemon's torrents.")
  static final class ListTorrents implements java.util.concurrent.Callable<Integer> {
    @ParentCommand RemoteCommand remote;

    @Option(names = "--json", description = "One JSON array, with Transmission's field names.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      ObjectNode args = Json.MAPPER.createObjectNode();
      LIST_FIELDS.forEach(args.putArray("fields")::add);
      JsonNode torrents = remote.call("torrent-get", args).path("torrents");
      PrintWriter out = remote.out();
      if (json) {
        out.println(Json.MAPPER.writeValueAsString(torrents));
      } else {
        out.printf("%4s %6s %-12s %10s %10s %10s %6s %5s  %s%n", "ID", "DONE", "STATE", "SIZE", "DOWN/s", "UP/s",
            "RATIO", "PEERS", "NAME");
        for (JsonNode t : torrents) {
          int status = t.path("status").asInt();
          String state = t.path("error").asInt() != 0 ? "error" : status >= 0 && status < STATUS.length
              ? STATUS[status] : "?";
          double ratio = t.path("uploadRatio").asDouble();
          out.printf(Locale.ROOT, "%4d %5.1f%% %-12s %10s %10s %10s %6s %5d  %s%n", t.path("id").asInt(),
              100 * t.path("percentDone").asDouble(), state, ByteSize.format(t.path("totalSize").asLong()),
              ByteSize.format(t.path("rateDownload").asLong()), ByteSize.format(t.path("rateUpload").asLong()),
              ratio < 0 ? "-" : String.format(Locale.ROOT, "%.2f", ratio), t.path("peersConnected").asInt(),
              Printable.escape(t.path("name").asText()));
          if (t.path("error").asInt() != 0) {
            out.printf("     %s%n", Printable.escape(t.path("errorString").asText()));
          }
        }
      }
      out.flush();
      return 0;
    }
  }

  /** start, stop, verify: a method on some torrents. */
  abstract static class OnTorrents implements java.util.concurrent.Callable<Integer> {
    @ParentCommand RemoteCommand remote;

    @Parameters(paramLabel = "ID|HASH|all", arity = "1..*", description = "Torrent ids, info hashes, or 'all'.")
    List<String> which;

    abstract String method();

    ObjectNode arguments() {
      return ids(which);
    }

    @Override
    public Integer call() throws Exception {
      remote.call(method(), arguments());
      remote.out().printf("%s: done%n", method());
      remote.out().flush();
      return 0;
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Start torrents.")
  static final class Start extends OnTorrents {
    @Override
    String method() {
      return "torrent-start";
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop torrents (they stay in the daemon).")
  static final class Stop extends OnTorrents {
    @Override
    String method() {
      return "torrent-stop";
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true, description = "Check torrents' data on disk again.")
  static final class Verify extends OnTorrents {
    @Override
    String method() {
      return "torrent-verify";
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove torrents from the daemon.")
  static final class Remove extends OnTorrents {
    @Option(names = "--delete-data", description = "Delete their downloaded files too.")
    boolean deleteData;

    @Override
    String method() {
      return "torrent-remove";
    }

    @Override
    ObjectNode arguments() {
      return ids(which).put("delete-local-data", deleteData);
    }
  }

  @Command(name = "stats", mixinStandardHelpOptions = true, description = "The daemon's rates and totals.")
  static final class Stats implements java.util.concurrent.Callable<Integer> {
    @ParentCommand RemoteCommand remote;

    @Override
    public Integer call() throws Exception {
      JsonNode s = remote.call("session-stats", Json.MAPPER.createObjectNode());
      PrintWriter out = remote.out();
      out.printf("torrents: %d (%d active, %d stopped)%n", s.path("torrentCount").asInt(),
          s.path("activeTorrentCount").asInt(), s.path("pausedTorrentCount").asInt());
      out.printf("rates: down %s/s, up %s/s%n", ByteSize.format(s.path("downloadSpeed").asLong()),
          ByteSize.format(s.path("uploadSpeed").asLong()));
      JsonNode total = s.path("cumulative-stats");
      out.printf("totals: downloaded %s, uploaded %s%n", ByteSize.format(total.path("downloadedBytes").asLong()),
          ByteSize.format(total.path("uploadedBytes").asLong()));
      out.flush();
      return 0;
    }
  }
}
