import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * The load client of bench/daemon-rpc.sh, run as a source file: {@code java bench/RpcLoad.java URL
 * SECONDS WARMUP_SECONDS EXPECTED_TORRENTS}. One keep-alive HTTP/1.1 connection POSTs
 * torrent-get with transmission-remote -l's field list, one request after another, for the
 * warm-up and then for SECONDS (at most 1,000,000 requests), handling the 409 session-id
 * handshake. Every answer must be 200 with "result":"success"; every 100th is checked to list
 * EXPECTED_TORRENTS torrents. Prints one line: requests, rate, p50/p99/max latency in µs (send to
 * last byte), errors, bytes of the last answer.
 */
public final class RpcLoad {

  private static final String BODY = "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"error\",\"errorString\","
      + "\"eta\",\"id\",\"isFinished\",\"leftUntilDone\",\"name\",\"peersGettingFromUs\",\"peersSendingToUs\","
      + "\"rateDownload\",\"rateUpload\",\"sizeWhenDone\",\"status\",\"uploadRatio\"]}}";
  private static final int MAX_REQUESTS = 1_000_000;

  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[0]);
    double seconds = Double.parseDouble(args[1]);
    double warmup = Double.parseDouble(args[2]);
    int expected = Integer.parseInt(args[3]);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    String[] sessionId = {""};
    long[] latencies = new long[MAX_REQUESTS];
    int n = 0;
    int errors = 0;
    int lastBytes = 0;
    long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
    long start = 0;
    long end = Long.MAX_VALUE;
    boolean measuring = false;
    for (int i = 0; n < MAX_REQUESTS; i++) {
      long now = System.nanoTime();
      if (!measuring && now >= warmEnd) {
        measuring = true;
        start = now;
        end = now + (long) (seconds * 1e9);
      }
      if (measuring && now >= end) {
        break;
      }
      long t0 = System.nanoTime();
      HttpResponse<String> response = send(client, uri, sessionId[0]);
      if (response.statusCode() == 409) {
        sessionId[0] = response.headers().firstValue("X-Transmission-Session-Id").orElse("");
        response = send(client, uri, sessionId[0]);
      }
      long t1 = System.nanoTime();
      String body = response.body();
      lastBytes = body.length();
      boolean ok = response.statusCode() == 200 && body.contains("\"result\":\"success\"");
      if (ok && i % 100 == 0) {
        ok = count(body, "\"id\":") == expected;
      }
      if (!ok) {
        errors++;
        if (errors == 1) {
          System.err.println("RpcLoad: a bad answer: HTTP " + response.statusCode() + " "
              + body.substring(0, Math.min(200, body.length())));
        }
      }
      if (measuring) {
        latencies[n++] = t1 - t0;
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    System.out.printf("requests=%d seconds=%.2f rate=%.1f p50_us=%d p99_us=%d max_us=%d errors=%d bytes=%d%n", n,
        elapsed, n / elapsed, pct(sorted, 0.50), pct(sorted, 0.99), n == 0 ? 0 : sorted[n - 1] / 1000, errors,
        lastBytes);
  }

  private static HttpResponse<String> send(HttpClient client, URI uri, String sessionId) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY));
    if (!sessionId.isEmpty()) {
      request.header("X-Transmission-Session-Id", sessionId);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000;
  }

  private static int count(String body, String needle) {
    int c = 0;
    for (int at = body.indexOf(needle); at >= 0; at = body.indexOf(needle, at + 1)) {
      c++;
    }
    return c;
  }
}
