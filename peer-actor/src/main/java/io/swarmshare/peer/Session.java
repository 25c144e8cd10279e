package io.swarmshare.peer;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.peer.bandwidth.Rates;
import io.swarmshare.peer.bandwidth.TorrentLimits;
import io.swarmshare.peer.crypto.TorrentKeys;
import io.swarmshare.peer.session.PeerSnapshot;
import io.swarmshare.peer.session.RecentChanges;
import io.swarmshare.peer.session.SeedingGoals;
import io.swarmshare.peer.session.TorrentQueue;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.peer.session.TorrentStore;
import io.swarmshare.peer.storage.DiskQueue;
import io.swarmshare.peer.storage.TorrentStorage;
import io.swarmshare.peer.udp.NodeSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's session (libtorrent's session_impl): every torrent the node holds, its listening
 * port ({@link ChunkServer}), the node-wide services ({@link SessionContext}) and one
 * {@link Download} per running torrent, each restarted with back-off when it fails. It keeps the
 * one status store that every front end reads: {@link ListTorrents}, {@link GetTorrent} and the
 * events of {@link Subscribe}. Torrents added before the port is bound wait for it, since every
 * announce carries the port. It applies the node's rules to its torrents: the download and seed
 * queues ({@link TorrentQueue}) decide which of those that want to run may run now, and a seeding
 * torrent that reaches its seeding goal ({@link SeedingGoals}) is stopped.
 *
 * <p>The session restarts itself with back-off too. What it was asked to hold and the port it got
 * outlive a restart, so the new incarnation listens on the same port and takes up every torrent
 * again, stopped ones staying stopped; each Download then finds its verified pieces on disk.
 */
public final class Session extends AbstractBehavior<Session.Command> {

  public sealed interface Command permits Add, AddMagnet, Remove, Start, StartNow, Pause, Verify, Reannounce, Relocate,
      ConnectPeers, SetLimits, SetTorrent, MoveInQueue, GetPolicy, ChangePolicy, ListTorrents, GetTorrent,
      GetRecentlyActive, GetPeers, Subscribe, Shutdown, Listen, Route, DownloadStatus, DownloadEnded, SubscriberGone,
      Moved, Saved, Crash, Tick, GetNodeStatus, NodeStatusAnswered, FetchMetadata, MetadataArrived,
      FetchProgress {}

  /**
   * Fetch a torrent's metadata from its peers (a magnet link's info hash, trackers and peers) in a
   * {@link MetadataFetch} of the session, which runs until it has it; the reply is the torrent, to be added.
   */
  public record FetchMetadata(MetadataFetch.Subject subject, ActorRef<MetadataFetch.Outcome> replyTo)
      implements Command {}

  /** Fetch or seed a torrent, at once (or when the queue lets it) or {@code paused}; the reply says whether it was taken. */
  public record Add(Download.Job job, boolean paused, ActorRef<Added> replyTo) implements Command {}

  /**
   * Holds a torrent known by its magnet link alone: when it may run, its metadata is fetched from
   * its peers (the link's, its trackers', and those that dial us for it), kept, and the torrent then
   * downloads as one added by its .torrent. Until then it has no pieces and no size.
   */
  public record AddMagnet(MagnetLink link, Path directory, boolean paused, ActorRef<Added> replyTo)
      implements Command {}

  /** The reply to {@link Add} and {@link AddMagnet}: the torrent as the session now holds it, or why it does not. */
  public record Added(Optional<TorrentSnapshot> torrent, String refusal) {}

  /**
   * Stops the torrents (each says {@code stopped} to its trackers) and forgets them; replies once
   * they have stopped.
   */
  public record Remove(Selection which, boolean deleteData, ActorRef<Done> replyTo) implements Command {}

  /**
   * Starts stopped or failed torrents when the queue lets them. One past its seed ratio seeds on
   * without a ratio limit from then on, as Transmission does.
   */
  public record Start(Selection which, ActorRef<Done> replyTo) implements Command {}

  /** Starts torrents at once, ahead of the queue (Transmission's torrent-start-now). */
  public record StartNow(Selection which, ActorRef<Done> replyTo) implements Command {}

  /** Stops torrents, keeping them in the session; replies once they have stopped. */
  public record Pause(Selection which, ActorRef<Done> replyTo) implements Command {}

  /** Checks the torrents' data on disk again, piece by piece; running ones carry on after, stopped ones stay stopped. */
  public record Verify(Selection which, ActorRef<Done> replyTo) implements Command {}

  /** Asks the running torrents' trackers for peers now. */
  public record Reannounce(Selection which, ActorRef<Done> replyTo) implements Command {}

  /** Peers for a running torrent to connect to, besides those its trackers name. */
  public record ConnectPeers(InfoHash infoHash, List<InetSocketAddress> peers) implements Command {}

  /** The node-wide limits in bytes a second; 0 is no limit, an empty one leaves a limit as it is. */
  public record SetLimits(Optional<Long> upload, Optional<Long> download, ActorRef<Done> replyTo)
      implements Command {}

  /** Changes torrents' own settings; what is empty stays as it is. */
  public record SetTorrent(Selection which, TorrentChanges changes, ActorRef<Done> replyTo) implements Command {}

  /**
   * A torrent's settings to change: its seeding goals (whose each goal is, and its own value),
   * its speed limits, its labels, its place in the queue (0 first).
   */
  public record TorrentChanges(Optional<SeedingGoals.Mode> ratioMode, Optional<Double> ratio,
      Optional<SeedingGoals.Mode> idleMode, Optional<Duration> idle, TorrentLimits.Changes limits,
      Optional<List<String>> labels, Optional<Integer> queuePosition) {

    public static TorrentChanges none() {
      return new TorrentChanges(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
          TorrentLimits.Changes.none(), Optional.empty(), Optional.empty());
    }
  }

  /**
   * Moves torrents' data into {@code directory} ({@code move}), or only points them there and
   * checks what is there, as Transmission's torrent-set-location. A running torrent stops for the
   * move and goes on after it, from its resume data.
   */
  public record Relocate(Selection which, Path directory, boolean move, ActorRef<Relocated> replyTo)
      implements Command {}

  /** How many torrents were chosen, and a line for each that could not be moved (it stays where it was). */
  public record Relocated(int matched, List<String> failures) {}

  /** Moves torrents in the queue, as Transmission's queue-move-top, -up, -down and -bottom. */
  public record MoveInQueue(Selection which, QueueMove move, ActorRef<Done> replyTo) implements Command {}

  public enum QueueMove {
    TOP, UP, DOWN, BOTTOM
  }

  /** The node's seeding goals and queue limits now. */
  public record GetPolicy(ActorRef<Policy> replyTo) implements Command {}

  /** Changes the node's seeding goals and queue limits; the reply is the policy now in force. */
  public record ChangePolicy(UnaryOperator<Policy> change, ActorRef<Policy> replyTo) implements Command {}

  /** The node-wide rules: the seeding goals torrents follow unless they have their own, and the queues. */
  public record Policy(SeedingGoals.Node goals, TorrentQueue.Limits queue) {}

  /** How many torrents a command matched. */
  public record Done(int matched) {}

  public record ListTorrents(ActorRef<List<TorrentSnapshot>> replyTo) implements Command {}

  public record GetTorrent(Selection which, ActorRef<List<TorrentSnapshot>> replyTo) implements Command {}

  /**
   * The torrents that changed in the last {@link RecentChanges#WINDOW} and the ids of those removed
   * in it, for Transmission's {@code ids: "recently-active"}.
   */
  public record GetRecentlyActive(ActorRef<RecentlyActive> replyTo) implements Command {}

  /** The reply to {@link GetRecentlyActive}; {@code removed} in ascending order. */
  public record RecentlyActive(List<TorrentSnapshot> torrents, List<Integer> removed) {}

  /** The node-wide services' load now, for metrics. */
  public record GetNodeStatus(ActorRef<NodeStatus> replyTo) implements Command {}

  /**
   * Tasks waiting for a thread of the disk pool and running on one; torrents waiting in the
   * checking queue and checking.
   */
  public record NodeStatus(int diskWaiting, int diskRunning, int checkWaiting, int checking) {}

  /** {@code checks} is null when the Checking actor did not answer. */
  private record NodeStatusAnswered(Checking.Size checks, ActorRef<NodeStatus> replyTo) implements Command {}

  /** The connections of one torrent now; none if it does not run. */
  public record GetPeers(InfoHash infoHash, ActorRef<List<PeerSnapshot>> replyTo) implements Command {}

  /**
   * Sends {@code subscriber} an {@link Event} for every change of the torrents {@code which}
   * selects: first one for each of them as they are now, then every status, addition and removal.
   */
  public record Subscribe(Selection which, ActorRef<Event> subscriber) implements Command {}

  /** Stops every torrent (each says {@code stopped} to its tracker), then the session. */
  public record Shutdown(ActorRef<Stopped> replyTo) implements Command {}

  public enum Stopped {
    INSTANCE
  }

  /** What a subscriber hears. */
  public sealed interface Event permits TorrentChanged, TorrentCompleted, TorrentRemoved {}

  /** A torrent was added or its status changed (at least once a second while it runs). */
  public record TorrentChanged(TorrentSnapshot torrent) implements Event {}

  /** A torrent's last piece was verified: it has every piece and seeds. Follows its TorrentChanged. */
  public record TorrentCompleted(TorrentSnapshot torrent) implements Event {}

  public record TorrentRemoved(int id, InfoHash infoHash) implements Event {}

  /** Which torrents a command is for: all of them, or those with these ids or info hashes. */
  public record Selection(boolean all, Set<Integer> ids, Set<InfoHash> hashes) {

    public static Selection everything() {
      return new Selection(true, Set.of(), Set.of());
    }

    public static Selection of(InfoHash hash) {
      return new Selection(false, Set.of(), Set.of(hash));
    }

    public static Selection ofIds(Set<Integer> ids) {
      return new Selection(false, Set.copyOf(ids), Set.of());
    }

    boolean matches(int id, InfoHash hash) {
      return all || ids.contains(id) || hashes.contains(hash);
    }
  }

  private record Listen(ChunkServer.Status status) implements Command {}

  /** A handshake an answered connection read: it goes to the owner of the torrent it names. */
  private record Route(Connection.Event event) implements Command {}

  private record DownloadStatus(Download.Status status) implements Command {}

  /** What a held torrent's fetch of its metadata ended with. */
  private record MetadataArrived(MetadataFetch.Outcome outcome) implements Command {}

  private record FetchProgress(MetadataFetch.Progress progress) implements Command {}

  private record DownloadEnded(HeldTorrent torrent, ActorRef<Download.Command> download) implements Command {}

  private record SubscriberGone(ActorRef<Event> subscriber) implements Command {}

  /** A torrent's files were moved (or not: {@code failure}) on the disk pool. */
  private record Moved(HeldTorrent torrent, Path directory, Throwable failure, Runnable then) implements Command {}

  /** What the store was told before a shutdown is on disk. */
  private record Saved(ActorRef<Stopped> replyTo) implements Command {}

  /** A test seam, never sent by production code: fails the actor, to show its supervisor at work. */
  public record Crash() implements Command {}

  /** Every Download's tick, from this one timer (see {@link Download.Tick}). */
  private enum Tick implements Command {
    INSTANCE
  }

  /**
   * What outlives a restart: the torrents the node was asked to hold, their queue and the moves of
   * their data, those removed lately, who follows them, the node's policy, and the port.
   */
  private static final class Held {
    final HeldTorrents torrents;
    final Map<ActorRef<Event>, Selection> subscribers = new HashMap<>();
    final TorrentQueue<InfoHash> queue;
    final Relocation moves;
    final RecentChanges recent = new RecentChanges();
    SeedingGoals.Node goals;
    int port;
    int nextId = 1;
    /** The torrents read back from the store, taken up when the port is first bound. */
    List<TorrentStore.Stored> restored = List.of();

    Held(PeerSettings settings, Relocation moves, TorrentKeys keys) {
      this.queue = new TorrentQueue<>(settings.queue());
      this.moves = moves;
      this.torrents = new HeldTorrents(keys);
      this.goals = settings.seedingGoals();
    }
  }

  /** For what runs on the disk pool, where the actor's own logger must not be used. */
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final int STASH = 1000;

  /**
   * A node's session with these settings and id; {@code started} hears once whether the port could
   * be bound (the session stops if not).
   */
  public static Behavior<Command> create(PeerSettings settings, PeerId ourId, ActorRef<ChunkServer.Status> started) {
    return create(settings, ourId, started, Optional.empty(), List.of());
  }

  /**
   * A session that keeps its torrents in {@code store} (a daemon's), starting with those read
   * back from it, {@code restored}.
   */
  public static Behavior<Command> create(PeerSettings settings, PeerId ourId, ActorRef<ChunkServer.Status> started,
      Optional<TorrentStore> store, List<TorrentStore.Stored> restored) {
    return create(settings, ourId, started, store, restored, Relocation.FILES);
  }

  /** A session that moves torrents' data with {@code mover} (a test's, that it holds up). */
  static Behavior<Command> create(PeerSettings settings, PeerId ourId, ActorRef<ChunkServer.Status> started,
      Optional<TorrentStore> store, List<TorrentStore.Stored> restored, Relocation.Mover mover) {
    Clock clock = Clock.systemUTC();
    return Behaviors.setup(outer -> {
      Rates rates = Rates.of(settings.uploadLimit(), settings.downloadLimit());
      DiskQueue disk = new DiskQueue(outer.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(
          PeerSettings.BLOCKING_DISPATCHER)));
      TorrentKeys keys = new TorrentKeys();
      Held held = new Held(settings, new Relocation(mover, disk), keys);
      held.restored = restored;
      SessionStore writes = new SessionStore(store, disk);
      return supervised(Behaviors.setup(ctx -> {
        SessionContext node = new SessionContext(ourId, settings, rates, disk,
            ctx.spawn(Checking.create(settings.checkingSlots()), "checking"),
            ctx.spawn(supervised(NodeSocket.create(new InetSocketAddress(settings.host(), settings.port()))), "udp"),
            keys);
        return Behaviors.withStash(STASH, stash -> Behaviors.withTimers(timers -> {
          timers.startTimerWithFixedDelay(Tick.INSTANCE, Download.TICK);
          return new Session(ctx, stash, node, held, started, clock, writes);
        }));
      }));
    });
  }

  /** The peer side's restart policy, for the Session and every child that is restarted. */
  static <T> Behavior<T> supervised(Behavior<T> behavior) {
    return Behaviors.supervise(behavior)
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
  }

  private final ActorContext<Command> ctx;
  private final StashBuffer<Command> stash;
  private final SessionContext node;
  private final Held held;
  private final ActorRef<ChunkServer.Status> started;
  private final Clock clock;
  private final ActorRef<Download.Status> statuses;
  private final ActorRef<MetadataFetch.Outcome> metadata;
  private final ActorRef<MetadataFetch.Progress> fetchProgress;
  private final SessionStore store;
  private InetSocketAddress listening;
  private boolean shuttingDown;

  private Session(ActorContext<Command> ctx, StashBuffer<Command> stash, SessionContext node, Held held,
      ActorRef<ChunkServer.Status> started, Clock clock, SessionStore store) {
    super(ctx);
    // Pekko names an actor's logger after the class it finds on the stack when it first logs; under
    // the timers and the stash that was its ActorCell, whose INFO lines the launcher does not show.
    ctx.setLoggerName(Session.class);
    this.ctx = ctx;
    this.stash = stash;
    this.node = node;
    this.held = held;
    this.started = started;
    this.clock = clock;
    this.store = store;
    this.statuses = ctx.messageAdapter(Download.Status.class, DownloadStatus::new);
    this.metadata = ctx.messageAdapter(MetadataFetch.Outcome.class, MetadataArrived::new);
    this.fetchProgress = ctx.messageAdapter(MetadataFetch.Progress.class, FetchProgress::new);
    ActorRef<ChunkServer.Status> status = ctx.messageAdapter(ChunkServer.Status.class, Listen::new);
    ActorRef<Connection.Event> router = ctx.messageAdapter(Connection.Event.class, Route::new);
    ctx.spawn(supervised(ChunkServer.create(node, () -> held.port, router, status)), "chunk-server");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Listen.class, this::onListen)
        .onMessage(Add.class, this::onAdd)
        .onMessage(AddMagnet.class, this::onAddMagnet)
        .onMessage(MetadataArrived.class, this::onMetadataArrived)
        .onMessage(FetchProgress.class, this::onFetchProgress)
        .onMessage(FetchMetadata.class, this::onFetchMetadata)
        .onMessage(Remove.class, this::onRemove)
        .onMessage(Start.class, msg -> onStart(msg.which(), false, msg.replyTo()))
        .onMessage(StartNow.class, msg -> onStart(msg.which(), true, msg.replyTo()))
        .onMessage(Pause.class, this::onPause)
        .onMessage(Verify.class, this::onVerify)
        .onMessage(Reannounce.class, this::onReannounce)
        .onMessage(Relocate.class, this::onRelocate)
        .onMessage(Moved.class, this::onMoved)
        .onMessage(ConnectPeers.class, msg -> {
          HeldTorrent t = held.torrents.get(msg.infoHash());
          if (t != null && t.download != null) {
            t.download.tell(new Download.AddPeers(msg.peers()));
          } else if (t != null && t.fetch != null) {
            t.fetch.tell(new MetadataFetch.AddPeers(msg.peers()));
          }
          return this;
        })
        .onMessage(SetLimits.class, this::onSetLimits)
        .onMessage(GetNodeStatus.class, this::onGetNodeStatus)
        .onMessage(NodeStatusAnswered.class, msg -> {
          if (msg.checks() == null) {
            return this; // the asker's own timeout tells it
          }
          msg.replyTo().tell(new NodeStatus(node.disk().waiting(), node.disk().running(), msg.checks().waiting(),
              msg.checks().checking()));
          return this;
        })
        .onMessage(SetTorrent.class, this::onSetTorrent)
        .onMessage(MoveInQueue.class, this::onMoveInQueue)
        .onMessage(GetPolicy.class, msg -> {
          msg.replyTo().tell(policy());
          return this;
        })
        .onMessage(ChangePolicy.class, this::onChangePolicy)
        .onMessage(ListTorrents.class, msg -> {
          msg.replyTo().tell(snapshots(Selection.everything()));
          return this;
        })
        .onMessage(GetTorrent.class, msg -> {
          msg.replyTo().tell(snapshots(msg.which()));
          return this;
        })
        .onMessage(GetRecentlyActive.class, msg -> {
          Instant now = clock.instant();
          msg.replyTo().tell(new RecentlyActive(held.torrents.all().stream()
              .filter(t -> RecentChanges.recent(t.lastChanged, now)).map(t -> t.latest).toList(),
              held.recent.removedSince(now)));
          return this;
        })
        .onMessage(GetPeers.class, msg -> {
          HeldTorrent t = held.torrents.get(msg.infoHash());
          if (t == null || t.download == null) {
            msg.replyTo().tell(List.of());
          } else {
            t.download.tell(new Download.GetPeers(msg.replyTo()));
          }
          return this;
        })
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(SubscriberGone.class, msg -> {
          held.subscribers.remove(msg.subscriber());
          return this;
        })
        .onMessage(Route.class, this::onRoute)
        .onMessageEquals(Tick.INSTANCE, () -> {
          for (HeldTorrent t : held.torrents.all()) {
            if (t.download != null) {
              t.download.tell(Download.Tick.INSTANCE);
            }
          }
          return this;
        })
        .onMessage(DownloadStatus.class, this::onDownloadStatus)
        .onMessage(DownloadEnded.class, this::onDownloadEnded)
        .onMessage(Shutdown.class, this::onShutdown)
        .onMessage(Saved.class, msg -> {
          msg.replyTo().tell(Stopped.INSTANCE);
          return Behaviors.stopped();
        })
        .onMessage(Crash.class, crash -> {
          throw new IllegalStateException("crash injected by a test");
        })
        .build();
  }

  // ---- start-up ---------------------------------------------------------------------------------

  private Behavior<Command> onListen(Listen msg) {
    if (msg.status() instanceof ChunkServer.Failed failed) {
      started.tell(failed);
      return Behaviors.stopped();
    }
    InetSocketAddress address = ((ChunkServer.Listening) msg.status()).address();
    if (listening == null) {
      listening = address;
      if (held.port == 0) {
        held.port = address.getPort();
        restore();
        started.tell(msg.status());
      } else {
        ctx.getLog().info("session restarted; taking up its {} torrents again", held.torrents.size());
        held.subscribers.keySet().forEach(s -> ctx.watchWith(s, new SubscriberGone(s)));
        for (HeldTorrent t : held.torrents.all()) {
          // The old incarnation's Downloads and fetches stopped with it.
          t.download = null;
          t.fetch = null;
          t.stopping = false;
          t.lookingAt = false;
          t.afterStop.clear();
          t.countTotals();
          t.queued = !t.paused && t.latest.state() != TorrentState.FAILED;
        }
      }
      admit();
      return stash.unstashAll(this);
    }
    return this;
  }

  /**
   * Takes up the torrents the store kept, stopped ones stopped, with their ids, dates, totals,
   * goals, labels and places in the queue; the others wait for the queue.
   */
  private void restore() {
    for (TorrentStore.Stored stored : held.restored) {
      TorrentStore.State s = stored.state();
      InfoHash hash = stored.infoHash();
      SeedingGoals.Goals goals = s.goals().orElse(SeedingGoals.Goals.following(held.goals));
      HeldTorrent t = stored.metainfo().isPresent()
          ? new HeldTorrent(s.id(), new Download.Job(stored.metainfo().get(), s.directory(), s.trackers(), List.of(),
              store.resumeFile(hash)), s.added(), s.paused(), goals, node.rates().within())
          : HeldTorrent.ofLink(s.id(), stored.link(), s.directory(), store.resumeFile(hash), s.added(), s.paused(),
              goals, node.rates().within());
      t.limit(s.limits());
      t.labels = s.labels();
      t.completed = s.completed().orElse(null);
      held.torrents.hold(t);
      held.nextId = Math.max(held.nextId, s.id() + 1);
      t.downloadingNanos = s.secondsDownloading() * 1_000_000_000L;
      t.seedingNanos = s.secondsSeeding() * 1_000_000_000L;
    }
    for (TorrentStore.Stored stored : TorrentStore.inQueueOrder(held.restored)) {
      held.queue.add(stored.infoHash());
    }
    for (TorrentStore.Stored stored : held.restored) {
      TorrentStore.State s = stored.state();
      HeldTorrent t = held.torrents.get(stored.infoHash());
      t.savedPosition = s.queuePosition();
      t.latest = t.first(s.paused() ? TorrentState.STOPPED : TorrentState.QUEUED, s.downloaded(), s.uploaded(),
          position(t));
      t.countTotals();
      if (s.paused() && t.metainfo != null) {
        // A stopped torrent is loaded too (from its resume data), so that it shows what it has.
        startDownload(t, Download.Start.LOAD_ONLY);
      } else if (s.paused()) {
        continue; // it has nothing to show before its metadata is here
      } else {
        t.queued = true;
      }
    }
    if (!held.restored.isEmpty()) {
      ctx.getLog().info("session: {} torrents taken up from the data directory", held.restored.size());
    }
    held.restored = List.of();
  }

  // ---- the store ----------------------------------------------------------------------------------

  private void saveState(HeldTorrent t) {
    int position = position(t);
    t.savedPosition = position;
    store.save(t.hash(), t.state(position));
  }

  /**
   * After the queue changed: each torrent whose place moved is shown with its new one, and with
   * {@code save} saved with it. A removal need not save: the places on disk keep their order.
   */
  private void queueMoved(boolean save) {
    for (HeldTorrent t : held.torrents.all()) {
      if (t.latest.queuePosition() != position(t)) {
        changed(t, t.restamped(position(t)));
      }
      if (save && t.savedPosition != position(t)) {
        saveState(t);
      }
    }
    admit();
  }

  private int position(HeldTorrent t) {
    return held.queue.position(t.hash());
  }

  // ---- the queue ----------------------------------------------------------------------------------

  /**
   * Starts what may run now, as {@link Admission} decides: torrents started ahead of the queue,
   * then those the queue lets in; a waiting torrent whose pieces are not known is looked at to
   * learn which queue it waits in. Those left waiting show as queued.
   */
  private void admit() {
    if (listening == null || shuttingDown) {
      return;
    }
    Admission.aheadOfQueue(held.torrents.all()).forEach(this::run);
    TorrentQueue.Plan<InfoHash> plan = Admission.plan(held.queue, held.torrents::get);
    plan.start().forEach(h -> run(held.torrents.get(h)));
    for (InfoHash h : plan.lookAt()) {
      HeldTorrent t = held.torrents.get(h);
      t.lookingAt = true;
      changed(t, t.withState(TorrentState.CHECK_WAIT, position(t)));
      startDownload(t, Download.Start.LOAD_ONLY);
    }
    for (HeldTorrent t : Admission.waitingUnshown(held.torrents.all())) {
      changed(t, t.withState(TorrentState.QUEUED, position(t)));
    }
  }

  private void run(HeldTorrent t) {
    t.queued = false;
    t.bypassQueue = false;
    if (t.metainfo == null) {
      startFetch(t);
      return;
    }
    changed(t, t.withState(TorrentState.CHECK_WAIT, position(t)));
    startDownload(t, Download.Start.RESUME);
  }

  /** Fetches the metadata of a torrent added by its magnet link; it shows as downloading meanwhile, as Transmission's. */
  private void startFetch(HeldTorrent t) {
    t.startedAt = clock.instant();
    t.fetch = ctx.spawnAnonymous(supervised(MetadataFetch.create(t.subject(), node, held.port, metadata,
        fetchProgress)));
    changed(t, t.fetching(0, position(t)));
  }

  /**
   * How many peers a fetch asks: shown as the torrent's peers. A fetch that has asked nobody for
   * the queue's stalled time is stalled, as a download without traffic: it holds no queue place.
   */
  private Behavior<Command> onFetchProgress(FetchProgress msg) {
    HeldTorrent t = held.torrents.get(msg.progress().infoHash());
    if (t == null || t.fetch == null) {
      return this; // from a fetch that ended since
    }
    if (msg.progress().peers() > 0) {
      t.lastActivity = clock.instant();
    }
    if (t.latest.peers() != msg.progress().peers()) {
      changed(t, t.fetching(msg.progress().peers(), position(t)));
    }
    if (restall(t, true)) {
      admit();
    }
    return this;
  }

  /**
   * A held torrent's metadata is here: it is kept beside its state, and the torrent goes on as one
   * added by its .torrent, downloading if its fetch still ran, else staying as it was left. One
   * whose verified metadata is not a usable torrent fails, saying why.
   */
  private Behavior<Command> onMetadataArrived(MetadataArrived msg) {
    InfoHash hash = msg.outcome() instanceof MetadataFetch.Fetched f ? f.metainfo().infoHash()
        : ((MetadataFetch.Unusable) msg.outcome()).infoHash();
    HeldTorrent t = held.torrents.get(hash);
    if (t == null || t.metainfo != null) {
      return this; // removed since, or a second fetch's answer
    }
    boolean fetching = t.fetch != null;
    if (fetching) {
      ctx.stop(t.fetch);
      t.fetch = null;
    }
    if (msg.outcome() instanceof MetadataFetch.Unusable unusable) {
      ctx.getLog().warn("{}: its metadata is not a torrent we can use: {}", Printable.escape(t.name()), unusable.why());
      changed(t, t.failed(unusable.why(), position(t)));
      admit();
      return this;
    }
    t.metainfo = ((MetadataFetch.Fetched) msg.outcome()).metainfo();
    store.metadataArrived(t.metainfo);
    ctx.getLog().info("{}: its metadata came from its peers ({} pieces, {} bytes)", Printable.escape(t.name()),
        t.metainfo.info().pieceCount(), t.metainfo.info().totalLength());
    t.complete = null;
    changed(t, t.first(fetching ? TorrentState.CHECK_WAIT : t.latest.state(), t.latest.downloaded(),
        t.latest.uploaded(), position(t)));
    if (fetching && !shuttingDown) {
      startDownload(t, Download.Start.RESUME);
    }
    admit();
    return this;
  }

  private Policy policy() {
    return new Policy(held.goals, held.queue.limits());
  }

  private Behavior<Command> onChangePolicy(ChangePolicy msg) {
    Policy p = msg.change().apply(policy());
    held.goals = p.goals();
    held.queue.limits(p.queue());
    admit();
    msg.replyTo().tell(policy());
    return this;
  }

  private Behavior<Command> onMoveInQueue(MoveInQueue msg) {
    List<InfoHash> chosen = held.torrents.select(msg.which()).stream().map(HeldTorrent::hash).toList();
    Admission.move(held.queue, msg.move(), chosen);
    queueMoved(true);
    msg.replyTo().tell(new Done(chosen.size()));
    return this;
  }

  private Behavior<Command> onSetTorrent(SetTorrent msg) {
    TorrentChanges c = msg.changes();
    List<HeldTorrent> chosen = held.torrents.select(msg.which());
    for (HeldTorrent t : chosen) {
      SeedingGoals.Goals g = t.goals;
      g = g.withRatio(c.ratioMode().orElse(g.ratioMode()), c.ratio().orElse(g.ratio()));
      g = g.withIdle(c.idleMode().orElse(g.idleMode()), c.idle().orElse(g.idle()));
      t.goals = g;
      t.limit(c.limits().apply(t.limits));
      c.labels().ifPresent(labels -> t.labels = List.copyOf(labels));
      c.queuePosition().ifPresent(p -> held.queue.moveTo(t.hash(), p));
      changed(t, t.restamped(position(t)));
      saveState(t);
    }
    queueMoved(true);
    msg.replyTo().tell(new Done(chosen.size()));
    return this;
  }

  // ---- the torrents -----------------------------------------------------------------------------

  private Behavior<Command> onFetchMetadata(FetchMetadata msg) {
    if (listening == null) {
      if (!stash.isFull()) {
        stash.stash(msg); // the port it announces is not known yet; a full stash leaves the asker to its timeout
      }
    } else if (!shuttingDown) {
      ctx.spawnAnonymous(MetadataFetch.create(msg.subject(), node, held.port, msg.replyTo(),
          ctx.getSystem().ignoreRef()));
    }
    return this;
  }

  private Behavior<Command> onAdd(Add msg) {
    if (refusedNow(msg, msg.replyTo())) {
      return this;
    }
    InfoHash hash = msg.job().metainfo().infoHash();
    if (held.torrents.contains(hash)) {
      msg.replyTo().tell(new Added(Optional.empty(),
          "the node already holds " + msg.job().metainfo().info().name()));
      return this;
    }
    Download.Job job = msg.job().resumeFile().isPresent() || !store.present() ? msg.job()
        : new Download.Job(msg.job().metainfo(), msg.job().directory(), msg.job().trackers(), msg.job().peers(),
            store.resumeFile(hash));
    HeldTorrent t = new HeldTorrent(held.nextId++, job, clock.instant(), msg.paused(),
        SeedingGoals.Goals.following(held.goals), node.rates().within());
    hold(t, msg.paused(), state -> store.add(job.metainfo(), state), msg.replyTo());
    return this;
  }

  private Behavior<Command> onAddMagnet(AddMagnet msg) {
    if (refusedNow(msg, msg.replyTo())) {
      return this;
    }
    InfoHash hash = msg.link().infoHash();
    HeldTorrent already = held.torrents.get(hash);
    if (already != null) {
      msg.replyTo().tell(new Added(Optional.empty(), "the node already holds " + already.name()));
      return this;
    }
    HeldTorrent t = HeldTorrent.ofLink(held.nextId++, msg.link(), msg.directory(), store.resumeFile(hash),
        clock.instant(), msg.paused(), SeedingGoals.Goals.following(held.goals), node.rates().within());
    hold(t, msg.paused(), state -> store.addLink(msg.link(), state), msg.replyTo());
    return this;
  }

  /** An add that must wait for the port (stashed) or cannot be taken now (answered): true if it is not for now. */
  private boolean refusedNow(Command add, ActorRef<Added> replyTo) {
    if (listening == null) {
      if (stash.isFull()) {
        replyTo.tell(new Added(Optional.empty(), "the node is still starting"));
      } else {
        stash.stash(add);
      }
      return true;
    }
    if (shuttingDown) {
      replyTo.tell(new Added(Optional.empty(), "the node is shutting down"));
      return true;
    }
    return false;
  }

  /** Takes a new torrent into the session and its store, and lets the queue decide when it runs. */
  private void hold(HeldTorrent t, boolean paused, Consumer<TorrentStore.State> keep, ActorRef<Added> replyTo) {
    held.torrents.hold(t);
    held.queue.add(t.hash());
    t.latest = t.first(paused ? TorrentState.STOPPED : TorrentState.QUEUED, 0, 0, position(t));
    t.lastChanged = clock.instant();
    t.savedPosition = position(t);
    keep.accept(t.state(position(t)));
    t.queued = !paused;
    // Subscribers first hear what the queue decided (a check starting, say), not a QUEUED that
    // lasts no time: a front end waiting for the check to end must not take that for its end.
    TorrentSnapshot before = t.latest;
    admit();
    if (t.latest == before) {
      publish(new TorrentChanged(t.latest), t);
    }
    replyTo.tell(new Added(Optional.of(t.latest), null));
  }

  private void startDownload(HeldTorrent t, Download.Start start) {
    t.startedAt = clock.instant();
    t.download = ctx.spawn(supervised(Download.create(t.job(), node, t.rates, listening.getPort(), statuses, start)),
        "download-" + t.hash().hex());
    ctx.watchWith(t.download, new DownloadEnded(t, t.download));
  }

  /**
   * Stops the torrent's Download, if one runs (it says {@code stopped} to its trackers and closes
   * its files), then runs {@code then} on this actor; at once if none runs or stops.
   */
  private void stopDownload(HeldTorrent t, Runnable then) {
    if (t.fetch != null) {
      ctx.stop(t.fetch); // it holds nothing that must be said or closed first
      t.fetch = null;
    }
    if (t.download != null) {
      t.download.tell(new Download.Stop(ctx.getSystem().ignoreRef()));
      t.download = null;
      t.stopping = true;
      t.lookingAt = false;
      t.countTotals();
    }
    if (t.stopping) {
      t.afterStop.add(then);
    } else {
      then.run();
    }
  }

  /** Runs {@code then} once every one of {@code torrents} has stopped. */
  private void stopAll(List<HeldTorrent> torrents, Runnable then) {
    int[] left = {torrents.size()};
    if (left[0] == 0) {
      then.run();
    }
    for (HeldTorrent t : torrents) {
      stopDownload(t, () -> {
        if (--left[0] == 0) {
          then.run();
        }
      });
    }
  }

  /**
   * After a stop or a start: a torrent that is still held and wanted running (a failed one only
   * when told) waits for the queue again; then the queue lets in what it may.
   */
  private void settle(HeldTorrent t) {
    if (!t.paused && t.latest.state() != TorrentState.FAILED && !t.running() && !t.stopping && !t.moving
        && held.torrents.holds(t)) {
      t.queued = true;
    }
    admit();
  }

  private Behavior<Command> onRemove(Remove msg) {
    List<HeldTorrent> gone = held.torrents.select(msg.which());
    for (HeldTorrent t : gone) {
      InfoHash hash = t.hash();
      held.torrents.forget(t);
      held.queue.remove(hash);
      store.remove(hash);
      held.recent.removed(t.id, clock.instant());
      publish(new TorrentRemoved(t.id, hash), t);
    }
    stopAll(gone, () -> {
      if (msg.deleteData()) {
        // As Transmission and libtorrent, the deletion waits behind a move of the torrent's data:
        // it deletes where the move left the data, and nothing while it is being copied.
        gone.forEach(t -> held.moves.afterMoves(List.of(t), () -> deleteData(t)));
      }
      msg.replyTo().tell(new Done(gone.size()));
    });
    queueMoved(false);
    return this;
  }

  private Behavior<Command> onStart(Selection which, boolean now, ActorRef<Done> replyTo) {
    List<HeldTorrent> chosen = held.torrents.select(which);
    for (HeldTorrent t : chosen) {
      boolean save = false;
      if (t.paused) {
        t.paused = false;
        save = true;
      }
      if (Boolean.TRUE.equals(t.complete)
          && SeedingGoals.ratioReached(t.goals, held.goals, t.latest.totalLength(), t.latest.uploaded())) {
        // Transmission's rule: a torrent started by hand past its ratio seeds on without one.
        ctx.getLog().info("{}: started by hand past its seed ratio; it seeds on without a ratio limit",
            Printable.escape(t.name()));
        t.goals = t.goals.withRatio(SeedingGoals.Mode.UNLIMITED, t.goals.ratio());
        changed(t, t.restamped(position(t)));
        save = true;
      }
      if (save) {
        saveState(t);
      }
      if (t.latest.state() == TorrentState.FAILED) {
        changed(t, t.withState(TorrentState.CHECK_WAIT, position(t)));
      }
      t.bypassQueue |= now && !t.running();
      settle(t);
    }
    replyTo.tell(new Done(chosen.size()));
    return this;
  }

  private Behavior<Command> onPause(Pause msg) {
    List<HeldTorrent> chosen = held.torrents.select(msg.which());
    chosen.forEach(this::pause);
    stopAll(chosen, () -> msg.replyTo().tell(new Done(chosen.size())));
    admit();
    return this;
  }

  /** Stops the torrent until it is started again; the queue lets the next one in. */
  private void pause(HeldTorrent t) {
    t.paused = true;
    t.queued = false;
    t.bypassQueue = false;
    stopDownload(t, () -> { });
    changed(t, t.withState(TorrentState.STOPPED, position(t)));
    saveState(t);
  }

  private Behavior<Command> onVerify(Verify msg) {
    List<HeldTorrent> chosen = held.torrents.select(msg.which());
    for (HeldTorrent t : chosen) {
      if (t.metainfo != null) { // one without its metadata has nothing to check
        stopDownload(t, () -> check(t));
      }
    }
    msg.replyTo().tell(new Done(chosen.size()));
    return this;
  }

  /** Checks the data of a torrent that was stopped for it; one that was running carries on after its check. */
  private void check(HeldTorrent t) {
    if (held.torrents.holds(t) && !t.running() && !t.stopping && !t.moving && !shuttingDown) {
      // A stopped or waiting torrent is only checked.
      boolean checkOnly = t.paused || t.queued;
      changed(t, t.withState(TorrentState.CHECK_WAIT, position(t)));
      t.lookingAt = t.queued && !t.paused;
      startDownload(t, checkOnly ? Download.Start.CHECK_ONLY : Download.Start.RECHECK);
    }
  }

  private Behavior<Command> onRelocate(Relocate msg) {
    List<HeldTorrent> chosen = held.torrents.select(msg.which());
    Relocation.Reply reply = new Relocation.Reply(chosen.size(), msg.replyTo());
    for (HeldTorrent t : chosen) {
      if (shuttingDown) {
        reply.failed(t.name() + ": the node is shutting down"); // a move begun now would outlast the session
        continue;
      }
      if (t.moving || t.directory.equals(msg.directory())) {
        reply.done();
        continue;
      }
      if (t.metainfo == null) {
        // No data yet: it only points its data there.
        t.directory = msg.directory();
        saveState(t);
        changed(t, t.restamped(position(t)));
        reply.done();
        continue;
      }
      t.moving = true;
      if (msg.move() && !t.paused) {
        // As Transmission: stopped while its files move, started again after.
        changed(t, t.withState(TorrentState.STOPPED, position(t)));
      }
      stopDownload(t, () -> {
        if (!msg.move()) {
          ctx.getSelf().tell(new Moved(t, msg.directory(), null, () -> {
            check(t);
            reply.done();
          }));
          return;
        }
        ctx.pipeToSelf(held.moves.start(t, msg.directory()), (ok, failure) -> new Moved(t, msg.directory(), failure,
            () -> {
              settle(t);
              if (failure != null) {
                reply.failed(t.name() + ": " + Download.describe(failure));
              } else {
                reply.done();
              }
            }));
      });
    }
    return this;
  }

  private Behavior<Command> onMoved(Moved msg) {
    HeldTorrent t = msg.torrent();
    t.moving = false;
    if (msg.failure() == null) {
      t.directory = msg.directory();
      ctx.getLog().info("{}: its data's directory is now {}", Printable.escape(t.name()), msg.directory());
      if (held.torrents.holds(t)) {
        saveState(t);
        changed(t, t.restamped(position(t)));
      }
    } else {
      ctx.getLog().warn("{}: cannot move its data to {}: {}", Printable.escape(t.name()), msg.directory(),
          Download.describe(msg.failure()));
    }
    msg.then().run();
    held.moves.ended(t);
    return this;
  }

  private Behavior<Command> onReannounce(Reannounce msg) {
    int matched = 0;
    for (HeldTorrent t : held.torrents.select(msg.which())) {
      if (t.download != null) {
        t.download.tell(Download.Reannounce.INSTANCE);
        matched++;
      }
    }
    msg.replyTo().tell(new Done(matched));
    return this;
  }

  private Behavior<Command> onSetLimits(SetLimits msg) {
    msg.upload().ifPresent(node.rates().upload()::setRate);
    msg.download().ifPresent(node.rates().download()::setRate);
    msg.replyTo().tell(new Done(0));
    return this;
  }

  /** The checking queue's size is the Checking actor's to tell; the disk pool's is counted here. */
  private Behavior<Command> onGetNodeStatus(GetNodeStatus msg) {
    ctx.ask(Checking.Size.class, node.checking(), Duration.ofSeconds(5), Checking.GetSize::new,
        (size, failure) -> new NodeStatusAnswered(size, msg.replyTo()));
    return this;
  }

  private Behavior<Command> onDownloadStatus(DownloadStatus msg) {
    Download.Status s = msg.status();
    HeldTorrent t = held.torrents.get(s.metainfo().infoHash());
    if (t == null || t.download == null) {
      return this; // from a Download that was stopped or removed since
    }
    Boolean wasComplete = t.complete;
    TorrentState state = t.shown(s);
    TorrentSnapshot before = t.latest;
    TorrentSnapshot now = t.report(s, state, System.nanoTime(), clock.instant(), position(t));
    changed(t, now);
    if (state == TorrentState.SEEDING && before.state() == TorrentState.DOWNLOADING) {
      publish(new TorrentCompleted(t.latest), t);
      saveState(t);
    }
    if (state == TorrentState.FAILED) {
      // It stops by itself; a start waits until it has.
      t.download = null;
      t.stopping = true;
      t.lookingAt = false;
      t.countTotals();
    }
    if (state == TorrentState.SEEDING) {
      stopIfDone(t);
    }
    boolean stallChanged = restall(t, (state == TorrentState.DOWNLOADING || state == TorrentState.SEEDING)
        && t.download != null);
    if (!Objects.equals(wasComplete, t.complete) || state == TorrentState.FAILED || stallChanged) {
      admit(); // it moved from one queue to the other, left the queue, or stalled or woke
    }
    return this;
  }

  /**
   * Whether a torrent that {@code runs} has been idle for the queue's stalled time, in which case
   * it holds no queue place; true if that changed.
   */
  private boolean restall(HeldTorrent t, boolean runs) {
    boolean wasStalled = t.stalled;
    t.stalled = runs && held.queue.limits().stalled(t.activeSince(), clock.instant());
    if (t.stalled != wasStalled) {
      ctx.getLog().debug("{}: {}", Printable.escape(t.name()), t.stalled ? "stalled: its queue place is free"
          : "moving again");
    }
    return t.stalled != wasStalled;
  }

  /** A seeding torrent that reached its seeding goal stops, saying why. */
  private void stopIfDone(HeldTorrent t) {
    Optional<SeedingGoals.Reached> reached = SeedingGoals.reached(t.goals, held.goals, t.latest.totalLength(),
        t.latest.uploaded(), t.activeSince(), clock.instant());
    if (reached.isPresent()) {
      ctx.getLog().info("{}: stopped seeding: {} (uploaded {} bytes, {} times its size)",
          Printable.escape(t.name()), reached.get().why, t.latest.uploaded(),
          String.format(Locale.ROOT, "%.2f", (double) t.latest.uploaded() / t.latest.totalLength()));
      pause(t);
    }
  }

  /**
   * A Download ended: one we stopped, or one that ended by itself (a storage failure, which its
   * last status reported, or a look at or check of a torrent that does not run).
   */
  private Behavior<Command> onDownloadEnded(DownloadEnded msg) {
    HeldTorrent t = msg.torrent();
    if (t.download == msg.download()) {
      t.download = null;
      t.lookingAt = false;
      t.countTotals();
      admit();
      return this;
    }
    t.stopping = false;
    List<Runnable> then = List.copyOf(t.afterStop);
    t.afterStop.clear();
    then.forEach(Runnable::run);
    settle(t);
    return this;
  }

  private Behavior<Command> onRoute(Route msg) {
    if (msg.event() instanceof Connection.Handshaken handshaken) {
      HeldTorrent t = held.torrents.get(handshaken.infoHash());
      ActorRef<Download.Command> owner = t == null || t.lookingAt ? null : t.download;
      if (owner != null) {
        owner.tell(new Download.FromConnection(handshaken));
      } else if (t != null && t.fetch != null) {
        t.fetch.tell(new MetadataFetch.Answered(handshaken));
      } else {
        handshaken.connection().tell(new Connection.Refuse(
            "a handshake for " + handshaken.infoHash() + ", which we do not serve"));
      }
    } else {
      // Only a handshake comes before an owner takes the connection.
      msg.event().connection().tell(new Connection.Close("a message before the handshake was answered"));
    }
    return this;
  }

  // ---- the status store -------------------------------------------------------------------------

  private Behavior<Command> onSubscribe(Subscribe msg) {
    held.subscribers.put(msg.subscriber(), msg.which());
    ctx.watchWith(msg.subscriber(), new SubscriberGone(msg.subscriber()));
    for (HeldTorrent t : held.torrents.select(msg.which())) {
      msg.subscriber().tell(new TorrentChanged(t.latest));
    }
    return this;
  }

  private void changed(HeldTorrent t, TorrentSnapshot snapshot) {
    if (RecentChanges.shows(t.latest, snapshot)) {
      t.lastChanged = clock.instant();
    }
    t.latest = snapshot;
    publish(new TorrentChanged(snapshot), t);
  }

  private void publish(Event event, HeldTorrent t) {
    held.subscribers.forEach((subscriber, which) -> {
      if (which.matches(t.id, t.hash())) {
        subscriber.tell(event);
      }
    });
  }

  private List<TorrentSnapshot> snapshots(Selection which) {
    return held.torrents.select(which).stream().map(t -> t.latest).toList();
  }

  // ---- shutdown ---------------------------------------------------------------------------------

  /**
   * Stops every torrent (each says {@code stopped} to its trackers), waits for the moves of data
   * that run, saves the states, then stops. A move is not cut short: the state saved must say where
   * the data is. The asker's timeout (the node's shutdown phase) bounds the wait.
   */
  private Behavior<Command> onShutdown(Shutdown msg) {
    // Nothing is started again as the others stop; the list still shows each torrent as it was.
    shuttingDown = true;
    List<HeldTorrent> all = List.copyOf(held.torrents.all());
    stopAll(all, () -> held.moves.afterAllMoves(() -> {
      all.forEach(this::saveState);
      ctx.pipeToSelf(store.written(), (ok, failure) -> new Saved(msg.replyTo()));
    }));
    return this;
  }

  /** Deletes a removed torrent's data on the disk pool, after its Download has closed the files. */
  private void deleteData(HeldTorrent t) {
    if (t.metainfo == null) {
      return; // nothing of it was written
    }
    Download.Job job = t.job();
    node.disk().execute(() -> {
      try (TorrentStorage storage = TorrentStorage.open(job.metainfo().info(), job.directory())) {
        storage.delete();
      } catch (IOException e) {
        log.warn("cannot delete the data of {}: {}", job.metainfo().info().name(), e.getMessage());
      }
    });
  }
}
