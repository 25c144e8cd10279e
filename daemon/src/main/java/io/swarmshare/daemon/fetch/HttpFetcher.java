package io.swarmshare.daemon.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * GETs of http and https URLs for the daemon (a .torrent named by URL, a tracker's catalogue), with
 * the bounds an untrusted server must not get past: at most {@code max-redirects} redirects, all
 * within {@code timeout}, and a body of at most the size each caller names, refused as soon as it
 * says or shows it is larger (its bytes past the bound are never read). Every failure is a
 * {@link Failure} whose message is one line naming the URL. Asynchronous (the JDK's client), so
 * no caller's thread waits for a server.
 */
public final class HttpFetcher {

  /** Why a fetch failed, in one line. */
  public static final class Failure extends RuntimeException {
    public Failure(String message) {
      super(message, null, false, false);
    }
  }

  private final HttpClient client;
  private final Duration timeout;
  private final int maxRedirects;

  public HttpFetcher(Duration timeout, int maxRedirects) {
    // Redirects are followed here, not by the client, so that there is a bound of our own and
    // each hop is checked to be http or https.
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.timeout = timeout;
    this.maxRedirects = maxRedirects;
  }

  /** Whether {@code text} is a URL this fetcher takes: http or https. */
  public static boolean isHttpUrl(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  /** The one line that says why a {@link #get} failed, from what its stage failed with. */
  public static String reason(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return t.getMessage();
  }

  /** The body of a 200 answer to GET {@code url}, at most {@code maxBytes}; else a {@link Failure}. */
  public CompletionStage<byte[]> get(String url, long maxBytes) {
    URI uri;
    try {
      uri = checked(URI.create(url), url);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new Failure(url + " is not a URL: " + e.getMessage()));
    } catch (Failure e) {
      return CompletableFuture.failedFuture(e);
    }
    // The exchange under way, so that a fetch past its time stops reading (the JDK aborts a
    // cancelled one) rather than trickling on in the background.
    AtomicReference<CompletableFuture<?>> exchange = new AtomicReference<>();
    return follow(uri, url, maxBytes, 0, exchange)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(failure -> {
          exchange.get().cancel(true);
          throw explained(failure, url, maxBytes);
        });
  }

  private CompletableFuture<byte[]> follow(URI uri, String original, long maxBytes, int redirects,
      AtomicReference<CompletableFuture<?>> exchange) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    CompletableFuture<HttpResponse<byte[]>> sent = client.sendAsync(request, info -> body(info, maxBytes));
    exchange.set(sent);
    return sent.thenCompose(response -> {
      int status = response.statusCode();
      if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
        if (redirects >= maxRedirects) {
          throw new Failure(original + " redirects more than " + maxRedirects + " times");
        }
        String location = response.headers().firstValue("Location").get();
        URI next;
        try {
          next = checked(uri.resolve(location), original);
        } catch (IllegalArgumentException e) {
          throw new Failure(original + " redirects to " + location + ", not a URL");
        }
        return follow(next, original, maxBytes, redirects + 1, exchange);
      }
      if (status != 200) {
        throw new Failure(original + " answered HTTP " + status);
      }
      return CompletableFuture.completedFuture(response.body());
    });
  }

  private static URI checked(URI uri, String original) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Failure(original + (uri.toString().equals(original) ? "" : " leads to " + uri)
          + ": only http and https URLs are fetched");
    }
    if (uri.getHost() == null) {
      throw new Failure(original + " names no host");
    }
    return uri;
  }

  /** A 200's body, bounded; any other answer's body is dropped unread, its connection closed. */
  private static HttpResponse.BodySubscriber<byte[]> body(HttpResponse.ResponseInfo info, long maxBytes) {
    if (info.statusCode() != 200) {
      return new Unread(CompletableFuture.completedFuture(null));
    }
    OptionalLong length = info.headers().firstValueAsLong("Content-Length");
    if (length.isPresent() && length.getAsLong() > maxBytes) {
      return new Unread(CompletableFuture.failedFuture(new TooLargeBody()));
    }
    return new Bounded(maxBytes);
  }

  private static final class TooLargeBody extends IOException {
    TooLargeBody() {
      super("too large", null);
    }
  }

  /**
   * A body not read at all (a redirect's, an error's, or one announced as larger than the bound):
   * cancelled at once, so that a server cannot keep the connection busy with it.
   */
  private static final class Unread implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result;

    Unread(CompletableFuture<byte[]> result) {
      this.result = result;
    }

    @Override public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override public void onSubscribe(Flow.Subscription subscription) {
      subscription.cancel();
    }

    @Override public void onNext(List<ByteBuffer> item) {}

    @Override public void onError(Throwable throwable) {}

    @Override public void onComplete() {}
  }

  /** Collects a body up to the bound, and cancels it (closing the connection) once it is past. */
  private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final long maxBytes;
    private Flow.Subscription subscription;

    Bounded(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        if (bytes.size() + (long) buffer.remaining() > maxBytes) {
          subscription.cancel();
          result.completeExceptionally(new TooLargeBody());
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.writeBytes(chunk);
      }
      subscription.request(1);
    }

    @Override public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }

  private Failure explained(Throwable failure, String url, long maxBytes) {
    Throwable root = failure;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof Failure f) {
        return f;
      }
      if (t instanceof TooLargeBody) {
        return new Failure(url + " sent more than " + maxBytes + " bytes; not reading more");
      }
      if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException
          || t instanceof UnresolvedAddressException) {
        return new Failure("cannot reach " + url + ": " + (t instanceof UnresolvedAddressException ? "unknown host"
            : message(t)));
      }
      if (t instanceof TimeoutException || t instanceof HttpTimeoutException) {
        return new Failure(url + " did not answer within " + timeout.toSeconds() + " s");
      }
      root = t;
    }
    return new Failure("cannot fetch " + url + ": " + message(root));
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
  }
}
