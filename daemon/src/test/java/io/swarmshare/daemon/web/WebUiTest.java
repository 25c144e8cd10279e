package io.swarmshare.daemon.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.daemon.DaemonSettings;
import io.swarmshare.daemon.LoopbackSession;
import io.swarmshare.daemon.fetch.HttpFetcher;
import io.swarmshare.daemon.rpc.BrowserLogins;
import io.swarmshare.daemon.rpc.RpcAccess;
import io.swarmshare.daemon.rpc.SessionInfo;
import io.swarmshare.daemon.rpc.SpeedLimits;
import io.swarmshare.daemon.rpc.TorrentFields;
import io.swarmshare.daemon.rpc.TransmissionRpc;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.peer.Session;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The web UI's routes over a real socket: the page, the event stream, and the login with its CSRF token. */
class WebUiTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration GUARD = Duration.ofSeconds(30);
  static final HttpClient client = HttpClient.newHttpClient();
  @RegisterExtension static final LoopbackSession node = new LoopbackSession();
  @TempDir static Path root;

  /** The RPC and the web UI on one server with these daemon settings; its base URI. */
  static URI serve(String settings) throws Exception {
    return serve(settings, node.session()).base();
  }

  record Served(URI base, WebUi ui) {}

  /** The RPC and the web UI of {@code session} on one server with these daemon settings. */
  static Served serve(String settings, ActorRef<Session.Command> session) throws Exception {
    Path downloads = Files.createDirectories(root.resolve("downloads"));
    Config config = ConfigFactory.parseString(settings + "\nswarmshare.daemon { rpc-port = 0, download-dir = \""
        + downloads + "\", data-dir = \"" + root.resolve("data") + "\", web.update-interval = 200ms }")
        .withFallback(ConfigFactory.load());
    DaemonSettings daemon = DaemonSettings.from(config);
    WebSettings web = WebSettings.from(config);
    SessionInfo info = new SessionInfo("4.0.0 (swarmshare test)", daemon.dataDir(), daemon.downloadDir(),
        node.peers(), 500, 50, SpeedLimits.initial(0, 0, daemon.altSpeedDown(), daemon.altSpeedUp()), Instant.now());
    RpcAccess access = new RpcAccess(daemon, new BrowserLogins(web.loginLifetime(), web.maxLogins(),
        Clock.systemUTC()));
    TransmissionRpc rpc = new TransmissionRpc(session, node.kit().system().scheduler(), daemon, info, access);
    WebUi ui = new WebUi(session, node.kit().system().scheduler(), access, new TorrentFields(50), web,
        new HttpFetcher(Duration.ofSeconds(15), 5));
    ServerBinding binding = Http.get(node.kit().system()).newServerAt("127.0.0.1", 0).bind(rpc.concat(rpc.routes(),
        ui.routes())).toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new Served(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/"), ui);
  }

  static HttpResponse<String> get(URI uri, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(GUARD).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(URI uri, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(GUARD)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A call of the RPC with these headers besides the session id (asked for first, with the same headers). */
  static HttpResponse<String> rpc(URI base, String body, String... headers) throws Exception {
    URI uri = base.resolve("/transmission/rpc");
    HttpResponse<String> first = post(uri, body, headers);
    if (first.statusCode() != 409) {
      return first;
    }
    List<String> withId = new ArrayList<>(List.of(headers));
    withId.add(TransmissionRpc.SESSION_ID_HEADER);
    withId.add(first.headers().firstValue(TransmissionRpc.SESSION_ID_HEADER).orElseThrow());
    return post(uri, body, withId.toArray(String[]::new));
  }

  /** A page's event stream: each message's data, parsed, as it comes. */
  static final class Events implements AutoCloseable {
    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final Stream<String> lines;
    final Thread reader;

    Events(URI base, String... headers) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/web/events")).GET();
      for (int i = 0; i < headers.length; i += 2) {
        request.header(headers[i], headers[i + 1]);
      }
      HttpResponse<Stream<String>> response = client.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          t -> assertThat(t).startsWith("text/event-stream"));
      lines = response.body();
      reader = new Thread(() -> {
        try {
          lines.forEach(line -> {
            if (line.startsWith("data:")) {
              try {
                messages.add(JSON.readTree(line.substring(5)));
              } catch (java.io.IOException e) {
                throw new AssertionError("an event that is not JSON: " + line, e);
              }
            }
          });
        } catch (RuntimeException closed) {
          // the test closed the stream
        }
      }, "events");
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits for the first message that satisfies {@code test}, skipping the others. */
    JsonNode await(Predicate<JsonNode> test) throws InterruptedException {
      long end = System.nanoTime() + GUARD.toNanos();
      while (System.nanoTime() < end) {
        JsonNode message = messages.poll(1, TimeUnit.SECONDS);
        if (message != null && test.test(message)) {
          return message;
        }
      }
      throw new AssertionError("no such event within " + GUARD);
    }

    @Override
    public void close() {
      lines.close();
    }
  }

  static boolean has(JsonNode update, String name, Predicate<JsonNode> torrent) {
    return torrent(update, name) != null && torrent.test(torrent(update, name));
  }

  /** The torrent named {@code name} in a message, or null. */
  static JsonNode torrent(JsonNode update, String name) {
    for (JsonNode t : update.path("torrents")) {
      if (t.path("name").asText().equals(name)) {
        return t;
      }
    }
    return null;
  }

  @Test
  void thePageAndItsFilesAreServedToAKnownHostOnly() throws Exception {
    URI base = serve("");
    HttpResponse<String> page = get(base);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body()).contains("<title>swarmshare</title>").contains("/web/app.js");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        csp -> assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    HttpResponse<String> script = get(base.resolve("/web/app.js"));
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).contains("javascript"));
    assertThat(get(base.resolve("/web/app.css")).body()).contains("@media");
    // The files the page shares with the tracker's, from web-common, under the same rules.
    assertThat(page.body()).contains("/web/common/common.js", "/web/common/common.css");
    HttpResponse<String> common = get(base.resolve("/web/common/common.js"));
    assertThat(common.body()).contains("window.swarmshareWeb");
    assertThat(common.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(get(base.resolve("/web/common/common.css")).body()).contains(":root");
    assertThat(get(base.resolve("/web/common/nothing.js")).statusCode()).isEqualTo(404);
    assertThat(get(base.resolve("/web/nothing.js")).statusCode()).isEqualTo(404);
    assertThat(get(base.resolve("/web/session")).body()).contains("\"login\":\"open\"");

    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", base.getPort())) {
      socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: evil.example:" + base.getPort()
          + "\r\nConnection: close\r\n\r\n").getBytes());
      assertThat(new String(socket.getInputStream().readAllBytes())).startsWith("HTTP/1.1 421");
    }
  }

  @Test
  void theEventStreamSendsEveryTorrentThenWhatChanged() throws Exception {
    URI base = serve("");
    try (Events events = new Events(base)) {
      JsonNode first = events.await(m -> true);
      assertThat(first.path("reset").asBoolean()).as("the first message is the whole list").isTrue();

      Path data = Files.write(root.resolve("downloads/live.bin"), new byte[300_000]);
      Metainfo metainfo = TorrentCreator.of(data).create();
      JsonNode added = JSON.readTree(rpc(base, "{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\""
          + Base64.getEncoder().encodeToString(metainfo.encode()) + "\"}}").body());
      int id = added.path("arguments").path("torrent-added").path("id").asInt();

      JsonNode seeding = events.await(m -> has(m, "live.bin", t -> t.path("status").asInt() == 6));
      JsonNode torrent = torrent(seeding, "live.bin");
      assertThat(seeding.path("reset").asBoolean()).isFalse();
      assertThat(torrent.path("hashString").asText()).isEqualTo(metainfo.infoHash().hex());
      assertThat(torrent.path("percentDone").asDouble()).isEqualTo(1.0);
      assertThat(torrent.path("totalSize").asLong()).isEqualTo(300_000);
      assertThat(torrent.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(Updates.FIELDS);

      // A second page opened now gets the torrent in its first message.
      try (Events second = new Events(base)) {
        assertThat(has(second.await(m -> true), "live.bin", t -> true)).isTrue();
      }

      rpc(base, "{\"method\":\"torrent-remove\",\"arguments\":{\"ids\":[" + id + "]}}");
      JsonNode removed = events.await(m -> m.path("removed").toString().equals("[" + id + "]"));
      assertThat(has(removed, "live.bin", t -> true)).as("a removed torrent is not also changed").isFalse();
    }
  }

  @Test
  void aPageThatGoesStopsItsSubscriberSoTheSessionForgetsIt() throws Exception {
    TestProbe<Session.Command> fakeSession = node.kit().createTestProbe();
    // The server notices a closed connection only when it writes: keep-alive comments often, to see it soon.
    Served served = serve("swarmshare.daemon.web.keep-alive = 100ms", fakeSession.getRef());
    // A socket of its own, so that closing it closes the connection as a browser leaving the page does.
    try (java.net.Socket page = new java.net.Socket("127.0.0.1", served.base().getPort())) {
      page.getOutputStream().write(("GET /web/events HTTP/1.1\r\nHost: 127.0.0.1:" + served.base().getPort()
          + "\r\nAccept: text/event-stream\r\n\r\n").getBytes());
      Session.Subscribe subscribe = fakeSession.expectMessageClass(Session.Subscribe.class, GUARD);
      assertThat(subscribe.which().all()).isTrue();
      fakeSession.expectMessageClass(Session.ListTorrents.class, GUARD).replyTo().tell(List.of());
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(page.getInputStream()));
      String line;
      do {
        line = in.readLine();
      } while (line != null && !line.startsWith("data:"));
      assertThat(line).as("the first message").contains("\"reset\":true");
      assertThat(served.ui().openStreams()).isEqualTo(1);

      page.close();
      // The session watches its subscribers: the stream's actor stopping is what takes it off the list.
      fakeSession.expectTerminated(subscribe.subscriber(), GUARD);
      Awaitility.await().atMost(GUARD).until(() -> served.ui().openStreams() == 0);
    }
  }

  @Test
  void aLoginGivesACookieAndEveryChangeNeedsItsCsrfToken() throws Exception {
    URI base = serve("swarmshare.daemon { rpc-username = \"ann\", rpc-password = \"s3cret\" }");
    assertThat(get(base.resolve("/web/session")).body()).contains("\"login\":\"required\"");
    assertThat(get(base).statusCode()).as("the page shows its login form").isEqualTo(200);
    HttpResponse<String> refused = get(base.resolve("/web/events"));
    assertThat(refused.statusCode()).isEqualTo(401);
    URI login = base.resolve("/web/login");
    assertThat(post(login, "{\"username\":\"ann\",\"password\":\"guess\"}").statusCode()).isEqualTo(401);
    assertThat(post(login, "{\"username\":\"ann\",\"password\":\"s3cret\"}", "Origin", "http://evil.example")
        .statusCode()).as("another site's page cannot log the browser in").isEqualTo(403);
    assertThat(post(login, "{\"username\":\"ann\",\"password\":\"s3cret\"}", "Sec-Fetch-Site", "cross-site")
        .statusCode()).as("nor one that its browser marks as another site's").isEqualTo(403);
    assertThat(post(login, "[]").statusCode()).isEqualTo(400);

    HttpResponse<String> in = post(login, "{\"username\":\"ann\",\"password\":\"s3cret\"}",
        "Origin", "http://127.0.0.1:" + base.getPort());
    assertThat(in.statusCode()).isEqualTo(200);
    String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).startsWith(BrowserLogins.COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict")
        .contains("Path=/");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String csrf = JSON.readTree(in.body()).path("csrf").asText();
    assertThat(csrf).hasSize(48);
    assertThat(JSON.readTree(get(base.resolve("/web/session"), "Cookie", cookie).body()).path("csrf").asText())
        .as("a reloaded page gets its token again").isEqualTo(csrf);

    String stop = "{\"method\":\"torrent-stop\",\"arguments\":{\"ids\":[]}}";
    HttpResponse<String> noToken = rpc(base, stop, "Cookie", cookie);
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).contains("X-CSRF-Token");
    assertThat(rpc(base, stop, "Cookie", cookie, RpcAccess.CSRF_HEADER, "0".repeat(48)).statusCode())
        .isEqualTo(403);
    HttpResponse<String> withToken = rpc(base, stop, "Cookie", cookie, RpcAccess.CSRF_HEADER, csrf);
    assertThat(withToken.statusCode()).isEqualTo(200);
    assertThat(withToken.body()).contains("\"result\":\"success\"");
    try (Events events = new Events(base, "Cookie", cookie)) {
      assertThat(events.await(m -> true).path("reset").asBoolean()).isTrue();
    }
    assertThat(post(base.resolve("/web/logout"), "", "Cookie", cookie).statusCode()).isEqualTo(403);

    assertThat(post(base.resolve("/web/logout"), "", "Cookie", cookie, RpcAccess.CSRF_HEADER, csrf).statusCode())
        .isEqualTo(200);
    HttpResponse<String> after = rpc(base, stop, "Cookie", cookie, RpcAccess.CSRF_HEADER, csrf);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.headers().firstValue("WWW-Authenticate")).as("the page shows its own login form").isEmpty();
    assertThat(get(base.resolve("/web/events")).headers().firstValue("WWW-Authenticate")).isPresent();
  }

  @Test
  void aCatalogueSearchAsksTheTrackerAndAnswersEachEntryWithItsTorrentUrl() throws Exception {
    HttpServer tracker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    tracker.createContext("/catalogue", exchange -> {
      asked.add(exchange.getRequestURI().getRawQuery());
      byte[] page = ("{\"total\":2,\"offset\":0,\"limit\":50,\"entries\":["
          + "{\"name\":\"holiday.mp4\",\"infoHash\":\"" + "ab".repeat(20) + "\",\"size\":3000000,\"files\":1,"
          + "\"seeders\":1,\"leechers\":0,\"completed\":0,\"publisher\":\"\"},"
          + "{\"name\":\"forged\",\"infoHash\":\"../../etc\"}]}").getBytes();
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    tracker.start();
    try {
      String announce = "udp://127.0.0.1:" + tracker.getAddress().getPort() + "/announce";
      URI base = serve("swarmshare.daemon.web.catalogue-trackers = [\"" + announce + "\"]");
      URI catalogue = base.resolve("/web/catalogue");
      assertThat(JSON.readTree(get(catalogue).body()).path("trackers").toString()).isEqualTo("[\"" + announce + "\"]");

      String origin = "http://127.0.0.1:" + base.getPort();
      HttpResponse<String> found = post(catalogue, "{\"tracker\":\"" + announce + "\",\"name\":\"holi day\"}",
          "Origin", origin);
      assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
      assertThat(asked).containsExactly("limit=50&name=holi%20day");
      JsonNode answer = JSON.readTree(found.body());
      assertThat(answer.path("total").asInt()).isEqualTo(2);
      assertThat(answer.path("entries")).as("an entry without a well-formed info hash is dropped").hasSize(1);
      JsonNode entry = answer.path("entries").get(0);
      assertThat(entry.path("name").asText()).isEqualTo("holiday.mp4");
      assertThat(entry.path("torrentUrl").asText()).isEqualTo("http://127.0.0.1:" + tracker.getAddress().getPort()
          + "/torrents/" + "ab".repeat(20) + ".torrent");

      assertThat(post(catalogue, "{\"tracker\":\"" + announce + "\",\"name\":\"x\"}", "Origin",
          "http://evil.example").statusCode()).as("another site's page cannot make the daemon search").isEqualTo(403);
      assertThat(post(catalogue, "{\"name\":\"x\"}", "Origin", origin).statusCode()).isEqualTo(400);
      HttpResponse<String> notATracker = post(catalogue, "{\"tracker\":\"ftp://x\",\"name\":\"x\"}");
      assertThat(notATracker.statusCode()).isEqualTo(502);
      assertThat(JSON.readTree(notATracker.body()).path("error").asText()).startsWith("bad tracker URL 'ftp://x'");
      int closed;
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
        closed = socket.getLocalPort();
      }
      HttpResponse<String> unreachable = post(catalogue, "{\"tracker\":\"http://127.0.0.1:" + closed
          + "/announce\",\"name\":\"x\"}");
      assertThat(unreachable.statusCode()).isEqualTo(502);
      assertThat(JSON.readTree(unreachable.body()).path("error").asText())
          .startsWith("cannot reach http://127.0.0.1:" + closed + "/catalogue?limit=50&name=x");
    } finally {
      tracker.stop(0);
    }
  }

  @Test
  void withALoginACatalogueSearchNeedsItAndItsCsrfToken() throws Exception {
    URI base = serve("swarmshare.daemon { rpc-username = \"ann\", rpc-password = \"s3cret\" }");
    URI catalogue = base.resolve("/web/catalogue");
    assertThat(get(catalogue).statusCode()).isEqualTo(401);
    HttpResponse<String> in = post(base.resolve("/web/login"), "{\"username\":\"ann\",\"password\":\"s3cret\"}");
    String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String csrf = JSON.readTree(in.body()).path("csrf").asText();
    String search = "{\"tracker\":\"ftp://x\",\"name\":\"x\"}";
    assertThat(post(catalogue, search, "Cookie", cookie).statusCode()).isEqualTo(403);
    assertThat(post(catalogue, search, "Cookie", cookie, RpcAccess.CSRF_HEADER, csrf).statusCode())
        .as("past the checks, to the tracker URL's own refusal").isEqualTo(502);
  }

  @Test
  void withoutAUsernameThereIsNoLogin() throws Exception {
    URI base = serve("");
    assertThat(post(base.resolve("/web/login"), "{\"username\":\"\",\"password\":\"\"}").statusCode())
        .isEqualTo(400);
  }
}
