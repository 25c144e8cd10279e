package io.swarmshare.tracker.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * HTTP/1.1 by hand over a socket bound to a chosen loopback address (127.0.0.x), so that a test can
 * be several clients at once and send whatever headers an attacker would.
 */
final class RawHttp {

  record Response(int status, byte[] body) {}

  private RawHttp() {}

  /**
   * One GET on its own connection, closed after the answer. The server counts a connection as
   * closed only once its side has finished, a moment after the client read the answer; a client that
   * connects again at once may still find its address at the per-address connection limit and be
   * closed without a byte. That is not what these tests ask about, so such a connection is tried again.
   */
  static Response get(String from, InetSocketAddress server, String path, Map<String, String> headers) {
    AtomicReference<byte[]> answer = new AtomicReference<>();
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
        .until(() -> {
          answer.set(once(from, server, path, headers));
          return answer.get().length > 0;
        });
    return parse(answer.get());
  }

  private static byte[] once(String from, InetSocketAddress server, String path, Map<String, String> headers)
      throws IOException {
    try (Socket socket = connect(from, server)) {
      StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: tracker\r\nConnection: close\r\n");
      headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      return readAll(socket.getInputStream());
    } catch (SocketException reset) {
      return new byte[0];
    }
  }

  static Socket connect(String from, InetSocketAddress server) throws IOException {
    Socket socket = new Socket();
    socket.setSoTimeout(10_000);
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(server, 10_000);
    return socket;
  }

  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  /** Status and body of a response with a Content-Length (Pekko HTTP's strict entities). */
  static Response parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IllegalStateException("no complete response: " + text);
    }
    int status = Integer.parseInt(text.substring(9, 12));
    return new Response(status, Arrays.copyOfRange(raw, end + 4, raw.length));
  }
}
