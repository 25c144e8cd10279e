package io.swarmshare.tracker.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.tracker.http.HttpTrackerCodec;
import io.swarmshare.tracker.TrackerSettings;
import io.swarmshare.tracker.TrackerStats;
import io.swarmshare.tracker.limits.AddressKey;
import io.swarmshare.tracker.limits.ConnectionCounts;
import io.swarmshare.tracker.limits.Limit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.IncomingConnection;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The HTTP listening socket and what each connection may cost: at most {@code http.max-connections}
 * open at once (the rest wait in the kernel's backlog), at most {@code per-address.http-connections}
 * from one address (one more is closed at once), headers within {@code http.header-timeout}, an
 * answer within {@code http.request-timeout}, silence for at most {@code http.idle-timeout}, and a
 * URI as long as the tracker codec accepts (a scrape may name 256 info hashes), where Pekko HTTP's
 * default would refuse past 2 KiB.
 */
public final class HttpListener {

  /** "/scrape?" and the like, in front of the longest query the codec takes. */
  private static final int PATH_ROOM = 64;

  private HttpListener() {}

  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, TrackerSettings settings, TrackerRoutes routes,
      TrackerStats stats) {
    Materializer materializer = Materializer.matFromSystem(system);
    ServerSettings serverSettings = ServerSettings.create(serverConfig(settings, system.settings().config()))
        .withRemoteAddressAttribute(true);
    ConnectionCounts perAddress = new ConnectionCounts(settings.perAddress().httpConnections());
    Flow<HttpRequest, HttpResponse, NotUsed> handler = BidiFlow.fromGraph(new RequestDeadline(
            settings.http().headerTimeout(), () -> stats.limited(Limit.HTTP_HEADER_TIMEOUT)))
        .join(routes.routes().flow(system));
    Source<IncomingConnection, CompletionStage<ServerBinding>> connections =
        Http.get(system).newServerAt(settings.host(), settings.port()).withSettings(serverSettings).connectionSource();
    return connections
        .mapAsyncUnordered(settings.http().maxConnections(), c -> serve(c, handler, perAddress, stats, materializer))
        .to(Sink.ignore())
        .run(materializer);
  }

  /** Completes when the connection has closed, which frees its place under max-connections. */
  private static CompletionStage<Done> serve(IncomingConnection connection, Flow<HttpRequest, HttpResponse, NotUsed> handler,
      ConnectionCounts perAddress, TrackerStats stats, Materializer materializer) {
    long address = AddressKey.of(connection.remoteAddress().getAddress());
    if (!perAddress.tryOpen(address)) {
      stats.limited(Limit.HTTP_CONNECTIONS_PER_ADDRESS);
      connection.handleWith(Flow.fromSinkAndSource(Sink.cancelled(), Source.empty()), materializer);
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    CompletionStage<Done> closed = connection.handleWith(
        handler.watchTermination((notUsed, done) -> done), materializer);
    return closed.handle((done, failure) -> {
      perAddress.close(address);
      return Done.getInstance();
    });
  }

  /** Pekko HTTP's server settings with the tracker's timeouts and the codec's URI length. */
  static Config serverConfig(TrackerSettings settings, Config systemConfig) {
    return ConfigFactory.parseMap(Map.of(
            "pekko.http.server.idle-timeout", settings.http().idleTimeout().toMillis() + " ms",
            "pekko.http.server.request-timeout", settings.http().requestTimeout().toMillis() + " ms",
            "pekko.http.server.max-connections", settings.http().maxConnections(),
            "pekko.http.server.parsing.max-uri-length", HttpTrackerCodec.MAX_QUERY_LENGTH + PATH_ROOM))
        .withFallback(systemConfig);
  }
}
