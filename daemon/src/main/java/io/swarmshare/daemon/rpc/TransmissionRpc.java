package io.swarmshare.daemon.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swarmshare.daemon.DaemonSettings;
import io.swarmshare.daemon.TorrentAdder;
import io.swarmshare.daemon.fetch.HttpFetcher;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.PeerSnapshot;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Transmission's RPC (its legacy dialect, rpc-version 17: {@code {method, arguments, tag}}
 * answered with {@code {result, arguments, tag}}) at {@code /transmission/rpc} and
 * {@code /transmission/rpc/}, so that transmission-remote, Sonarr, Radarr and scripts drive the
 * daemon. Every request carries the current {@code X-Transmission-Session-Id} (a client without it
 * gets 409 with the id, and asks again), the host check ({@link RpcAccess}) and a size limit; a
 * body that is not JSON is 400, an unknown method or bad arguments an answer whose {@code result}
 * says what is wrong, as Transmission does.
 */
public final class TransmissionRpc extends AllDirectives {

  public static final String SESSION_ID_HEADER = "X-Transmission-Session-Id";
  static final int RPC_VERSION = 17;
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);
  /** Within Pekko HTTP's request timeout (20 s). */
  private static final Duration MOVE_ANSWER = Duration.ofSeconds(10);
  /** A port on this machine that takes no connection in this long is as good as closed. */
  private static final Duration PORT_TEST_TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A call the RPC answers with a {@code result} other than success. */
  public static final class RpcError extends RuntimeException {
    public RpcError(String result) {
      super(result, null, false, false);
    }
  }

  private interface Method extends Function<JsonNode, CompletionStage<ObjectNode>> {}

  private final ActorRef<Session.Command> session;
  private final Scheduler scheduler;
  private final DaemonSettings settings;
  private final RpcAccess access;
  private final TorrentFields fields;
  private final SessionInfo info;
  private final TorrentAdder adder;
  private final HttpFetcher fetcher;
  private final String sessionId;
  private final Map<String, Method> methods;

  public TransmissionRpc(ActorRef<Session.Command> session, Scheduler scheduler, DaemonSettings settings,
      SessionInfo info, RpcAccess access) {
    this.session = session;
    this.scheduler = scheduler;
    this.settings = settings;
    this.access = access;
    this.fields = new TorrentFields(info.peerLimitPerTorrent());
    this.info = info;
    this.adder = new TorrentAdder(session, scheduler, settings.maxTorrentBytes());
    this.fetcher = new HttpFetcher(settings.torrentUrlTimeout(), settings.torrentUrlMaxRedirects());
    byte[] id = new byte[24];
    new SecureRandom().nextBytes(id);
    this.sessionId = HexFormat.of().formatHex(id);
    this.methods = Map.ofEntries(
        Map.entry("torrent-get", this::torrentGet),
        Map.entry("torrent-add", this::torrentAdd),
        Map.entry("torrent-start", args -> batch(args, Session.Start::new)),
        Map.entry("torrent-start-now", args -> batch(args, Session.StartNow::new)),
        Map.entry("torrent-stop", args -> batch(args, Session.Pause::new)),
        Map.entry("torrent-verify", args -> batch(args, Session.Verify::new)),
        Map.entry("torrent-reannounce", args -> batch(args, Session.Reannounce::new)),
        Map.entry("torrent-remove", this::torrentRemove),
        Map.entry("torrent-set", this::torrentSet),
        Map.entry("torrent-set-location", this::torrentSetLocation),
        Map.entry("queue-move-top", args -> batch(args, queueMove(Session.QueueMove.TOP))),
        Map.entry("queue-move-up", args -> batch(args, queueMove(Session.QueueMove.UP))),
        Map.entry("queue-move-down", args -> batch(args, queueMove(Session.QueueMove.DOWN))),
        Map.entry("queue-move-bottom", args -> batch(args, queueMove(Session.QueueMove.BOTTOM))),
        Map.entry("session-get", args -> AskPattern.<Session.Command, Session.Policy>ask(session,
            Session.GetPolicy::new, ASK_TIMEOUT, scheduler).thenApply(policy -> info.sessionGet(sessionId, policy))),
        Map.entry("session-set", this::sessionSet),
        Map.entry("session-stats", this::sessionStats),
        Map.entry("free-space", this::freeSpace),
        Map.entry("port-test", args -> info.peerPortOpen(PORT_TEST_TIMEOUT).thenApply(open -> {
          ObjectNode out = JSON.createObjectNode();
          out.put("port-is-open", open);
          return out;
        })));
  }

  public Route routes() {
    return pathPrefix("transmission", () -> pathPrefix("rpc", () -> pathEndOrSingleSlash(() ->
        extractRequest(request -> {
          Optional<HttpResponse> refused = access.check(request);
          if (refused.isPresent()) {
            return complete(refused.get());
          }
          if (!request.getHeader(SESSION_ID_HEADER).map(HttpHeader::value).filter(sessionId::equals).isPresent()) {
            return complete(HttpResponse.create().withStatus(StatusCodes.CONFLICT)
                .addHeader(RawHeader.create(SESSION_ID_HEADER, sessionId))
                .withEntity(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8,
                    "<h1>409: Conflict</h1><p>" + SESSION_ID_HEADER + ": " + sessionId + "</p>")));
          }
          return post(() -> withSizeLimit(settings.maxRequestBytes(),
              () -> entity(Unmarshaller.entityToByteArray(), this::call)));
        }))));
  }

  private Route call(byte[] body) {
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (IOException e) {
      return complete(StatusCodes.BAD_REQUEST, "the request is not JSON: " + firstLine(e.getMessage()));
    }
    if (request == null || !request.isObject()) {
      return complete(StatusCodes.BAD_REQUEST, "the request is not a JSON object");
    }
    JsonNode tag = request.get("tag");
    String method = request.path("method").asText("");
    JsonNode args = request.path("arguments");
    Method handler = methods.get(method);
    CompletionStage<ObjectNode> answer;
    if (handler == null) {
      answer = CompletableFuture.failedFuture(new RpcError(method.isEmpty() ? "no method name"
          : "method name not recognized"));
    } else {
      try {
        answer = handler.apply(args.isObject() ? args : JSON.createObjectNode());
      } catch (RpcError e) {
        answer = CompletableFuture.failedFuture(e);
      }
    }
    return onComplete(answer, outcome -> {
      ObjectNode reply = JSON.createObjectNode();
      if (outcome.isSuccess()) {
        reply.put("result", "success");
        reply.set("arguments", outcome.get());
      } else {
        Throwable t = outcome.failed().get();
        while (t.getCause() != null && !(t instanceof RpcError)) {
          t = t.getCause();
        }
        reply.put("result", t instanceof RpcError ? t.getMessage() : "the call failed: " + t.getMessage());
        reply.set("arguments", JSON.createObjectNode());
      }
      if (tag != null && tag.canConvertToLong()) {
        reply.put("tag", tag.asLong());
      }
      try {
        return complete(HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
            JSON.writeValueAsBytes(reply))));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a JSON tree always writes", e);
      }
    });
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  // ---- torrents ---------------------------------------------------------------------------------

  private CompletionStage<List<TorrentSnapshot>> select(JsonNode args) {
    Session.Selection which = RpcIds.selection(args.get("ids"));
    return AskPattern.ask(session, replyTo -> new Session.GetTorrent(which, replyTo), ASK_TIMEOUT, scheduler);
  }

  private CompletionStage<ObjectNode> torrentGet(JsonNode args) {
    JsonNode requested = args.get("fields");
    if (requested == null || !requested.isArray()) {
      throw new RpcError("torrent-get needs 'fields', a list of field names");
    }
    List<String> names = new ArrayList<>();
    requested.forEach(f -> names.add(f.asText()));
    ObjectNode out = JSON.createObjectNode();
    CompletionStage<List<TorrentSnapshot>> chosen;
    if (RpcIds.recentlyActive(args.get("ids"))) {
      // As Transmission: the torrents changed in the last minute, and the ids removed in it.
      chosen = AskPattern.<Session.Command, Session.RecentlyActive>ask(session, Session.GetRecentlyActive::new,
          ASK_TIMEOUT, scheduler).thenApply(recent -> {
            ArrayNode removed = out.putArray("removed");
            recent.removed().forEach(removed::add);
            return recent.torrents();
          });
    } else {
      chosen = select(args);
    }
    return chosen.thenCompose(torrents -> {
      ArrayNode list = out.putArray("torrents");
      List<CompletableFuture<?>> peers = new ArrayList<>();
      for (TorrentSnapshot t : torrents) {
        ObjectNode torrent = fields.of(t, names);
        list.add(torrent);
        if (names.contains("peers")) {
          // A torrent's connections are asked of its Download only when a client wants them.
          peers.add(AskPattern.<Session.Command, List<PeerSnapshot>>ask(session,
                  replyTo -> new Session.GetPeers(t.infoHash(), replyTo), ASK_TIMEOUT, scheduler)
              .thenAccept(p -> torrent.set("peers", TorrentFields.peers(p))).toCompletableFuture());
        }
      }
      return CompletableFuture.allOf(peers.toArray(CompletableFuture[]::new)).thenApply(done -> out);
    });
  }

  private interface BatchCommand {
    Session.Command make(Session.Selection which, ActorRef<Session.Done> replyTo);
  }

  private CompletionStage<ObjectNode> batch(JsonNode args, BatchCommand command) {
    Session.Selection which = RpcIds.selection(args.get("ids"));
    return AskPattern.<Session.Command, Session.Done>ask(session, replyTo -> command.make(which, replyTo),
        ASK_TIMEOUT, scheduler).thenApply(done -> JSON.createObjectNode());
  }

  private static BatchCommand queueMove(Session.QueueMove move) {
    return (which, replyTo) -> new Session.MoveInQueue(which, move, replyTo);
  }

  /** torrent-set; its {@code location} points the torrents at another directory, as set-location without move. */
  private CompletionStage<ObjectNode> torrentSet(JsonNode args) {
    Session.Selection which = RpcIds.selection(args.get("ids"));
    Session.TorrentChanges changes = TorrentSettings.changes(args);
    Optional<Path> location = args.has("location") ? Optional.of(location(args)) : Optional.empty();
    CompletionStage<ObjectNode> set = AskPattern.<Session.Command, Session.Done>ask(session,
        replyTo -> new Session.SetTorrent(which, changes, replyTo), ASK_TIMEOUT, scheduler)
        .thenApply(done -> JSON.createObjectNode());
    return location.isEmpty() ? set : set.thenCompose(done -> relocate(which, location.get(), false));
  }

  private CompletionStage<ObjectNode> torrentSetLocation(JsonNode args) {
    Session.Selection which = RpcIds.selection(args.get("ids"));
    JsonNode move = args.path("move");
    if (!move.isMissingNode() && !move.isBoolean()) {
      throw new RpcError("move must be true or false, got " + move);
    }
    return relocate(which, location(args), move.asBoolean(false));
  }

  private Path location(JsonNode args) {
    JsonNode location = args.get("location");
    if (location == null || !location.isTextual() || location.textValue().isBlank()) {
      throw new RpcError("'location' must be a directory's path");
    }
    return settings.allowedDownloadDir("location", location.textValue());
  }

  /**
   * Moves or points the torrents. A failure the move meets within {@link #MOVE_ANSWER} (a file in
   * the way, a directory it may not write) is the answer's result; a move of many gigabytes goes
   * on after a success answer, and a failure then is the daemon's log line, as with Transmission,
   * which answers at once.
   */
  private CompletionStage<ObjectNode> relocate(Session.Selection which, Path directory, boolean move) {
    return AskPattern.<Session.Command, Session.Relocated>ask(session,
        replyTo -> new Session.Relocate(which, directory, move, replyTo), MOVE_ANSWER, scheduler)
        .handle((relocated, failure) -> {
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          if (cause != null && !(cause instanceof TimeoutException)) {
            throw new CompletionException(cause);
          }
          if (relocated != null && !relocated.failures().isEmpty()) {
            throw new RpcError("torrent-set-location: " + String.join("; ", relocated.failures()));
          }
          return JSON.createObjectNode();
        });
  }

  private CompletionStage<ObjectNode> torrentRemove(JsonNode args) {
    Session.Selection which = RpcIds.selection(args.get("ids"));
    boolean delete = args.path("delete-local-data").asBoolean(false);
    return AskPattern.<Session.Command, Session.Done>ask(session, replyTo -> new Session.Remove(which, delete, replyTo),
        ASK_TIMEOUT, scheduler).thenApply(done -> JSON.createObjectNode());
  }

  private CompletionStage<ObjectNode> torrentAdd(JsonNode args) {
    Path directory = settings.allowedDownloadDir(args.path("download-dir").asText(""));
    boolean paused = args.path("paused").asBoolean(false);
    String filename = args.path("filename").asText("");
    CompletionStage<TorrentAdder.Outcome> adding = !args.hasNonNull("metainfo") && isMagnet(filename)
        ? adder.add(magnet(filename), directory, paused)
        : readTorrent(args).thenCompose(metainfo -> adder.add(metainfo, directory, paused));
    return adding.thenApply(outcome -> {
      ObjectNode out = JSON.createObjectNode();
      if (outcome instanceof TorrentAdder.Added a) {
        out.set("torrent-added", brief(a.torrent()));
      } else if (outcome instanceof TorrentAdder.Duplicate d) {
        out.set("torrent-duplicate", brief(d.torrent()));
      } else {
        throw new RpcError(((TorrentAdder.Refused) outcome).reason());
      }
      return out;
    });
  }

  private static ObjectNode brief(TorrentSnapshot t) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", t.id());
    o.put("name", t.name());
    o.put("hashString", t.infoHash().hex());
    return o;
  }

  /**
   * The torrent of a {@code torrent-add} that is not a magnet link: {@code metainfo} (base64) or
   * {@code filename}, a local .torrent or an http or https URL that the daemon fetches.
   */
  private CompletionStage<Metainfo> readTorrent(JsonNode args) {
    if (args.hasNonNull("metainfo")) {
      byte[] bytes;
      try {
        bytes = Base64.getMimeDecoder().decode(args.get("metainfo").asText());
      } catch (IllegalArgumentException e) {
        throw new RpcError("invalid or corrupt torrent file: the metainfo is not base64");
      }
      return CompletableFuture.completedFuture(parse(bytes));
    }
    if (!args.hasNonNull("filename")) {
      throw new RpcError("torrent-add needs 'filename' or 'metainfo'");
    }
    String filename = args.get("filename").asText();
    if (HttpFetcher.isHttpUrl(filename)) {
      return fetcher.get(filename, settings.maxTorrentBytes())
          .exceptionally(failure -> {
            throw new RpcError(HttpFetcher.reason(failure));
          })
          .thenApply(bytes -> {
            try {
              return adder.parse(bytes);
            } catch (TorrentAdder.Invalid e) {
              throw new RpcError(e.getMessage() + " (fetched from " + filename + ")");
            }
          });
    }
    return CompletableFuture.completedFuture(parse(readLimited(Path.of(filename))));
  }

  private static boolean isMagnet(String filename) {
    return filename.regionMatches(true, 0, "magnet:", 0, "magnet:".length());
  }

  private static MagnetLink magnet(String filename) {
    try {
      return MagnetLink.parse(filename);
    } catch (MalformedMessageException e) {
      throw new RpcError(e.getMessage());
    }
  }

  private Metainfo parse(byte[] bytes) {
    try {
      return adder.parse(bytes);
    } catch (TorrentAdder.Invalid e) {
      throw new RpcError(e.getMessage());
    }
  }

  private byte[] readLimited(Path file) {
    try {
      return adder.read(file);
    } catch (IOException e) {
      throw new RpcError("cannot read " + file + ": " + e.getMessage());
    }
  }

  // ---- the session ------------------------------------------------------------------------------

  private CompletionStage<ObjectNode> sessionSet(JsonNode args) {
    UnaryOperator<Session.Policy> policy = SessionInfo.policyChange(args);
    Optional<Long> down = Optional.empty();
    Optional<Long> up = Optional.empty();
    if (SpeedLimits.named(args)) {
      SpeedLimits limits = info.limits().change(args);
      info.limits(limits);
      down = Optional.of(limits.download());
      up = Optional.of(limits.upload());
    }
    Optional<Long> download = down;
    Optional<Long> upload = up;
    return AskPattern.<Session.Command, Session.Done>ask(session,
            replyTo -> new Session.SetLimits(upload, download, replyTo), ASK_TIMEOUT, scheduler)
        .thenCompose(done -> AskPattern.<Session.Command, Session.Policy>ask(session,
            replyTo -> new Session.ChangePolicy(policy, replyTo), ASK_TIMEOUT, scheduler))
        .thenApply(done -> JSON.createObjectNode());
  }

  private CompletionStage<ObjectNode> sessionStats(JsonNode args) {
    return AskPattern.<Session.Command, List<TorrentSnapshot>>ask(session, Session.ListTorrents::new, ASK_TIMEOUT,
        scheduler).thenApply(info::sessionStats);
  }

  private CompletionStage<ObjectNode> freeSpace(JsonNode args) {
    String path = args.path("path").asText("");
    if (path.isEmpty()) {
      throw new RpcError("free-space needs 'path'");
    }
    try {
      var store = Files.getFileStore(Path.of(path));
      ObjectNode out = JSON.createObjectNode();
      out.put("path", path);
      out.put("size-bytes", store.getUsableSpace());
      out.put("total_size", store.getTotalSpace());
      return CompletableFuture.completedFuture(out);
    } catch (IOException e) {
      throw new RpcError("cannot tell the free space of " + path + ": " + e.getMessage());
    }
  }

  /** What the RPC knows of torrents' states, for the session's counts. */
  static boolean active(TorrentSnapshot t) {
    return t.state() == TorrentState.DOWNLOADING || t.state() == TorrentState.SEEDING || t.state().checking();
  }
}
