package io.swarmshare.tracker;

import io.swarmshare.tracker.http.HttpListener;
import io.swarmshare.tracker.http.TrackerRoutes;
import io.swarmshare.tracker.udp.UdpEndpoint;
import io.swarmshare.tracker.web.TrafficHistory;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.stream.Materializer;

/**
 * A whole tracker: the Tracker actor, its HTTP routes (with the page at {@code /}) and its UDP
 * endpoint on one port number; a timer samples its counters into the page's traffic graph.
 * HTTP requests carry their client's address, which an announce registers.
 * HTTP binds first (a TCP port is the likelier to be taken), then UDP on the port it got. The
 * Tracker and the endpoint are restarted with back-off when they fail; a restarted Tracker starts
 * with no peers (announces refill it) and the catalogue it reads back from disk.
 */
public final class TrackerServer extends AbstractBehavior<TrackerServer.Command> {

  public sealed interface Command permits HttpBound, HttpFailed, UdpStatus, StartTimeout, SampleTraffic {}

  private record HttpBound(ServerBinding binding) implements Command {}

  private record HttpFailed(Throwable cause) implements Command {}

  private record UdpStatus(UdpEndpoint.Status status) implements Command {}

  private enum StartTimeout implements Command {
    INSTANCE
  }

  /** Time to read the counters into the page's traffic graph. */
  private enum SampleTraffic implements Command {
    INSTANCE
  }

  /** Whether the tracker came up, told once to whoever started it. */
  public sealed interface Status permits Started, Failed {}

  public record Started(InetSocketAddress udp, InetSocketAddress http) implements Status {}

  public record Failed(String reason) implements Status {}

  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  /** Where the Tracker and the UDP endpoint run: one thread shared with the socket. */
  public static final String DISPATCHER = "swarmshare.tracker.dispatcher";

  private static final DispatcherSelector UDP_PATH = DispatcherSelector.fromConfig(DISPATCHER);

  public static Behavior<Command> create(TrackerSettings settings, ActorRef<Status> status) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startSingleTimer(StartTimeout.INSTANCE, START_TIMEOUT);
      timers.startTimerAtFixedRate(SampleTraffic.INSTANCE, settings.web().sampleInterval());
      return new TrackerServer(ctx, settings, status);
    }));
  }

  private final TrackerSettings settings;
  private final ActorRef<Status> status;
  private final TrackerStats stats = new TrackerStats();
  private final TrafficHistory history;
  private final ActorRef<Tracker.Command> tracker;
  private ServerBinding binding;
  private boolean started;

  private TrackerServer(ActorContext<Command> ctx, TrackerSettings settings, ActorRef<Status> status) {
    super(ctx);
    this.settings = settings;
    this.status = status;
    this.history = new TrafficHistory(settings.web().historySamples());
    history.add(TrafficHistory.Sample.of(stats, System.currentTimeMillis()));
    this.tracker = ctx.spawn(supervised(Tracker.create(settings, stats)), "tracker", UDP_PATH);
    TrackerRoutes routes = new TrackerRoutes(tracker, ctx.getSystem().scheduler(),
        Materializer.matFromSystem(ctx.getSystem()), settings, stats, history);
    ctx.pipeToSelf(
        HttpListener.bind(ctx.getSystem(), settings, routes, stats),
        (bound, failure) -> failure == null ? new HttpBound(bound) : new HttpFailed(failure));
  }

  private <T> Behavior<T> supervised(Behavior<T> behavior) {
    return Behaviors.supervise(behavior).onFailure(SupervisorStrategy.restartWithBackoff(
        settings.restartMinBackoff(), settings.restartMaxBackoff(), 0.2));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(HttpBound.class, this::onHttpBound)
        .onMessage(HttpFailed.class, this::onHttpFailed)
        .onMessage(UdpStatus.class, this::onUdpStatus)
        .onMessageEquals(StartTimeout.INSTANCE, this::onStartTimeout)
        .onMessageEquals(SampleTraffic.INSTANCE, () -> {
          history.add(TrafficHistory.Sample.of(stats, System.currentTimeMillis()));
          return this;
        })
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  private Behavior<Command> onHttpBound(HttpBound msg) {
    binding = msg.binding();
    int port = binding.localAddress().getPort();
    TrackerSettings udpSettings = settings.onPort(port);
    ActorRef<UdpEndpoint.Status> udpStatus = getContext().messageAdapter(UdpEndpoint.Status.class, UdpStatus::new);
    getContext().spawn(supervised(UdpEndpoint.create(tracker, udpSettings, stats, udpStatus)), "udp", UDP_PATH);
    return this;
  }

  private Behavior<Command> onHttpFailed(HttpFailed msg) {
    return fail("cannot listen on TCP " + settings.host() + ":" + settings.port() + " for HTTP: "
        + rootMessage(msg.cause()));
  }

  private Behavior<Command> onUdpStatus(UdpStatus msg) {
    if (msg.status() instanceof UdpEndpoint.Listening listening) {
      if (!started) {
        started = true;
        int httpPort = binding.localAddress().getPort();
        getContext().getLog().info(
            "tracker up: udp://{}:{}/announce and http://{}:{}/announce, its page at http://{}:{}/, catalogue in {}",
            settings.host(), listening.address().getPort(), settings.host(), httpPort, settings.host(), httpPort,
            settings.dataDir().toAbsolutePath());
        status.tell(new Started(listening.address(), binding.localAddress()));
      } else {
        getContext().getLog().info("UDP endpoint listening again on {}", listening.address());
      }
    } else if (msg.status() instanceof UdpEndpoint.Failed failed) {
      if (!started) {
        return fail(failed.reason());
      }
      getContext().getLog().warn("{}; retrying", failed.reason());
    }
    return this;
  }

  private Behavior<Command> onStartTimeout() {
    return started ? this : fail("the tracker did not start within " + START_TIMEOUT.toSeconds() + " s");
  }

  /** Before the start, whoever started the tracker reports the failure; after it, the log does. */
  private Behavior<Command> fail(String reason) {
    if (started) {
      getContext().getLog().error(reason);
    } else {
      status.tell(new Failed(reason));
    }
    return Behaviors.stopped();
  }

  private Behavior<Command> onPostStop() {
    if (binding != null) {
      binding.unbind();
    }
    if (started) {
      getContext().getLog().info("tracker stopped");
    }
    return this;
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
