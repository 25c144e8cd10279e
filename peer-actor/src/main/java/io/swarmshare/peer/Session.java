package io.swarmshare.peer;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.peer.bandwidth.RateLimit;
import io.swarmshare.peer.session.PeerSnapshot;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.peer.session.TorrentStore;
import io.swarmshare.peer.storage.DiskQueue;
import io.swarmshare.peer.storage.TorrentStorage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * announce carries the port.
 *
 * <p>The session restarts itself with back-off too. What it was asked to hold and the port it got
 * outlive a restart, so the new incarnation listens on the same port and takes up every torrent
 * again, stopped ones staying stopped; each Download then finds its verified pieces on disk.
 */
public final class Session extends AbstractBehavior<Session.Command> {

  public sealed interface Command permits Add, Remove, Start, Pause, Verify, Reannounce, ConnectPeers, SetLimits,
      ListTorrents, GetTorrent, GetPeers, Subscribe, Shutdown, Listen, Route, DownloadStatus, DownloadEnded, SubscriberGone,
      Saved, Crash, GetNodeStatus, NodeStatusAnswered {}

  /** Fetch or seed a torrent, at once or {@code paused}; the reply says whether it was taken. */
  public record Add(Download.Job job, boolean paused, ActorRef<Added> replyTo) implements Command {}

  /** The reply to {@link Add}: the torrent as the session now holds it, or why it does not. */
  public record Added(Optional<TorrentSnapshot> torrent, String refusal) {}

  /**
   * Stops the torrents (each says {@code stopped} to its trackers) and forgets them; replies once
   * they have stopped.
   */
  public record Remove(Selection which, boolean deleteData, ActorRef<Done> replyTo) implements Command {}

  /** Starts stopped or failed torrents. */
  public record Start(Selection which, ActorRef<Done> replyTo) implements Command {}

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

  /** How many torrents a command matched. */
  public record Done(int matched) {}

  public record ListTorrents(ActorRef<List<TorrentSnapshot>> replyTo) implements Command {}

  public record GetTorrent(Selection which, ActorRef<List<TorrentSnapshot>> replyTo) implements Command {}

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

  private record DownloadEnded(Torrent torrent, ActorRef<Download.Command> download) implements Command {}

  private record SubscriberGone(ActorRef<Event> subscriber) implements Command {}

  /** What the store was told before a shutdown is on disk. */
  private record Saved(ActorRef<Stopped> replyTo) implements Command {}

  /** A test seam, never sent by production code: fails the actor, to show its supervisor at work. */
  public record Crash() implements Command {}

  /** One torrent the session holds: what it was asked, and what it knows of it. Outlives a restart. */
  private static final class Torrent {
    final int id;
    final Download.Job job;
    final Instant added;
    boolean paused;
    Instant completed;
    TorrentSnapshot latest;
    /** The last status's totals and when it came, for the rates. */
    long lastDownloaded;
    long lastUploaded;
    long lastStatusNanos;
    /** Totals of the Downloads that ran before the current one. */
    long downloadedBefore;
    long uploadedBefore;
    long hashFailuresBefore;
    long downloadingNanos;
    long seedingNanos;
    Instant lastActivity;
    /** The running Download, or null; one that is stopping is no longer it. */
    ActorRef<Download.Command> download;
    /** Whether a Download of this torrent is still stopping: no new one starts before it has. */
    boolean stopping;
    final List<Runnable> afterStop = new ArrayList<>();

    List<List<String>> trackers() {
      return job.trackers();
    }

    long secondsDownloading() {
      return downloadingNanos / 1_000_000_000L;
    }

    long secondsSeeding() {
      return seedingNanos / 1_000_000_000L;
    }

    Torrent(int id, Download.Job job, Instant added, boolean paused) {
      this.id = id;
      this.job = job;
      this.added = added;
      this.paused = paused;
    }
  }

  /** What outlives a restart: the torrents the node was asked to hold, who follows them, and the port. */
  private static final class Held {
    final Map<InfoHash, Torrent> torrents = new LinkedHashMap<>();
    final Map<ActorRef<Event>, Selection> subscribers = new HashMap<>();
    int port;
    int nextId = 1;
    /** The torrents read back from the store, taken up when the port is first bound. */
    List<TorrentStore.Stored> restored = List.of();
  }

  /** For what runs on the disk pool, where the actor's own logger must not be used. */
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final int STASH = 1000;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

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
    Clock clock = Clock.systemUTC();
    return Behaviors.setup(outer -> {
      RateLimit upload = new RateLimit(settings.uploadLimit());
      RateLimit download = new RateLimit(settings.downloadLimit());
      DiskQueue disk = new DiskQueue(outer.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(
          PeerSettings.BLOCKING_DISPATCHER)));
      Held held = new Held();
      held.restored = restored;
      return supervised(Behaviors.setup(ctx -> {
        SessionContext node = new SessionContext(ourId, settings, upload, download, disk,
            ctx.spawn(Checking.create(settings.checkingSlots()), "checking"));
        return Behaviors.withStash(STASH, stash -> new Session(ctx, stash, node, held, started, clock, store));
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
  private final Optional<TorrentStore> store;
  /** The store's writes, one after another on the disk pool, in the order they were asked for. */
  private CompletableFuture<Void> storeWrites = CompletableFuture.completedFuture(null);
  private InetSocketAddress listening;

  private Session(ActorContext<Command> ctx, StashBuffer<Command> stash, SessionContext node, Held held,
      ActorRef<ChunkServer.Status> started, Clock clock, Optional<TorrentStore> store) {
    super(ctx);
    this.ctx = ctx;
    this.stash = stash;
    this.node = node;
    this.held = held;
    this.started = started;
    this.clock = clock;
    this.store = store;
    this.statuses = ctx.messageAdapter(Download.Status.class, DownloadStatus::new);
    ActorRef<ChunkServer.Status> status = ctx.messageAdapter(ChunkServer.Status.class, Listen::new);
    ActorRef<Connection.Event> router = ctx.messageAdapter(Connection.Event.class, Route::new);
    ctx.spawn(supervised(ChunkServer.create(node, () -> held.port, router, status)), "chunk-server");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Listen.class, this::onListen)
        .onMessage(Add.class, this::onAdd)
        .onMessage(Remove.class, this::onRemove)
        .onMessage(Start.class, this::onStart)
        .onMessage(Pause.class, this::onPause)
        .onMessage(Verify.class, this::onVerify)
        .onMessage(Reannounce.class, this::onReannounce)
        .onMessage(ConnectPeers.class, msg -> {
          Torrent t = held.torrents.get(msg.infoHash());
          if (t != null && t.download != null) {
            t.download.tell(new Download.AddPeers(msg.peers()));
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
        .onMessage(ListTorrents.class, msg -> {
          msg.replyTo().tell(snapshots(Selection.everything()));
          return this;
        })
        .onMessage(GetTorrent.class, msg -> {
          msg.replyTo().tell(snapshots(msg.which()));
          return this;
        })
        .onMessage(GetPeers.class, msg -> {
          Torrent t = held.torrents.get(msg.infoHash());
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
        for (Torrent t : held.torrents.values()) {
          // The old incarnation's Downloads stopped with it.
          t.download = null;
          t.stopping = false;
          t.afterStop.clear();
          countTotals(t);
          if (!t.paused && t.latest.state() != TorrentState.FAILED) {
            startDownload(t, Download.Start.RESUME);
          }
        }
      }
      return stash.unstashAll(this);
    }
    return this;
  }

  /** Takes up the torrents the store kept, stopped ones stopped, with their ids, dates and totals. */
  private void restore() {
    for (TorrentStore.Stored stored : held.restored) {
      TorrentStore.State s = stored.state();
      Download.Job job = new Download.Job(stored.metainfo(), s.directory(), s.trackers(), List.of(),
          store.map(st -> st.resumeFile(stored.metainfo().infoHash())));
      Torrent t = new Torrent(s.id(), job, s.added(), s.paused());
      t.completed = s.completed().orElse(null);
      held.torrents.put(stored.metainfo().infoHash(), t);
      held.nextId = Math.max(held.nextId, s.id() + 1);
      t.downloadingNanos = s.secondsDownloading() * 1_000_000_000L;
      t.seedingNanos = s.secondsSeeding() * 1_000_000_000L;
      t.latest = first(t, s.paused() ? TorrentState.STOPPED : TorrentState.CHECK_WAIT, s.downloaded(), s.uploaded());
      countTotals(t);
      // A stopped torrent is loaded too (from its resume data), so that it shows what it has.
      startDownload(t, s.paused() ? Download.Start.LOAD_ONLY : Download.Start.RESUME);
    }
    if (!held.restored.isEmpty()) {
      ctx.getLog().info("session: {} torrents taken up from the data directory", held.restored.size());
    }
    held.restored = List.of();
  }

  // ---- the store ----------------------------------------------------------------------------------

  private interface StoreWrite {
    void run(TorrentStore store) throws IOException;
  }

  /** Queues a write of the store after those before it; a failure is one log line, the session goes on. */
  private void persist(StoreWrite write) {
    if (store.isEmpty()) {
      return;
    }
    TorrentStore s = store.get();
    storeWrites = storeWrites.thenRunAsync(() -> {
      try {
        write.run(s);
      } catch (IOException e) {
        log.warn("cannot save the session's torrents: {}", e.getMessage());
      }
    }, node.disk());
  }

  private void saveState(Torrent t) {
    TorrentStore.State state = stateOf(t);
    InfoHash hash = t.job.metainfo().infoHash();
    persist(s -> s.save(hash, state));
  }

  private TorrentStore.State stateOf(Torrent t) {
    return new TorrentStore.State(t.id, t.job.directory(), t.paused, t.added, Optional.ofNullable(t.completed),
        t.latest.downloaded(), t.latest.uploaded(), t.secondsDownloading(), t.secondsSeeding(), t.trackers());
  }

  // ---- the torrents -----------------------------------------------------------------------------

  private Behavior<Command> onAdd(Add msg) {
    if (listening == null) {
      if (stash.isFull()) {
        msg.replyTo().tell(new Added(Optional.empty(), "the node is still starting"));
      } else {
        stash.stash(msg);
      }
      return this;
    }
    InfoHash hash = msg.job().metainfo().infoHash();
    if (held.torrents.containsKey(hash)) {
      msg.replyTo().tell(new Added(Optional.empty(),
          "the node already holds " + msg.job().metainfo().info().name()));
      return this;
    }
    Download.Job job = msg.job().resumeFile().isPresent() || store.isEmpty() ? msg.job()
        : new Download.Job(msg.job().metainfo(), msg.job().directory(), msg.job().trackers(), msg.job().peers(),
            Optional.of(store.get().resumeFile(hash)));
    Torrent t = new Torrent(held.nextId++, job, clock.instant(), msg.paused());
    held.torrents.put(hash, t);
    t.latest = first(t, msg.paused() ? TorrentState.STOPPED : TorrentState.CHECK_WAIT, 0, 0);
    TorrentStore.State state = stateOf(t);
    persist(s -> s.add(job.metainfo(), state));
    if (!msg.paused()) {
      startDownload(t, Download.Start.RESUME);
    }
    msg.replyTo().tell(new Added(Optional.of(t.latest), null));
    publish(new TorrentChanged(t.latest), t);
    return this;
  }

  private void startDownload(Torrent t, Download.Start start) {
    InfoHash hash = t.job.metainfo().infoHash();
    t.download = ctx.spawn(supervised(Download.create(t.job, node, listening.getPort(), statuses, start)),
        "download-" + hash.hex());
    ctx.watchWith(t.download, new DownloadEnded(t, t.download));
  }

  /**
   * Stops the torrent's Download, if one runs (it says {@code stopped} to its trackers and closes
   * its files), then runs {@code then} on this actor; at once if none runs or stops.
   */
  private void stopDownload(Torrent t, Runnable then) {
    if (t.download != null) {
      t.download.tell(new Download.Stop(ctx.getSystem().ignoreRef()));
      t.download = null;
      t.stopping = true;
      countTotals(t);
    }
    if (t.stopping) {
      t.afterStop.add(then);
    } else {
      then.run();
    }
  }

  /** A new Download counts from zero: what the last one moved is kept apart. */
  private static void countTotals(Torrent t) {
    t.downloadedBefore = t.latest.downloaded();
    t.uploadedBefore = t.latest.uploaded();
    t.hashFailuresBefore = t.latest.hashFailures();
    t.lastDownloaded = 0;
    t.lastUploaded = 0;
    t.lastStatusNanos = 0;
  }

  /** Runs {@code then} once every one of {@code torrents} has stopped. */
  private void stopAll(List<Torrent> torrents, Runnable then) {
    int[] left = {torrents.size()};
    if (left[0] == 0) {
      then.run();
    }
    for (Torrent t : torrents) {
      stopDownload(t, () -> {
        if (--left[0] == 0) {
          then.run();
        }
      });
    }
  }

  /** After a stop: start again a torrent that is still held and wanted running (a failed one only when told). */
  private void settle(Torrent t) {
    if (!t.paused && t.latest.state() != TorrentState.FAILED && t.download == null && !t.stopping
        && held.torrents.get(t.job.metainfo().infoHash()) == t) {
      changed(t, withState(t, TorrentState.CHECK_WAIT));
      startDownload(t, Download.Start.RESUME);
    }
  }

  private Behavior<Command> onRemove(Remove msg) {
    List<Torrent> gone = select(msg.which());
    for (Torrent t : gone) {
      InfoHash hash = t.job.metainfo().infoHash();
      held.torrents.remove(hash);
      persist(s -> s.remove(hash));
      publish(new TorrentRemoved(t.id, hash), t);
    }
    stopAll(gone, () -> {
      if (msg.deleteData()) {
        gone.forEach(this::deleteData);
      }
      msg.replyTo().tell(new Done(gone.size()));
    });
    return this;
  }

  private Behavior<Command> onStart(Start msg) {
    List<Torrent> chosen = select(msg.which());
    for (Torrent t : chosen) {
      if (t.paused) {
        t.paused = false;
        saveState(t);
      }
      if (t.latest.state() == TorrentState.FAILED) {
        changed(t, withState(t, TorrentState.CHECK_WAIT));
      }
      settle(t);
    }
    msg.replyTo().tell(new Done(chosen.size()));
    return this;
  }

  private Behavior<Command> onPause(Pause msg) {
    List<Torrent> chosen = select(msg.which());
    for (Torrent t : chosen) {
      t.paused = true;
      changed(t, withState(t, TorrentState.STOPPED));
      saveState(t);
    }
    stopAll(chosen, () -> msg.replyTo().tell(new Done(chosen.size())));
    return this;
  }

  private Behavior<Command> onVerify(Verify msg) {
    List<Torrent> chosen = select(msg.which());
    for (Torrent t : chosen) {
      stopDownload(t, () -> {
        if (held.torrents.get(t.job.metainfo().infoHash()) == t && t.download == null && !t.stopping) {
          changed(t, withState(t, TorrentState.CHECK_WAIT));
          startDownload(t, t.paused ? Download.Start.CHECK_ONLY : Download.Start.RECHECK);
        }
      });
    }
    msg.replyTo().tell(new Done(chosen.size()));
    return this;
  }

  private Behavior<Command> onReannounce(Reannounce msg) {
    int matched = 0;
    for (Torrent t : select(msg.which())) {
      if (t.download != null) {
        t.download.tell(Download.Reannounce.INSTANCE);
        matched++;
      }
    }
    msg.replyTo().tell(new Done(matched));
    return this;
  }

  private Behavior<Command> onSetLimits(SetLimits msg) {
    msg.upload().ifPresent(node.upload()::setRate);
    msg.download().ifPresent(node.download()::setRate);
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
    Torrent t = held.torrents.get(s.metainfo().infoHash());
    if (t == null || t.download == null) {
      return this; // from a Download that was stopped or removed since
    }
    TorrentState state = switch (s.state()) {
      case QUEUED -> TorrentState.CHECK_WAIT;
      case CHECKING -> TorrentState.CHECKING;
      case DOWNLOADING -> TorrentState.DOWNLOADING;
      case SEEDING -> TorrentState.SEEDING;
      case FAILED -> TorrentState.FAILED;
    };
    if (t.paused && state != TorrentState.CHECKING && state != TorrentState.FAILED) {
      state = TorrentState.STOPPED; // checked while stopped: it stays stopped
    }
    if (s.downloaded() < t.lastDownloaded || s.uploaded() < t.lastUploaded) {
      countTotals(t); // the Download was restarted after a failure and counts from zero again
    }
    long now = System.nanoTime();
    double seconds = t.lastStatusNanos == 0 ? 0 : (now - t.lastStatusNanos) / 1e9;
    long downRate = seconds > 0 ? Math.round((s.downloaded() - t.lastDownloaded) / seconds) : 0;
    long upRate = seconds > 0 ? Math.round((s.uploaded() - t.lastUploaded) / seconds) : 0;
    t.lastDownloaded = s.downloaded();
    t.lastUploaded = s.uploaded();
    if (t.lastStatusNanos != 0 && t.latest.state() == TorrentState.DOWNLOADING) {
      t.downloadingNanos += now - t.lastStatusNanos;
    } else if (t.lastStatusNanos != 0 && t.latest.state() == TorrentState.SEEDING) {
      t.seedingNanos += now - t.lastStatusNanos;
    }
    t.lastStatusNanos = now;
    if (downRate > 0 || upRate > 0) {
      t.lastActivity = clock.instant();
    }
    boolean completedNow = state == TorrentState.SEEDING && t.latest.state() == TorrentState.DOWNLOADING;
    if (completedNow) {
      t.completed = clock.instant();
    }
    changed(t, new TorrentSnapshot(t.id, t.job.metainfo(), t.job.directory(), state, s.piecesHave(), s.have(),
        s.verifiedBytes(), t.downloadedBefore + s.downloaded(), t.uploadedBefore + s.uploaded(),
        Math.max(0, downRate), Math.max(0, upRate), s.peers(), s.peersSendingToUs(), s.peersGettingFromUs(),
        s.checkedBytes(), t.hashFailuresBefore + s.hashFailures(), t.added,
        Optional.ofNullable(t.completed), Optional.ofNullable(t.lastActivity), t.secondsDownloading(),
        t.secondsSeeding(), s.problem(), s.trackers()));
    if (completedNow) {
      publish(new TorrentCompleted(t.latest), t);
      saveState(t);
    }
    if (state == TorrentState.FAILED) {
      // It stops by itself; a start waits until it has.
      t.download = null;
      t.stopping = true;
      countTotals(t);
    }
    return this;
  }

  /**
   * A Download ended: one we stopped, or one that ended by itself (a storage failure, which its
   * last status reported, or a check of a stopped torrent).
   */
  private Behavior<Command> onDownloadEnded(DownloadEnded msg) {
    Torrent t = msg.torrent();
    if (t.download == msg.download()) {
      t.download = null;
      countTotals(t);
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
      Torrent t = held.torrents.get(handshaken.infoHash());
      ActorRef<Download.Command> owner = t == null ? null : t.download;
      if (owner == null) {
        handshaken.connection().tell(new Connection.Refuse(
            "a handshake for " + handshaken.infoHash() + ", which we do not serve"));
      } else {
        owner.tell(new Download.FromConnection(handshaken));
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
    for (Torrent t : select(msg.which())) {
      msg.subscriber().tell(new TorrentChanged(t.latest));
    }
    return this;
  }

  private void changed(Torrent t, TorrentSnapshot snapshot) {
    t.latest = snapshot;
    publish(new TorrentChanged(snapshot), t);
  }

  private void publish(Event event, Torrent t) {
    held.subscribers.forEach((subscriber, which) -> {
      if (which.matches(t.id, t.job.metainfo().infoHash())) {
        subscriber.tell(event);
      }
    });
  }

  /** The torrent as it last was, in {@code state}, with nothing moving. */
  private TorrentSnapshot withState(Torrent t, TorrentState state) {
    TorrentSnapshot l = t.latest;
    return new TorrentSnapshot(t.id, t.job.metainfo(), t.job.directory(), state, l.piecesHave(), l.have(),
        l.verifiedBytes(), l.downloaded(), l.uploaded(), 0, 0, 0, 0, 0, l.checkedBytes(), l.hashFailures(), t.added,
        Optional.ofNullable(t.completed), Optional.ofNullable(t.lastActivity), t.secondsDownloading(),
        t.secondsSeeding(), null, l.trackers());
  }

  /** A torrent the session has not run yet: nothing verified that it knows of. */
  private TorrentSnapshot first(Torrent t, TorrentState state, long downloaded, long uploaded) {
    Metainfo m = t.job.metainfo();
    return new TorrentSnapshot(t.id, m, t.job.directory(), state, 0, new Bitfield(m.info().pieceCount()), 0,
        downloaded, uploaded, 0, 0, 0, 0, 0, 0, 0, t.added, Optional.ofNullable(t.completed), Optional.empty(),
        t.secondsDownloading(), t.secondsSeeding(), null, List.of());
  }

  private List<Torrent> select(Selection which) {
    List<Torrent> chosen = new ArrayList<>();
    for (Torrent t : held.torrents.values()) {
      if (which.matches(t.id, t.job.metainfo().infoHash())) {
        chosen.add(t);
      }
    }
    return chosen;
  }

  private List<TorrentSnapshot> snapshots(Selection which) {
    return select(which).stream().map(t -> t.latest).toList();
  }

  // ---- shutdown ---------------------------------------------------------------------------------

  /** Stops every torrent (each says {@code stopped} to its trackers), saves their states, then stops. */
  private Behavior<Command> onShutdown(Shutdown msg) {
    List<Torrent> all = List.copyOf(held.torrents.values());
    held.torrents.clear();
    stopAll(all, () -> {
      all.forEach(this::saveState);
      ctx.pipeToSelf(storeWrites, (ok, failure) -> new Saved(msg.replyTo()));
    });
    return this;
  }

  /** Deletes a removed torrent's data on the disk pool, after its Download has closed the files. */
  private void deleteData(Torrent t) {
    Download.Job job = t.job;
    node.disk().execute(() -> {
      try (TorrentStorage storage = TorrentStorage.open(job.metainfo().info(), job.directory())) {
        storage.delete();
      } catch (IOException e) {
        log.warn("cannot delete the data of {}: {}", job.metainfo().info().name(), e.getMessage());
      }
    });
  }
}
