package io.swarmshare.peer;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.MetainfoParser;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.peer.swarm.PeerList;
import io.swarmshare.peer.tracker.AnnounceCounts;
import io.swarmshare.peer.tracker.TrackerClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The metadata phase of a torrent known only by its info hash (a magnet link), before any
 * {@link Download} exists: it learns peers from the link and from its trackers, dials up to
 * {@code metadata.connections} of them at a time, has each connection ask for the info dictionary
 * ({@link FetchingMetadata}), and answers with the torrent as soon as one remote's dictionary hashes
 * to the info hash and reads as a valid torrent. A remote that cannot give it is closed and the
 * next is tried; addresses are redialled on {@link PeerList}'s rules. It runs until it has the
 * torrent or its parent stops it; a torrent whose verified dictionary is not a valid torrent ends
 * it with {@link Unusable}.
 */
public final class MetadataFetch extends AbstractBehavior<MetadataFetch.Command> {

  public sealed interface Command permits Answered, AddPeers, FromConnection, TrackerPeers, ConnectionGone, Tick {}

  /** A remote dialled us for this torrent (the Session routes it here): it is asked too, if there is room. */
  public record Answered(Connection.Handshaken handshaken) implements Command {}

  /** More peers to try. */
  public record AddPeers(List<InetSocketAddress> peers) implements Command {}

  /** What the fetch ends with. */
  public sealed interface Outcome permits Fetched, Unusable {}

  public record Fetched(Metainfo metainfo) implements Outcome {}

  /** The dictionary arrived and matches the hash, but is not a torrent we can use. */
  public record Unusable(InfoHash infoHash, String why) implements Outcome {}

  /** How a fetch goes, every few seconds while it runs: how many peers it is asking now. */
  public record Progress(InfoHash infoHash, int peers) {}

  /** What to fetch: the info hash, the link's trackers ({@code tr}, one tier each) and peers ({@code x.pe}). */
  public record Subject(InfoHash infoHash, List<String> trackers, List<InetSocketAddress> peers) {}

  private record FromConnection(Connection.Event event) implements Command {}

  private record TrackerPeers(TrackerClient.Peers peers) implements Command {}

  private record ConnectionGone(ActorRef<Connection.Command> connection) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  /** How often addresses whose wait is over are dialled again. */
  private static final Duration TICK = Duration.ofSeconds(2);
  /**
   * What a tracker is told is left: the size is unknown until the metadata comes, and zero
   * would make us a seeder to it.
   */
  private static final long LEFT_UNKNOWN = 16 * 1024;

  /** A fetch that tells {@code replyTo} how it ended and {@code progress} how it goes. */
  public static Behavior<Command> create(Subject subject, SessionContext node, int listenPort,
      ActorRef<Outcome> replyTo, ActorRef<Progress> progress) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, TICK);
      return new MetadataFetch(ctx, subject, node, listenPort, replyTo, progress);
    }));
  }

  private final SessionContext node;
  private final Subject subject;
  private final ActorRef<Outcome> replyTo;
  private final ActorRef<Progress> progress;
  private final ActorRef<Connection.Event> events;
  private final PeerList peerList;
  /** Connections open or being opened, and where to; null for one the remote dialled. */
  private final Map<ActorRef<Connection.Command>, InetSocketAddress> connections = new HashMap<>();
  /** Those of them whose remote answered our handshake (or dialled us) and is being asked. */
  private final Set<ActorRef<Connection.Command>> asking = new HashSet<>();

  private MetadataFetch(ActorContext<Command> ctx, Subject subject, SessionContext node, int listenPort,
      ActorRef<Outcome> replyTo, ActorRef<Progress> progress) {
    super(ctx);
    this.node = node;
    this.subject = subject;
    this.replyTo = replyTo;
    this.progress = progress;
    this.events = ctx.messageAdapter(Connection.Event.class, FromConnection::new);
    this.peerList = new PeerList(PeerList.Rules.standard(node.settings().maxCandidates()));
    if (!subject.trackers().isEmpty()) {
      ActorRef<TrackerClient.Peers> peers = ctx.messageAdapter(TrackerClient.Peers.class, TrackerPeers::new);
      ActorRef<TrackerClient.Command> tracker = ctx.spawn(Session.supervised(TrackerClient.create(
          new TrackerClient.Subject(subject.infoHash(), node.ourId(), listenPort,
              subject.trackers().stream().map(List::of).toList()),
          node.settings().trackerRetryBase(), peers, new AnnounceCounts(), node.udp())), "tracker");
      tracker.tell(new TrackerClient.Progress(0, 0, LEFT_UNKNOWN));
    }
    addPeers(subject.peers());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Answered.class, this::onAnswered)
        .onMessage(AddPeers.class, msg -> addPeers(msg.peers()))
        .onMessage(FromConnection.class, msg -> onConnectionEvent(msg.event()))
        .onMessage(TrackerPeers.class, msg -> addPeers(msg.peers().peers().stream()
            .map(PeerAddress::toSocketAddress).toList()))
        .onMessage(ConnectionGone.class, this::onConnectionGone)
        .onMessageEquals(Tick.INSTANCE, () -> {
          dialMore();
          progress.tell(new Progress(subject.infoHash(), asking.size()));
          return this;
        })
        .build();
  }

  private Behavior<Command> addPeers(List<InetSocketAddress> addresses) {
    peerList.add(addresses);
    dialMore();
    return this;
  }

  private void dialMore() {
    int room = node.settings().metadata().connections() - connections.size();
    if (room <= 0) {
      return;
    }
    for (InetSocketAddress address : peerList.takeDue(room, System.nanoTime())) {
      ActorRef<Connection.Command> ref = getContext().spawnAnonymous(
          Connection.dial(address, subject.infoHash(), events, node));
      getContext().watchWith(ref, new ConnectionGone(ref));
      connections.put(ref, address);
    }
  }

  private Behavior<Command> onAnswered(Answered msg) {
    Connection.Handshaken h = msg.handshaken();
    if (connections.size() >= node.settings().metadata().connections()) {
      h.connection().tell(new Connection.Refuse("it already asks " + connections.size() + " peers for the metadata"));
      return this;
    }
    getContext().watchWith(h.connection(), new ConnectionGone(h.connection()));
    connections.put(h.connection(), null);
    return onConnectionEvent(h);
  }

  private Behavior<Command> onConnectionEvent(Connection.Event event) {
    if (event instanceof Connection.Handshaken h) {
      if (h.peerId().equals(node.ourId())) {
        peerList.isUs(h.address());
        h.connection().tell(new Connection.Refuse("it is ourselves"));
      } else {
        asking.add(h.connection());
        h.connection().tell(new Connection.FetchMetadata(events));
      }
    } else if (event instanceof Connection.MetadataUnavailable u) {
      getContext().getLog().debug("{}: no metadata from {}: {}", subject.infoHash(), u.address(), u.why());
      u.connection().tell(new Connection.Close("no metadata from it"));
    } else if (event instanceof Connection.MetadataFetched fetched) {
      return onFetched(fetched.metadata());
    }
    return this;
  }

  private Behavior<Command> onFetched(byte[] metadata) {
    Outcome outcome;
    try {
      outcome = new Fetched(MetainfoParser.fromMetadata(metadata, subject.trackers()));
    } catch (MalformedMessageException e) {
      outcome = new Unusable(subject.infoHash(), e.getMessage());
    }
    replyTo.tell(outcome);
    connections.keySet().forEach(c -> c.tell(new Connection.Close("the metadata is here")));
    return Behaviors.stopped();
  }

  private Behavior<Command> onConnectionGone(ConnectionGone msg) {
    InetSocketAddress address = connections.remove(msg.connection());
    asking.remove(msg.connection());
    if (address != null) {
      peerList.dialFailed(address, System.nanoTime());
    }
    dialMore();
    return this;
  }
}
