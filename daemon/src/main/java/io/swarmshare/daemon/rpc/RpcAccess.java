package io.swarmshare.daemon.rpc;

import io.swarmshare.daemon.DaemonSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Who may call the RPC, as Transmission decides it. A request must name in its Host header an IP
 * address, localhost, the RPC's own host or a whitelisted name, so that a web page cannot reach
 * the daemon through a name it controls (DNS rebinding); and, when a username is configured
 * (required off loopback), it must carry it and the password (HTTP basic).
 */
public final class RpcAccess {

  private final Set<String> hosts;
  private final Optional<byte[]> credentials;

  public RpcAccess(DaemonSettings settings) {
    this.hosts = Stream.concat(Stream.of("localhost", settings.rpcHost()), settings.rpcHostWhitelist().stream())
        .map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    this.credentials = settings.rpcUsername().isEmpty() ? Optional.empty()
        : Optional.of((settings.rpcUsername() + ":" + settings.rpcPassword()).getBytes(StandardCharsets.UTF_8));
  }

  /** The refusal for {@code request}, or empty if it may go on. */
  public Optional<HttpResponse> check(HttpRequest request) {
    String host = request.getHeader("Host").map(HttpHeader::value).orElse("");
    if (!allowedHost(host)) {
      return Optional.of(HttpResponse.create().withStatus(StatusCodes.MISDIRECTED_REQUEST)
          .withEntity("<h1>421: Misdirected Request</h1><p>Unknown host '" + host.replaceAll("[^\\w.:\\[\\]-]", "?")
              + "': add it to swarmshare.daemon.rpc-host-whitelist</p>"));
    }
    if (credentials.isPresent() && !authorized(request)) {
      return Optional.of(HttpResponse.create().withStatus(StatusCodes.UNAUTHORIZED)
          .addHeader(RawHeader.create("WWW-Authenticate", "Basic realm=\"Transmission\""))
          .withEntity("<h1>401: Unauthorized</h1>"));
    }
    return Optional.empty();
  }

  private boolean allowedHost(String header) {
    String host = header.toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      return host.indexOf(']') > 0; // an IPv6 literal
    }
    int colon = host.lastIndexOf(':');
    if (colon >= 0) {
      host = host.substring(0, colon);
    }
    return host.isEmpty() || hosts.contains(host) || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  private boolean authorized(HttpRequest request) {
    Optional<String> header = request.getHeader("Authorization").map(HttpHeader::value);
    if (header.isEmpty() || !header.get().regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(header.get().substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, credentials.get());
  }
}
