import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load client of bench/daemon-rpc.sh (compiled there with javac, no dependencies):
 * {@code java -cp DIR RpcLoad URL all|one CLIENTS SECONDS WARMUP_SECONDS EXPECTED_TORRENTS}.
 *
 * <p>CLIENTS threads, each with one keep-alive HTTP/1.1 connection of its own, POST torrent-get
 * with the body {@code transmission-remote -l} sends (its fourteen fields, tag 4, to
 * /transmission/rpc/), one request after another: {@code all} asks for every torrent, as -l does;
 * {@code one} adds {@code "ids":[ID]} for the torrent with the lowest id. No Accept-Encoding is
 * sent, so both daemons answer the same plain JSON (transmission-remote accepts gzip, and
 * Transmission then compresses). Each connection first does the 409 session-id handshake,
 * unmeasured; a 409 later is handled the same way and counted as an error. The requests of the
 * warm-up are not counted; of the SECONDS after it, every request that finishes inside them is
 * timed, from its first byte written to the last byte of the answer read. Every answer must be 200
 * with result success; every 50th is checked to list EXPECTED_TORRENTS torrents (1 for one).
 * Prints one line of key=value: requests, seconds, rate, p50_us, p99_us, max_us, errors, bytes
 * (of the last answer).
 */
public final class RpcLoad {

  private static final String FIELDS = "\"fields\":[\"error\",\"errorString\",\"eta\",\"id\",\"isFinished\","
      + "\"leftUntilDone\",\"name\",\"peersGettingFromUs\",\"peersSendingToUs\",\"rateDownload\",\"rateUpload\","
      + "\"sizeWhenDone\",\"status\",\"uploadRatio\"]";
  private static final int MAX_PER_CLIENT = 2_000_000;
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
  private static final Pattern SUCCESS = Pattern.compile("\"result\"\\s*:\\s*\"success\"");

  private static volatile String sessionId = "";

  public static void main(String[] args) throws Exception {
    if (args.length != 6 || !args[1].matches("all|one")) {
      System.err.println("usage: RpcLoad URL all|one CLIENTS SECONDS WARMUP_SECONDS EXPECTED_TORRENTS");
      System.exit(2);
    }
    URI uri = URI.create(args[0]);
    boolean one = args[1].equals("one");
    int clients = Integer.parseInt(args[2]);
    double seconds = Double.parseDouble(args[3]);
    double warmup = Double.parseDouble(args[4]);
    int expected = one ? 1 : Integer.parseInt(args[5]);
    InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
    String path = uri.getPath().endsWith("/") ? uri.getPath() : uri.getPath() + "/";

    String body = "{\"arguments\":{" + FIELDS + "},\"method\":\"torrent-get\",\"tag\":4}";
    if (one) {
      try (Connection c = new Connection(address, path)) {
        String list = c.call("{\"arguments\":{\"fields\":[\"id\"]},\"method\":\"torrent-get\",\"tag\":4}");
        Matcher m = ID.matcher(list);
        long lowest = Long.MAX_VALUE;
        while (m.find()) {
          lowest = Math.min(lowest, Long.parseLong(m.group(1)));
        }
        if (lowest == Long.MAX_VALUE) {
          throw new IllegalStateException("no torrents listed: " + head(list));
        }
        body = "{\"arguments\":{" + FIELDS + ",\"ids\":[" + lowest + "]},\"method\":\"torrent-get\",\"tag\":4}";
      }
    }

    long[][] latencies = new long[clients][];
    int[] counts = new int[clients];
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger lastBytes = new AtomicInteger();
    CountDownLatch ready = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    long[] window = new long[2];
    List<Thread> threads = new ArrayList<>();
    String request = body;
    Throwable[] failure = new Throwable[1];
    for (int k = 0; k < clients; k++) {
      int me = k;
      Thread t = new Thread(() -> {
        long[] mine = new long[MAX_PER_CLIENT];
        latencies[me] = mine;
        try (Connection c = new Connection(address, path)) {
          c.call(request);   // the handshake, unmeasured
          ready.countDown();
          go.await();
          long start = window[0];
          long end = window[1];
          int n = 0;
          for (int i = 0; n < MAX_PER_CLIENT; i++) {
            long t0 = System.nanoTime();
            if (t0 >= end) {
              break;
            }
            int status = c.send(request);
            long t1 = System.nanoTime();
            boolean ok = status == 200 && c.succeeded();
            if (ok && i % 50 == 0) {
              ok = c.count(ID) == expected;
            }
            if (!ok) {
              if (errors.incrementAndGet() == 1) {
                System.err.println("RpcLoad: a bad answer: HTTP " + status + " " + head(c.text()));
              }
            }
            lastBytes.set(c.length);
            if (t0 >= start && t1 <= end) {
              mine[n++] = t1 - t0;
            }
          }
          counts[me] = n;
        } catch (Throwable e) {
          synchronized (failure) {
            failure[0] = e;
          }
          ready.countDown();
        }
      }, "client-" + k);
      threads.add(t);
      t.start();
    }
    ready.await();
    long now = System.nanoTime();
    window[0] = now + (long) (warmup * 1e9);
    window[1] = window[0] + (long) (seconds * 1e9);
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    if (failure[0] != null) {
      System.err.println("RpcLoad: " + failure[0]);
      System.exit(1);
    }
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int k = 0; k < clients; k++) {
      System.arraycopy(latencies[k], 0, all, at, counts[k]);
      at += counts[k];
    }
    Arrays.sort(all);
    System.out.printf(Locale.ROOT, "requests=%d seconds=%.2f rate=%.1f p50_us=%d p99_us=%d max_us=%d errors=%d bytes=%d%n",
        total, seconds, total / seconds, pct(all, 0.50), pct(all, 0.99), total == 0 ? 0 : all[total - 1] / 1000,
        errors.get(), lastBytes.get());
  }

  private static long pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)] / 1000;
  }

  private static String head(String s) {
    return s.substring(0, Math.min(200, s.length())).replace('\n', ' ');
  }

  /** One keep-alive HTTP/1.1 connection: a request written, its answer read (Content-Length or chunked). */
  private static final class Connection implements AutoCloseable {
    private final InetSocketAddress address;
    private final String path;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean closeAfter;
    byte[] body = new byte[1 << 16];
    int length;

    Connection(InetSocketAddress address, String path) {
      this.address = address;
      this.path = path;
    }

    /** A call with the 409 handshake done as often as asked (at most three times); the answer's text. */
    String call(String request) throws IOException {
      for (int i = 0; i < 3; i++) {
        int status = send(request);
        if (status == 200) {
          return text();
        }
        if (status != 409) {
          throw new IOException("HTTP " + status + ": " + head(text()));
        }
      }
      throw new IOException("409 three times");
    }

    /** Writes the request, reads the answer into body; the status (a 409 takes its session id). */
    int send(String json) throws IOException {
      if (socket == null || closeAfter) {
        open();
      }
      byte[] payload = json.getBytes(StandardCharsets.UTF_8);
      String head = "POST " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
          + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length
          + "\r\nX-Transmission-Session-Id: " + sessionId + "\r\n\r\n";
      byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
      byte[] all = Arrays.copyOf(h, h.length + payload.length);
      System.arraycopy(payload, 0, all, h.length, payload.length);
      out.write(all);
      out.flush();
      String statusLine = line();
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP answer: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      long contentLength = -1;
      boolean chunked = false;
      closeAfter = parts[0].equals("HTTP/1.0");
      for (String header = line(); !header.isEmpty(); header = line()) {
        int colon = header.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> contentLength = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "connection" -> closeAfter = value.equalsIgnoreCase("close");
          case "x-transmission-session-id" -> {
            if (status == 409) {
              sessionId = value;
            }
          }
          default -> { }
        }
      }
      length = 0;
      if (chunked) {
        for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
            size = Long.parseLong(line().split(";")[0].trim(), 16)) {
          readBody((int) size);
          line();
        }
        while (!line().isEmpty()) {
          // trailers
        }
      } else if (contentLength >= 0) {
        readBody((int) contentLength);
      } else {
        throw new IOException("an answer without Content-Length nor chunked encoding");
      }
      return status;
    }

    boolean succeeded() {
      // Ours writes result first, Transmission last (its keys are sorted): look at both ends.
      String start = new String(body, 0, Math.min(length, 64), StandardCharsets.ISO_8859_1);
      String end = new String(body, Math.max(0, length - 64), Math.min(length, 64), StandardCharsets.ISO_8859_1);
      return SUCCESS.matcher(start).find() || SUCCESS.matcher(end).find();
    }

    int count(Pattern p) {
      Matcher m = p.matcher(text());
      int c = 0;
      while (m.find()) {
        c++;
      }
      return c;
    }

    String text() {
      return new String(body, 0, length, StandardCharsets.UTF_8);
    }

    private void open() throws IOException {
      close();
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      socket.connect(address, 10_000);
      in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      out = socket.getOutputStream();
      closeAfter = false;
    }

    private void readBody(int size) throws IOException {
      if (length + size > body.length) {
        body = Arrays.copyOf(body, Math.max(body.length * 2, length + size));
      }
      int read = in.readNBytes(body, length, size);
      if (read < size) {
        throw new IOException("the answer ended early");
      }
      length += size;
    }

    private String line() throws IOException {
      StringBuilder s = new StringBuilder();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("the connection closed");
        }
        if (b != '\r') {
          s.append((char) b);
        }
      }
      return s.toString();
    }

    @Override
    public void close() throws IOException {
      if (socket != null) {
        socket.close();
        socket = null;
      }
    }
  }
}
