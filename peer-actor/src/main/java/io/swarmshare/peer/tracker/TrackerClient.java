package io.swarmshare.peer.tracker;

import com.typesafe.config.Config;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.tracker.TrackerUrl;
import io.swarmshare.messages.tracker.http.HttpAnnounceRequest;
import io.swarmshare.messages.tracker.http.HttpAnnounceResponse;
import io.swarmshare.messages.tracker.http.HttpFailure;
import io.swarmshare.messages.tracker.http.HttpTrackerCodec;
import io.swarmshare.messages.tracker.http.HttpTrackerReply;
import io.swarmshare.messages.tracker.udp.AnnounceRequest;
import io.swarmshare.messages.tracker.udp.AnnounceResponse;
import io.swarmshare.messages.tracker.udp.ConnectRequest;
import io.swarmshare.messages.tracker.udp.ConnectResponse;
import io.swarmshare.messages.tracker.udp.ErrorResponse;
import io.swarmshare.messages.tracker.udp.UdpTrackerCodec;
import io.swarmshare.messages.tracker.udp.UdpTrackerResponse;
import io.swarmshare.peer.udp.NodeSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.util.ByteString;

/**
 * Announces one torrent to its trackers, over BEP 15 (UDP) or BEP 3 (HTTP, through Pekko HTTP):
 * started first, then again at the interval the tracker gives (the heartbeat), completed when the
 * owner says so, stopped when it stops. UDP connection ids are kept for their minute; a silent
 * tracker is asked again after 15·2^n seconds, and after its last chance the next tracker of the
 * tiers is tried (BEP 12). The peers each answer names go to the listener; each announce's outcome
 * is counted in the owner's {@link AnnounceCounts}.
 */
public final class TrackerClient extends AbstractBehavior<TrackerClient.Command> {

  public sealed interface Command
      permits Progress, Completed, Stop, Datagram, HttpAnswered, Timeout, AnnounceNow, Reannounce, Crash {}

  /** What the tracker is told in the next announce. */
  public record Progress(long uploaded, long downloaded, long left) implements Command {}

  public enum Completed implements Command {
    INSTANCE
  }

  /**
   * Says {@code stopped} to the current tracker, then stops: once it is answered or after
   * {@link #stopTimeout}, whichever comes first (best effort, as a stopping client cannot wait long).
   */
  public record Stop(ActorRef<Stopped> replyTo) implements Command {}

  /** Announce now, without waiting for the interval: the user wants peers. */
  public enum Reannounce implements Command {
    INSTANCE
  }

  public enum Stopped {
    INSTANCE
  }

  /** What the owner hears: peers to try, and how the trackers are doing. */
  public record Peers(List<PeerAddress> peers, int seeders, int leechers, String tracker) {}

  private record Datagram(ByteString data, InetSocketAddress from) implements Command {}

  private record HttpAnswered(int transactionId, ByteString body, Throwable failure) implements Command {}

  private record Timeout(int transactionId) implements Command {}

  private enum AnnounceNow implements Command {
    INSTANCE
  }

  /** A test seam, never sent by production code: fails the actor, to show its supervisor at work. */
  public record Crash() implements Command {}

  /** What to announce: which torrent, who we are, where we listen. */
  public record Subject(InfoHash infoHash, PeerId peerId, int port, List<List<String>> tiers) {}

  /** swarmshare.peer.stop-announce-timeout: the most a stopping client waits for its tracker. */
  public static Duration stopTimeout(Config config) {
    return config.getDuration("swarmshare.peer.stop-announce-timeout");
  }

  /** A client that sends its UDP announces through the node's socket, {@code udp}. */
  public static Behavior<Command> create(Subject subject, Duration retryBase, ActorRef<Peers> listener,
      AnnounceCounts counts, ActorRef<NodeSocket.Command> udp) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new TrackerClient(ctx, timers, subject, retryBase,
        listener, counts, udp)));
  }

  private final TimerScheduler<Command> timers;
  private final Subject subject;
  private final ActorRef<Peers> listener;
  private final AnnounceCounts counts;
  private final TrackerTiers tiers;
  private final RetrySchedule retry;
  private final ConnectionIdCache<InetSocketAddress> connectionIds = new ConnectionIdCache<>();
  /** swarmshare.peer.max-tracker-response: an HTTP tracker's longest answer, in bytes. */
  private final long maxResponse;
  /** swarmshare.peer.stop-announce-timeout: how long a stopping client waits for its {@code stopped} to be answered. */
  private final Duration stopTimeout;
  private final Random random = new Random();
  private final int key = new Random().nextInt();

  private final ActorRef<NodeSocket.Command> udp;
  private final ActorRef<NodeSocket.Datagram> answers;
  /** Null until the Download first tells it: announcing without it would misstate what is left. */
  private Progress progress;
  private AnnounceEvent pendingEvent = AnnounceEvent.STARTED;
  private InetSocketAddress tracker;
  private TrackerUrl current;
  private int transaction;
  private boolean connecting;
  /** Whether this announce already connected again after an error; reset when it is over. */
  private boolean reconnected;
  private ActorRef<Stopped> stopping;
  /** When a stopping client gives up on its tracker, in System.nanoTime(): one bound over connect and announce. */
  private long stopDeadline;

  private TrackerClient(ActorContext<Command> ctx, TimerScheduler<Command> timers, Subject subject, Duration retryBase,
      ActorRef<Peers> listener, AnnounceCounts counts, ActorRef<NodeSocket.Command> udp) {
    super(ctx);
    this.udp = udp;
    this.answers = ctx.messageAdapter(NodeSocket.Datagram.class, d -> new Datagram(d.data(), d.from()));
    this.timers = timers;
    this.subject = subject;
    this.listener = listener;
    this.counts = counts;
    this.tiers = new TrackerTiers(subject.tiers(), random);
    this.retry = new RetrySchedule(retryBase);
    this.maxResponse = ctx.getSystem().settings().config().getBytes("swarmshare.peer.max-tracker-response");
    this.stopTimeout = stopTimeout(ctx.getSystem().settings().config());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Progress.class, this::onProgress)
        .onMessageEquals(Completed.INSTANCE, this::onCompleted)
        .onMessage(Stop.class, this::onStop)
        .onMessageEquals(AnnounceNow.INSTANCE, this::onAnnounceNow)
        .onMessageEquals(Reannounce.INSTANCE, this::onAnnounceNow)
        .onMessage(Datagram.class, this::onDatagram)
        .onMessage(HttpAnswered.class, this::onHttpAnswered)
        .onMessage(Timeout.class, this::onTimeout)
        .onMessage(Crash.class, crash -> {
          throw new IllegalStateException("crash injected by a test");
        })
        .build();
  }

  private Behavior<Command> onProgress(Progress msg) {
    boolean first = progress == null;
    progress = msg;
    return first ? onAnnounceNow() : this;
  }

  private Behavior<Command> onCompleted() {
    pendingEvent = AnnounceEvent.COMPLETED;
    return onAnnounceNow();
  }

  private Behavior<Command> onStop(Stop msg) {
    if (current == null) {
      msg.replyTo().tell(Stopped.INSTANCE);
      return Behaviors.stopped();
    }
    stopping = msg.replyTo();
    stopDeadline = System.nanoTime() + stopTimeout.toNanos();
    timers.cancel("announce");
    pendingEvent = AnnounceEvent.STOPPED;
    send();
    return this;
  }

  /** Starts an announce to the current tracker, connecting first if we hold no fresh id. */
  private Behavior<Command> onAnnounceNow() {
    if (progress == null) {
      return this; // the first Progress announces
    }
    Optional<String> url = tiers.current();
    if (url.isEmpty()) {
      return this;
    }
    try {
      current = TrackerUrl.parse(url.get());
    } catch (MalformedMessageException e) {
      return trackerFailed(e.getMessage());
    }
    if (current.isUdp()) {
      tracker = new InetSocketAddress(current.host(), current.port());
      if (tracker.isUnresolved()) {
        return trackerFailed(url.get() + ": cannot resolve " + tracker.getHostString());
      }
    }
    send();
    return this;
  }

  private void send() {
    transaction = random.nextInt();
    if (!current.isUdp()) {
      sendHttp();
      return;
    }
    OptionalLong id = connectionIds.get(tracker, System.nanoTime());
    ByteString datagram;
    if (id.isEmpty()) {
      connecting = true;
      datagram = ByteString.fromByteBuffer(UdpTrackerCodec.encode(new ConnectRequest(transaction)));
    } else {
      connecting = false;
      datagram = ByteString.fromByteBuffer(UdpTrackerCodec.encode(new AnnounceRequest(id.getAsLong(), transaction,
          subject.infoHash(), subject.peerId(), progress.downloaded(), progress.left(), progress.uploaded(),
          pendingEvent, Optional.empty(), key, -1, subject.port())));
    }
    udp.tell(new NodeSocket.Send(datagram, tracker, transaction, answers));
    timers.startSingleTimer("timeout", new Timeout(transaction), nextTimeout());
  }

  /** How long to wait for this answer: BEP 15's back-off, or what is left of the stop's bound. */
  private Duration nextTimeout() {
    return stopping != null
        ? Duration.ofNanos(Math.max(0, stopDeadline - System.nanoTime()))
        : retry.nextTimeout();
  }

  /** BEP 3 over HTTP: the same announce as a query string, the answer bencoded. */
  private void sendHttp() {
    HttpAnnounceRequest request = new HttpAnnounceRequest(subject.infoHash(), subject.peerId(), subject.port(),
        progress.uploaded(), progress.downloaded(), progress.left(), pendingEvent, true, false, OptionalInt.empty(),
        Optional.empty(), Optional.of(Integer.toHexString(key)), Optional.empty());
    String uri = current.text() + (current.text().contains("?") ? "&" : "?") + HttpTrackerCodec.toQuery(request);
    int sent = transaction;
    Duration timeout = nextTimeout();
    getContext().pipeToSelf(
        Http.get(getContext().getSystem()).singleRequest(HttpRequest.GET(uri))
            .thenCompose(response -> response.entity().toStrict(timeout.toMillis(), maxResponse, getContext().getSystem()))
            .thenApply(HttpEntity.Strict::getData),
        (body, failure) -> new HttpAnswered(sent, body, failure));
    timers.startSingleTimer("timeout", new Timeout(transaction), timeout);
  }

  private Behavior<Command> onHttpAnswered(HttpAnswered msg) {
    if (msg.transactionId() != transaction) {
      return this;
    }
    timers.cancel("timeout");
    if (stopping != null) {
      return finishStop();
    }
    if (msg.failure() != null) {
      Throwable cause = msg.failure() instanceof CompletionException c && c.getCause() != null ? c.getCause() : msg.failure();
      return trackerFailed(current + (cause instanceof EntityStreamSizeException
          ? " answered more than " + maxResponse + " bytes (max-tracker-response)"
          : ": " + cause.getMessage()));
    }
    HttpTrackerReply reply;
    try {
      reply = HttpTrackerCodec.decodeAnnounce(msg.body().toArray());
    } catch (MalformedMessageException e) {
      return trackerFailed(current + " answered something unreadable: " + e.getMessage());
    }
    if (reply instanceof HttpFailure failure) {
      return trackerFailed(current + " refused: " + failure.reason());
    }
    HttpAnnounceResponse answer = (HttpAnnounceResponse) reply;
    return onAnswer(answer.addresses(), answer.seeders(), answer.leechers(), answer.interval());
  }

  private Behavior<Command> onDatagram(Datagram msg) {
    if (!msg.from().equals(tracker)) {
      return this;
    }
    StandardProtocolFamily family = tracker.getAddress() instanceof Inet4Address
        ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    UdpTrackerResponse response;
    try {
      response = UdpTrackerCodec.decodeResponse(msg.data().asByteBuffer(), family);
    } catch (MalformedMessageException e) {
      getContext().getLog().debug("unreadable answer from {}: {}", tracker, e.getMessage());
      return this;
    }
    if (response.transactionId() != transaction) {
      return this;
    }
    timers.cancel("timeout");
    if (response instanceof ConnectResponse connected && connecting) {
      connectionIds.put(tracker, connected.connectionId(), System.nanoTime());
      send();
    } else if (response instanceof AnnounceResponse announced) {
      return onAnnounced(announced);
    } else if (response instanceof ErrorResponse error) {
      connectionIds.forget(tracker);
      if (!connecting && !reconnected) {
        // A restarted tracker no longer knows the id it gave us: connect again before giving up on it.
        reconnected = true;
        send();
        return this;
      }
      return stopping != null ? finishStop() : trackerFailed(tracker + " refused: " + error.message());
    }
    return this;
  }

  private Behavior<Command> onAnnounced(AnnounceResponse announced) {
    if (stopping != null) {
      return finishStop();
    }
    return onAnswer(announced.peers(), announced.seeders(), announced.leechers(), announced.interval());
  }

  /** A tracker answered: pass its peers on and come back at the interval it asks for. */
  private Behavior<Command> onAnswer(List<PeerAddress> peers, int seeders, int leechers, int interval) {
    retry.answered();
    reconnected = false;
    Duration next = Duration.ofSeconds(Math.max(1, interval));
    tiers.current().ifPresent(url -> counts.answered(url, Instant.now(), seeders, leechers, peers.size(), next));
    tiers.succeeded();
    pendingEvent = AnnounceEvent.NONE;
    listener.tell(new Peers(peers, seeders, leechers, current.text()));
    timers.startSingleTimer("announce", AnnounceNow.INSTANCE, next);
    return this;
  }

  private Behavior<Command> onTimeout(Timeout msg) {
    if (msg.transactionId() != transaction) {
      return this;
    }
    if (stopping != null) {
      return finishStop();
    }
    if (current.isUdp() && retry.timedOut()) {
      send();
      return this;
    }
    return trackerFailed(tracker + " did not answer");
  }

  /** On to the next tracker; after a whole round of failures, wait the base back-off first. */
  private Behavior<Command> trackerFailed(String why) {
    getContext().getLog().info("tracker problem: {}", Printable.escape(why));
    tiers.current().ifPresent(url -> counts.failed(url, Instant.now(), why));
    retry.answered();
    reconnected = false;
    if (tiers.failed()) {
      Duration backOff = retry.nextTimeout();
      tiers.current().ifPresent(url -> counts.nextAnnounce(url, Instant.now().plus(backOff)));
      timers.startSingleTimer("announce", AnnounceNow.INSTANCE, backOff);
      return this;
    }
    return onAnnounceNow();
  }

  private Behavior<Command> finishStop() {
    stopping.tell(Stopped.INSTANCE);
    return Behaviors.stopped();
  }
}
