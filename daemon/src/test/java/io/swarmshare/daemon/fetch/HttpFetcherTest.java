package io.swarmshare.daemon.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bounded GETs against a real local HTTP server (the JDK's) on an ephemeral port. */
class HttpFetcherTest {

  static final int MAX = 1000;
  static final CountDownLatch endlessClosed = new CountDownLatch(1);
  static final CountDownLatch testsOver = new CountDownLatch(1);
  static HttpServer server;
  static String base;
  final HttpFetcher fetcher = new HttpFetcher(Duration.ofSeconds(15), 2);

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/small", exchange -> send(exchange, 200, new byte[MAX], true));
    server.createContext("/announced-too-big", exchange -> send(exchange, 200, new byte[MAX + 1], true));
    // Chunked: no length is announced, so the bound is met while the body streams in.
    server.createContext("/streamed-too-big", exchange -> send(exchange, 200, new byte[100 * MAX], false));
    server.createContext("/missing", exchange -> send(exchange, 404, "no such file".getBytes(), true));
    server.createContext("/moved", exchange -> redirect(exchange, "/small"));
    server.createContext("/loop", exchange -> redirect(exchange, "/loop"));
    server.createContext("/elsewhere", exchange -> redirect(exchange, "file:///etc/passwd"));
    // An error page that never ends: the fetcher must close it, not read it.
    server.createContext("/endless-404", exchange -> {
      exchange.sendResponseHeaders(404, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < 16_384; i++) {
          out.write(new byte[65_536]);
        }
      } catch (IOException closedByTheFetcher) {
        endlessClosed.countDown();
      }
    });
    // A body that starts and then stalls, until the test is over.
    server.createContext("/stalled", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write(1);
      out.flush();
      try {
        testsOver.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    testsOver.countDown();
    server.stop(0);
  }

  static void send(HttpExchange exchange, int status, byte[] body, boolean withLength) throws IOException {
    exchange.sendResponseHeaders(status, withLength ? body.length : 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    } catch (IOException clientWentAway) {
      // the fetcher stops reading a body past its bound
    }
  }

  static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().add("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  byte[] get(String url) throws Exception {
    return fetcher.get(url, MAX).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  String failure(String url) {
    try {
      fetcher.get(url, MAX).toCompletableFuture().join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(HttpFetcher.Failure.class);
      return HttpFetcher.reason(e);
    }
    throw new AssertionError(url + " was fetched");
  }

  @Test
  void aBodyWithinTheBoundIsFetchedAndRedirectsAreFollowed() throws Exception {
    assertThat(get(base + "/small")).hasSize(MAX);
    assertThat(get(base + "/moved")).hasSize(MAX);
  }

  @Test
  void aBodyPastTheBoundIsRefusedWhetherAnnouncedOrStreamed() {
    assertThat(failure(base + "/announced-too-big")).isEqualTo(base + "/announced-too-big sent more than "
        + MAX + " bytes; not reading more");
    assertThat(failure(base + "/streamed-too-big")).isEqualTo(base + "/streamed-too-big sent more than "
        + MAX + " bytes; not reading more");
  }

  @Test
  void anAnswerOtherThan200AndEndlessOrForeignRedirectsAreRefused() {
    assertThat(failure(base + "/missing")).isEqualTo(base + "/missing answered HTTP 404");
    assertThat(failure(base + "/loop")).isEqualTo(base + "/loop redirects more than 2 times");
    assertThat(failure(base + "/elsewhere")).isEqualTo(base
        + "/elsewhere leads to file:///etc/passwd: only http and https URLs are fetched");
    assertThat(failure("ftp://127.0.0.1/x")).isEqualTo("ftp://127.0.0.1/x: only http and https URLs are fetched");
  }

  @Test
  void anErrorsBodyIsNotReadAndAStalledBodyEndsWithTheTimeout() throws Exception {
    assertThat(failure(base + "/endless-404")).isEqualTo(base + "/endless-404 answered HTTP 404");
    assertThat(endlessClosed.await(30, TimeUnit.SECONDS)).as("the connection closed by the fetcher").isTrue();
    HttpFetcher impatient = new HttpFetcher(Duration.ofSeconds(1), 2);
    assertThatThrownBy(() -> impatient.get(base + "/stalled", MAX).toCompletableFuture().join())
        .hasCauseInstanceOf(HttpFetcher.Failure.class)
        .hasMessageEndingWith(base + "/stalled did not answer within 1 s");
  }

  @Test
  void anUnreachableServerIsSaidSo() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    assertThat(failure("http://127.0.0.1:" + closed + "/x.torrent"))
        .startsWith("cannot reach http://127.0.0.1:" + closed + "/x.torrent");
  }

  @Test
  void notAUrlIsSaidSo() {
    assertThatThrownBy(() -> fetcher.get("http://bad host/", MAX).toCompletableFuture().join())
        .hasCauseInstanceOf(HttpFetcher.Failure.class).hasMessageContaining("is not a URL");
  }
}
