package io.swarmshare.daemon.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swarmshare.daemon.fetch.HttpFetcher;
import io.swarmshare.daemon.rpc.BrowserLogins;
import io.swarmshare.daemon.rpc.RpcAccess;
import io.swarmshare.daemon.rpc.TorrentFields;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.web.BrowserOrigin;
import io.swarmshare.web.PageFiles;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.SameSite;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * The daemon's web UI: the page at {@code /} and its script and style under {@code /web/}, which
 * act through the Transmission RPC, and {@code /web/events}, a stream of Server-Sent Events fed by
 * the session's events ({@link Session.Subscribe}): first every torrent, then at most once every
 * {@code update-interval} the torrents that changed, so the page never asks for the whole list again.
 *
 * <p>Access is the RPC's ({@link RpcAccess}): the host check for everything; where the RPC needs a
 * login, the events, the RPC and {@code /web/logout} need the cookie of one made at
 * {@code /web/login} (or HTTP basic), and the CSRF token of {@code /web/session} on every request
 * that changes something. The page, its script and its style hold no data and are served to
 * anyone who passes the host check, so that they can show the login form.
 */
public final class WebUi extends AllDirectives {

  private static final String RESOURCES = "io/swarmshare/daemon/web/static";
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);
  /** A login or a catalogue search is a few short strings. */
  private static final long MAX_FORM_BODY = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ActorRef<Session.Command> session;
  private final Scheduler scheduler;
  private final RpcAccess access;
  private final TorrentFields fields;
  private final WebSettings settings;
  private final CatalogueSearch catalogue;
  /** The pages' event streams open now: each one is a subscriber of the session's. */
  private final AtomicInteger openStreams = new AtomicInteger();

  public WebUi(ActorRef<Session.Command> session, Scheduler scheduler, RpcAccess access, TorrentFields fields,
      WebSettings settings, HttpFetcher fetcher) {
    this.catalogue = new CatalogueSearch(fetcher, settings.catalogueTrackers());
    this.session = session;
    this.scheduler = scheduler;
    this.access = access;
    this.fields = fields;
    this.settings = settings;
  }

  /** How many pages' event streams are open now (each a subscriber of the session's), for /metrics and tests. */
  public int openStreams() {
    return openStreams.get();
  }

  public Route routes() {
    return respondWithHeaders(PageFiles.HEADERS, () -> concat(
        pathEndOrSingleSlash(() -> get(() -> hostChecked(() ->
            getFromResource(RESOURCES + "/index.html", ContentTypes.TEXT_HTML_UTF8)))),
        pathPrefix("web", () -> concat(
            path("session", () -> get(() -> hostChecked(this::sessionState))),
            path("login", () -> post(() -> hostChecked(this::logIn))),
            path("logout", () -> post(() -> allowed(this::logOut))),
            path("events", () -> get(() -> allowed(() ->
                completeOK(events(), EventStreamMarshalling.toEventStream())))),
            path("catalogue", () -> concat(
                get(() -> allowed(this::catalogueTrackers)),
                post(() -> allowed(this::searchCatalogue)))),
            pathPrefix("common", () -> get(() -> hostChecked(() -> getFromResourceDirectory(PageFiles.COMMON)))),
            get(() -> hostChecked(() -> getFromResourceDirectory(RESOURCES)))))));
  }

  private Route hostChecked(Supplier<Route> inner) {
    return extractRequest(request -> access.checkHost(request).map(this::complete).orElseGet(inner));
  }

  private Route allowed(Supplier<Route> inner) {
    return extractRequest(request -> access.check(request).map(this::complete).orElseGet(inner));
  }

  /** Whether the page must log in, and the CSRF token of the login it has. */
  private Route sessionState() {
    return extractRequest(request -> {
      ObjectNode out = JSON.createObjectNode();
      Optional<BrowserLogins.Login> login = access.loginOf(request);
      out.put("login", !access.loginRequired() ? "open" : login.isPresent() ? "done" : "required");
      out.put("csrf", login.map(BrowserLogins.Login::csrfToken).orElse(""));
      return json(StatusCodes.OK, out);
    });
  }

  private Route logIn() {
    return extractRequest(request -> {
      if (!sameOrigin(request)) {
        // Another site's page must not log the browser in to its own account here (login CSRF).
        return json(StatusCodes.FORBIDDEN, error("a login must come from this daemon's own page"));
      }
      if (!access.loginRequired()) {
        return json(StatusCodes.BAD_REQUEST, error("this daemon needs no login"));
      }
      return form("a login is a JSON object with username and password", given -> true, given -> {
        Optional<BrowserLogins.Login> login = access.logIn(given.path("username").asText(""),
            given.path("password").asText(""));
        if (login.isEmpty()) {
          return json(StatusCodes.UNAUTHORIZED, error("wrong username or password"));
        }
        HttpCookie cookie = HttpCookie.create(BrowserLogins.COOKIE, login.get().cookie()).withPath("/")
            .withHttpOnly(true).withSameSite(SameSite.Strict).withMaxAge(access.loginLifetime().toSeconds());
        ObjectNode out = JSON.createObjectNode();
        out.put("login", "done");
        out.put("csrf", login.get().csrfToken());
        return setCookie(cookie, () -> json(StatusCodes.OK, out));
      });
    });
  }

  /**
   * A small JSON object posted by the page (a login, a search), read up to {@link #MAX_FORM_BODY}:
   * {@code inner} of it if it is one that {@code valid} takes, else 400 with {@code what}.
   */
  private Route form(String what, Predicate<JsonNode> valid, Function<JsonNode, Route> inner) {
    return withSizeLimit(MAX_FORM_BODY, () -> entity(Unmarshaller.entityToByteArray(), body -> {
      JsonNode given;
      try {
        given = JSON.readTree(body);
      } catch (IOException e) {
        given = null;
      }
      if (given == null || !given.isObject() || !valid.test(given)) {
        return json(StatusCodes.BAD_REQUEST, error(what));
      }
      return inner.apply(given);
    }));
  }

  private Route logOut() {
    return extractRequest(request -> {
      access.logOut(request);
      ObjectNode out = JSON.createObjectNode();
      out.put("login", access.loginRequired() ? "required" : "open");
      return setCookie(HttpCookie.create(BrowserLogins.COOKIE, "").withPath("/").withMaxAge(0),
          () -> json(StatusCodes.OK, out));
    });
  }

  private Route catalogueTrackers() {
    ObjectNode out = JSON.createObjectNode();
    catalogue.trackers().forEach(out.putArray("trackers")::add);
    return json(StatusCodes.OK, out);
  }

  /**
   * {@code {tracker, name}}: the tracker's catalogue entries of that name, each with the URL of its
   * .torrent, which the page adds through the RPC. A POST under the rules of every request that
   * changes something (the login's CSRF token, the page's own origin), since it makes the daemon
   * reach out to a server the page names.
   */
  private Route searchCatalogue() {
    return extractRequest(request -> {
      if (!sameOrigin(request)) {
        return json(StatusCodes.FORBIDDEN, error("a search must come from this daemon's own page"));
      }
      return form("a search is a JSON object with tracker and name", given -> given.path("tracker").isTextual(),
          given -> onComplete(catalogue.search(given.get("tracker").asText(), given.path("name").asText("")),
              outcome -> {
                if (outcome.isSuccess()) {
                  return json(StatusCodes.OK, outcome.get());
                }
                Throwable t = outcome.failed().get();
                Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                return json(StatusCodes.BAD_GATEWAY, error(cause.getMessage()));
              }));
    });
  }

  /** A browser says where a POST comes from; it must be this daemon's own page, as the request addressed it. */
  private static boolean sameOrigin(HttpRequest request) {
    return BrowserOrigin.refusal(header(request, "Sec-Fetch-Site"), header(request, "Origin"),
        header(request, "Host")).isEmpty();
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }

  /**
   * One page's stream: subscribed to every torrent, the whole list first (asked after the
   * subscription, so nothing falls between the two), then the changes folded into one message per
   * interval, less the torrents whose shown fields did not change, and no message when nothing did.
   * When the page goes the stream stops, and with it the subscriber the session watches; Pekko HTTP
   * notices a closed connection only when a write to it fails, which the keep-alive
   * comments make happen soon enough.
   */
  private Source<ServerSentEvent, NotUsed> events() {
    CompletableFuture<List<TorrentSnapshot>> listed = new CompletableFuture<>();
    // This page's alone: each request gets a Source of its own, read by one stage at a time.
    Updates.Sent sent = new Updates.Sent();
    Source<Updates, NotUsed> changes = ActorSource.<Session.Event>actorRef(event -> false, event -> Optional.empty(),
            settings.eventBuffer(), OverflowStrategy.fail())
        .mapMaterializedValue(subscriber -> {
          session.tell(new Session.Subscribe(Session.Selection.everything(), subscriber));
          AskPattern.<Session.Command, List<TorrentSnapshot>>ask(session, Session.ListTorrents::new, ASK_TIMEOUT,
              scheduler).whenComplete((torrents, failure) -> {
                if (failure != null) {
                  listed.completeExceptionally(failure);
                } else {
                  listed.complete(torrents);
                }
              });
          return NotUsed.getInstance();
        })
        .conflateWithSeed(Updates::of, Updates::add);
    return Source.completionStage(listed).map(Updates::reset)
        .concat(changes)
        .throttle(1, settings.updateInterval())
        .mapConcat(updates -> updates.toJson(fields, sent).map(List::of).orElse(List.of()))
        .map(message -> ServerSentEvent.create(JSON.writeValueAsString(message), "update"))
        .keepAlive(settings.keepAlive(), ServerSentEvent::heartbeat)
        .watchTermination((notUsed, done) -> {
          openStreams.incrementAndGet();
          done.whenComplete((ended, failure) -> openStreams.decrementAndGet());
          return NotUsed.getInstance();
        });
  }

  private static ObjectNode error(String message) {
    ObjectNode out = JSON.createObjectNode();
    out.put("error", message);
    return out;
  }

  private Route json(StatusCode status, ObjectNode body) {
    try {
      return complete(HttpResponse.create().withStatus(status)
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(body))));
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
  }
}
