package io.swarmshare.daemon.metrics;

import io.swarmshare.daemon.rpc.RpcAccess;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.session.TorrentSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /metrics} on the daemon's RPC port, under the RPC's access rules (host check, login). */
public final class MetricsRoute extends AllDirectives {

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

  private final ActorRef<Session.Command> session;
  private final Scheduler scheduler;
  private final RpcAccess access;
  private final DaemonMetrics metrics;

  /** {@code maxTrackerLabels}: see {@link DaemonMetrics#maxTrackerLabels}. */
  public MetricsRoute(ActorRef<Session.Command> session, Scheduler scheduler, RpcAccess access, int maxTrackerLabels) {
    this.session = session;
    this.scheduler = scheduler;
    this.access = access;
    this.metrics = new DaemonMetrics(maxTrackerLabels);
  }

  /** Adds a gauge to the scrape: see {@link DaemonMetrics#gauge}. */
  public void gauge(String name, String description, Supplier<Number> value) {
    metrics.gauge(name, description, value);
  }

  public Route route() {
    return path("metrics", () -> get(() -> extractRequest(request -> {
      Optional<HttpResponse> refused = access.check(request);
      if (refused.isPresent()) {
        return complete(refused.get());
      }
      CompletionStage<List<TorrentSnapshot>> torrents =
          AskPattern.ask(session, Session.ListTorrents::new, ASK_TIMEOUT, scheduler);
      CompletionStage<Session.NodeStatus> node =
          AskPattern.ask(session, Session.GetNodeStatus::new, ASK_TIMEOUT, scheduler);
      return onSuccess(torrents.thenCombine(node, metrics::scrape), text -> complete(HttpResponse.create().withEntity(
          HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, text))));
    })));
  }
}
