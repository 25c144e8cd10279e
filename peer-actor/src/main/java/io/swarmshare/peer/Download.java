package io.swarmshare.peer;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.LogThrottle;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.peer.bandwidth.Rates;
import io.swarmshare.peer.choking.Choker;
import io.swarmshare.peer.pieces.BlockReceipt;
import io.swarmshare.peer.pieces.BlockRequest;
import io.swarmshare.peer.pieces.PiecePicker;
import io.swarmshare.peer.session.ClientNames;
import io.swarmshare.peer.session.PeerSnapshot;
import io.swarmshare.peer.storage.AtomicFile;
import io.swarmshare.peer.storage.PieceChecker;
import io.swarmshare.peer.storage.PieceWrites;
import io.swarmshare.peer.storage.ResumeData;
import io.swarmshare.peer.storage.TorrentStorage;
import io.swarmshare.peer.swarm.PeerList;
import io.swarmshare.peer.swarm.Strikes;
import io.swarmshare.peer.tracker.AnnounceCounts;
import io.swarmshare.peer.tracker.TrackerClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One torrent of the node, from the first check of the disk to seeding: it finds peers (through
 * its {@link TrackerClient} and any given directly), keeps the connections to them, decides which
 * blocks to ask each for ({@link PiecePicker}) and whom to upload to ({@link Choker}), writes
 * blocks and verifies pieces on the blocking dispatcher, and tells every connection of each new
 * piece. When the last piece is verified it announces {@code completed} and keeps seeding.
 *
 * <p>Everything it holds is soft except the files: on a restart it checks the disk again and
 * carries on from the pieces it finds there.
 */
public final class Download extends AbstractBehavior<Download.Command> {

  public sealed interface Command
      permits FromConnection, AddPeers, Reannounce, GetPeers, MayCheck, Stop, Prepared, ResumeSaved, Checked, BlockWritten, PieceChecked, ConnectionGone, TrackerPeers, Tick, ChokeRound,
          TrackerStopped, Crash {}

  // ---- from connections -----------------------------------------------------------------------

  /**
   * What a connection reports: from the connections this torrent owns, and the handshakes of
   * answered connections that the Session routes here by info hash.
   */
  public record FromConnection(Connection.Event event) implements Command {}

  // ---- from the node --------------------------------------------------------------------------

  /** Peers to connect to, besides those the trackers name. */
  public record AddPeers(List<InetSocketAddress> peers) implements Command {}

  /** The checking queue's word that this Download may check its data on disk now. */
  public enum MayCheck implements Command {
    INSTANCE
  }

  /** The torrent's connections as they are now. */
  public record GetPeers(ActorRef<List<PeerSnapshot>> replyTo) implements Command {}

  /** Asks the trackers for peers now. */
  public enum Reannounce implements Command {
    INSTANCE
  }

  /** Says {@code stopped} to the tracker, closes the files, replies, and stops. */
  public record Stop(ActorRef<Stopped> replyTo) implements Command {}

  public enum Stopped {
    INSTANCE
  }

  /**
   * How the torrent is doing; sent to the listener every second and at each change of state.
   * {@code have} and {@code inProgress} are copies: the pieces verified, and the pieces with blocks
   * asked for or received but not verified yet.
   */
  public record Status(Metainfo metainfo, Path directory, State state, int piecesHave, long verifiedBytes,
      long downloaded, long uploaded, int peers, int peersSendingToUs, int peersGettingFromUs, long checkedBytes,
      int hashFailures, Bitfield have, Bitfield inProgress, String problem, List<AnnounceCounts.Count> trackers) {

    public enum State {
      QUEUED, CHECKING, DOWNLOADING, SEEDING, FAILED
    }

    public int pieceCount() {
      return metainfo.info().pieceCount();
    }

    public long totalLength() {
      return metainfo.info().totalLength();
    }
  }

  // ---- its own --------------------------------------------------------------------------------

  /** The storage opened and the resume data read: what may be trusted, and whether anything must be hashed. */
  private record Prepared(TorrentStorage storage, Bitfield trusted, boolean needsCheck, Throwable failure)
      implements Command {}

  private record Checked(TorrentStorage storage, Bitfield have, long hashedBytes, Throwable failure)
      implements Command {}

  private record ResumeSaved(ActorRef<Stopped> replyTo) implements Command {}

  private record BlockWritten(ActorRef<Connection.Command> connection, int piece, int blocks, Throwable failure)
      implements Command {}

  private record PieceChecked(int piece, boolean valid, Throwable failure) implements Command {}

  private record ConnectionGone(ActorRef<Connection.Command> connection) implements Command {}

  private record TrackerPeers(TrackerClient.Peers peers) implements Command {}

  /**
   * The Download's housekeeping, every {@link #TICK}, sent by its Session to every Download it
   * runs: one timer for the node rather than one per torrent, so that a thousand quiet torrents
   * wake the dispatcher once a second rather than a thousand times.
   */
  enum Tick implements Command {
    INSTANCE
  }

  private enum ChokeRound implements Command {
    INSTANCE
  }

  private record TrackerStopped(ActorRef<Stopped> replyTo) implements Command {}

  /** A test seam, never sent by production code: fails the actor, to show its supervisor at work. */
  public record Crash() implements Command {}

  /**
   * What the Download is to fetch or seed, where, and whom to ask: tracker tiers and peers given
   * directly. A restarted Download starts again from this.
   */
  public record Job(Metainfo metainfo, Path directory, List<List<String>> trackers, List<InetSocketAddress> peers,
      Optional<Path> resumeFile) {

    public Job(Metainfo metainfo, Path directory, List<List<String>> trackers, List<InetSocketAddress> peers) {
      this(metainfo, directory, trackers, peers, Optional.empty());
    }

    public Job(Metainfo metainfo, Path directory, List<List<String>> trackers) {
      this(metainfo, directory, trackers, List.of());
    }

    /** The same torrent with its data in {@code other}. */
    public Job in(Path other) {
      return new Job(metainfo, other, trackers, peers, resumeFile);
    }
  }

  /**
   * How a Download starts: whether it trusts its resume data where the files are unchanged (or
   * hashes all that is on disk), and whether it then runs or stops once it knows what it has (a
   * stopped torrent taken up after a restart, or asked to check).
   */
  public enum Start {
    RESUME(true, true), RECHECK(false, true), LOAD_ONLY(true, false), CHECK_ONLY(false, false);

    final boolean trustResume;
    final boolean run;

    Start(boolean trustResume, boolean run) {
      this.trustResume = trustResume;
      this.run = run;
    }
  }

  static final Duration TICK = Duration.ofSeconds(1);
  private static final int REFILL_BATCH = 16;

  /**
   * A torrent's Download, reporting its {@link Status} to {@code listener}; with {@code checkOnly}
   * it checks the data on disk, reports what it found, and stops.
   */
  public static Behavior<Command> create(Job job, SessionContext node, Rates rates, int listenPort,
      ActorRef<Status> listener, Start start) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Download(ctx, timers, job, node, rates,
        listenPort, listener, start)));
  }

  /** What we know of one connection. */
  private static final class Remote {
    final ActorRef<Connection.Command> ref;
    final InetSocketAddress address;
    final boolean dialled;
    PeerId id;
    boolean welcomed;
    boolean chokesUs = true;
    boolean interestedInUs;
    boolean weAreInterested;
    boolean weChoke = true;
    boolean seeder;
    final Set<BlockRequest> outstanding = new LinkedHashSet<>();
    long lastBlockNanos;
    long downloadedThisRound;
    long uploadedThisRound;

    Remote(ActorRef<Connection.Command> ref, InetSocketAddress address, boolean dialled) {
      this.ref = ref;
      this.address = address;
      this.dialled = dialled;
    }
  }

  /** For what runs on the disk pool, where the actor's own logger must not be used. */
  private static final Logger log = LoggerFactory.getLogger(Download.class);

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Job job;
  private final Metainfo metainfo;
  /** The torrent's name as logs show it: escaped, since it comes from whoever made the torrent. */
  private final String shown;
  private final SessionContext node;
  /** The torrent's own rate limits, within the node's. */
  private final Rates rates;
  /** Where the connections this torrent owns report to. */
  private final ActorRef<Connection.Event> connectionEvents;
  private final PeerSettings settings;
  private final int listenPort;
  private final ActorRef<Status> listener;
  private final Start start;
  private long checkedBytes;
  /** Verified pieces when resume data was last saved, and when. */
  /** Whether it runs (its check is done and its pieces known): the Session's ticks are for it from then. */
  private boolean ticking;
  private int piecesAtLastSave = -1;
  private long lastSaveNanos = System.nanoTime();
  /** The resume data's writes, one after another, so that the last one asked for lands last. */
  private CompletableFuture<Void> resumeSaves = CompletableFuture.completedFuture(null);
  private final Executor blocking;
  private final Random random = new Random();

  private TorrentStorage storage;
  /** Between the reading of the resume data and the check: the pieces the check need not hash. */
  private Bitfield trustedAtStart;
  private ServedTorrent served;
  private PiecePicker<ActorRef<Connection.Command>> picker;
  private final Choker<ActorRef<Connection.Command>> choker;
  private ActorRef<TrackerClient.Command> tracker;
  /** Its TrackerClient's announces and failures per tracker, kept here across the client's restarts. */
  private final AnnounceCounts announceCounts = new AnnounceCounts();
  private boolean seedingFromStart;
  private long startedNanos;
  /** When the current choke round began: the per-peer byte counts are since then. */
  private long roundStartNanos = System.nanoTime();

  private final Map<ActorRef<Connection.Command>, Remote> remotes = new HashMap<>();
  private final PeerList peerList;
  private final Strikes strikes;
  private final LogThrottle failureLog = new LogThrottle(Duration.ofMinutes(1), 256);
  private PieceWrites writes;
  private long downloaded;
  private long uploaded;
  private int hashFailures;
  private boolean failed;

  private Download(ActorContext<Command> ctx, TimerScheduler<Command> timers, Job job, SessionContext node,
      Rates rates, int listenPort, ActorRef<Status> listener, Start start) {
    super(ctx);
    this.rates = rates;
    this.ctx = ctx;
    this.timers = timers;
    this.job = job;
    this.metainfo = job.metainfo();
    this.shown = Printable.escape(metainfo.info().name());
    this.node = node;
    this.settings = node.settings();
    this.listenPort = listenPort;
    this.listener = listener;
    this.start = start;
    this.blocking = node.disk();
    this.connectionEvents = ctx.messageAdapter(Connection.Event.class, FromConnection::new);
    this.choker = new Choker<>(settings.unchokeSlots(), settings.optimisticEveryRounds(),
        settings.seedRotationRounds(), random);
    this.peerList = new PeerList(PeerList.Rules.standard(settings.maxCandidates()));
    this.strikes = new Strikes(new Strikes.Rules(settings.maxHashFailures(), settings.maxBans(), settings.banDuration()));
    listener.tell(status(Status.State.QUEUED, null));
    ctx.pipeToSelf(CompletableFuture.supplyAsync(this::prepare, blocking),
        (prepared, failure) -> failure == null ? prepared : new Prepared(null, null, false, failure));
  }

  /** On the disk pool: opens the storage and works out, from the resume data, what needs hashing. */
  private Prepared prepare() {
    try {
      TorrentStorage opened = TorrentStorage.open(metainfo.info(), job.directory(), settings.maxOpenFiles());
      PieceChecker checker = new PieceChecker(opened);
      Bitfield trusted = new Bitfield(metainfo.info().pieceCount());
      if (start.trustResume && job.resumeFile().isPresent()) {
        try {
          trusted = checker.trusted(job.resumeFile().get());
        } catch (MalformedMessageException e) {
          log.warn("{}: resume data {} is unusable ({}); checking the files instead", shown,
              job.resumeFile().get(), e.getMessage());
        }
      }
      return new Prepared(opened, trusted, checker.needsCheck(trusted), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Behavior<Command> onPrepared(Prepared msg) {
    if (msg.failure() != null || !msg.needsCheck()) {
      return onChecked(new Checked(msg.storage(), msg.trusted(), 0, msg.failure()));
    }
    storage = msg.storage();
    trustedAtStart = msg.trusted();
    node.checking().tell(new Checking.Enter(ctx.getSelf()));
    return this;
  }

  private Behavior<Command> onMayCheck() {
    listener.tell(status(Status.State.CHECKING, null));
    TorrentStorage opened = storage;
    Bitfield trusted = trustedAtStart;
    ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> {
      try {
        PieceChecker.Check check = new PieceChecker(opened).checkExisting(trusted);
        return new Checked(opened, check.have(), check.hashedBytes(), null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, blocking), (checked, failure) -> failure == null ? checked : new Checked(opened, null, 0, failure));
    return this;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Prepared.class, this::onPrepared)
        .onMessageEquals(MayCheck.INSTANCE, this::onMayCheck)
        .onMessage(ResumeSaved.class, msg -> {
          msg.replyTo().tell(Stopped.INSTANCE);
          return Behaviors.stopped();
        })
        .onMessage(Checked.class, this::onChecked)
        .onMessage(FromConnection.class, this::onConnectionEvent)
        .onMessage(BlockWritten.class, this::onBlockWritten)
        .onMessage(PieceChecked.class, this::onPieceChecked)
        .onMessage(ConnectionGone.class, this::onConnectionGone)
        .onMessage(AddPeers.class, msg -> addCandidates(msg.peers()))
        .onMessage(GetPeers.class, this::onGetPeers)
        .onMessageEquals(Reannounce.INSTANCE, () -> {
          if (tracker != null) {
            tracker.tell(TrackerClient.Reannounce.INSTANCE);
          }
          return this;
        })
        .onMessage(TrackerPeers.class, this::onTrackerPeers)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessageEquals(ChokeRound.INSTANCE, this::onChokeRound)
        .onMessage(Stop.class, this::onStop)
        .onMessage(TrackerStopped.class, this::onTrackerStopped)
        .onMessage(Crash.class, crash -> {
          throw new IllegalStateException("crash injected by a test");
        })
        .onSignal(PreRestart.class, signal -> closeEverything())
        .onSignal(PostStop.class, signal -> closeEverything())
        .build();
  }

  // ---- start: check the disk, then join the swarm ------------------------------------------------

  private Behavior<Command> onChecked(Checked msg) {
    node.checking().tell(new Checking.Leave(ctx.getSelf()));
    trustedAtStart = null;
    checkedBytes = msg.hashedBytes();
    if (msg.failure() != null) {
      String problem = "cannot use " + job.directory() + " for " + metainfo.info().name() + ": "
          + describe(msg.failure());
      ctx.getLog().error(Printable.escape(problem));
      failed = true;
      listener.tell(status(Status.State.FAILED, problem));
      return Behaviors.stopped();
    }
    storage = msg.storage();
    writes = new PieceWrites(storage, blocking);
    served = new ServedTorrent(metainfo, storage, msg.have(), rates);
    picker = new PiecePicker<>(metainfo.info(), msg.have(), random);
    seedingFromStart = picker.isComplete();
    startedNanos = System.nanoTime();
    String found = job.resumeFile().isEmpty() ? "" : checkedBytes == 0 ? " (resume data; nothing hashed)"
        : " (hashed " + checkedBytes + " bytes)";
    if (!start.run) {
      ctx.getLog().info("{}: {} of {} pieces on disk{}, stopped", shown, picker.piecesHave(),
          picker.pieceCount(), found);
      listener.tell(status(currentState(), null));
      return stopAndSave(ctx.getSystem().ignoreRef());
    }
    ctx.getLog().info("{}: {} of {} pieces on disk{}{}", shown, picker.piecesHave(),
        picker.pieceCount(), found, seedingFromStart ? ", seeding" : ", downloading the rest");
    if (checkedBytes > 0) {
      saveResume(storage, picker.have()); // what the check found, so that the next start need not hash it
    }
    if (!job.trackers().isEmpty()) {
      ActorRef<TrackerClient.Peers> peers = ctx.messageAdapter(TrackerClient.Peers.class, TrackerPeers::new);
      tracker = ctx.spawn(Session.supervised(TrackerClient.create(
          new TrackerClient.Subject(metainfo.infoHash(), node.ourId(), listenPort, job.trackers()),
          settings.trackerRetryBase(), peers, announceCounts, node.udp())), "tracker");
      tracker.tell(progress());
    }
    ticking = true;
    timers.startTimerWithFixedDelay(ChokeRound.INSTANCE, settings.chokeInterval());
    listener.tell(status(currentState(), null));
    return addCandidates(job.peers());
  }

  private Status.State currentState() {
    return picker.isComplete() ? Status.State.SEEDING : Status.State.DOWNLOADING;
  }

  // ---- peers and connections ------------------------------------------------------------------

  private Behavior<Command> onConnectionEvent(FromConnection msg) {
    Connection.Event event = msg.event();
    if (event instanceof Connection.BlocksArrived e) {
      return onBlocksArrived(e);
    } else if (event instanceof Connection.Served e) {
      return onServed(e);
    } else if (event instanceof Connection.RemoteHasPiece e) {
      return onRemoteHasPiece(e);
    } else if (event instanceof Connection.RemoteHas e) {
      return onRemoteHas(e);
    } else if (event instanceof Connection.RemoteChokes e) {
      return onRemoteChokes(e);
    } else if (event instanceof Connection.RemoteInterest e) {
      return onRemoteInterest(e);
    } else if (event instanceof Connection.Handshaken e) {
      return onHandshaken(e);
    }
    return this; // the metadata phase's events: a Download's connections never have one
  }

  private Behavior<Command> onTrackerPeers(TrackerPeers msg) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (PeerAddress p : msg.peers().peers()) {
      addresses.add(p.toSocketAddress());
    }
    ctx.getLog().debug("{}: {} peers from {}", shown, addresses.size(), msg.peers().tracker());
    return addCandidates(addresses);
  }

  private Behavior<Command> addCandidates(List<InetSocketAddress> addresses) {
    long now = System.nanoTime();
    peerList.add(addresses.stream().filter(a -> a.isUnresolved() || !strikes.isBanned(a.getAddress(), now)).toList());
    dialMore();
    return this;
  }

  private void dialMore() {
    if (picker == null || failed) {
      return;
    }
    int dialling = 0;
    for (Remote r : remotes.values()) {
      if (r.dialled && !r.welcomed) {
        dialling++;
      }
    }
    int room = Math.min(settings.maxPeersPerTorrent() - remotes.size(), settings.maxHalfOpen() - dialling);
    if (room <= 0) {
      return;
    }
    for (InetSocketAddress address : peerList.takeDue(room, System.nanoTime())) {
      ActorRef<Connection.Command> ref = ctx.spawnAnonymous(
          Connection.dial(address, metainfo.infoHash(), connectionEvents, node));
      ctx.watchWith(ref, new ConnectionGone(ref));
      remotes.put(ref, new Remote(ref, address, true));
    }
  }

  private Behavior<Command> onHandshaken(Connection.Handshaken msg) {
    Remote r = remotes.get(msg.connection());
    String refusal = null;
    if (picker == null || failed) {
      refusal = "the torrent is not ready";
    } else if (msg.peerId().equals(node.ourId())) {
      refusal = "it is ourselves";
      peerList.isUs(msg.address());
    } else if (strikes.isBanned(msg.address().getAddress(), System.nanoTime())) {
      refusal = "its address is banned";
    } else if (remotes.values().stream().anyMatch(o -> o.welcomed && msg.peerId().equals(o.id))) {
      refusal = "we are already connected to it";
    } else if (r == null && remotes.size() >= settings.maxPeersPerTorrent()) {
      refusal = "the torrent has " + remotes.size() + " connections";
    }
    if (refusal != null) {
      ctx.getLog().debug("{}: refused {}: {}", shown, msg.address(), refusal);
      msg.connection().tell(new Connection.Refuse(refusal));
      return this;
    }
    if (r == null) {
      r = new Remote(msg.connection(), msg.address(), false);
      remotes.put(r.ref, r);
      ctx.watchWith(r.ref, new ConnectionGone(r.ref));
    }
    r.id = msg.peerId();
    r.welcomed = true;
    ctx.getLog().debug("{}: connected to {} ({})", shown, msg.address(),
        msg.dialled() ? "dialled" : "answered");
    r.ref.tell(new Connection.Welcome(connectionEvents, served, picker.have()));
    return this;
  }

  private Behavior<Command> onConnectionGone(ConnectionGone msg) {
    Remote r = remotes.get(msg.connection());
    if (r == null) {
      return this;
    }
    if (picker != null) {
      forget(r);
    } else {
      remotes.remove(r.ref);
    }
    if (r.dialled) {
      if (r.seeder && picker != null && picker.isComplete()) {
        peerList.forget(r.address);
      } else if (r.welcomed) {
        peerList.lost(r.address, System.nanoTime());
      } else {
        peerList.dialFailed(r.address, System.nanoTime());
      }
    }
    requestFromAll();
    dialMore();
    return this;
  }

  /** A message from a connection we do not know (it outlived a restart): close it. */
  private Remote known(ActorRef<Connection.Command> connection) {
    Remote r = remotes.get(connection);
    if (r == null || !r.welcomed) {
      connection.tell(new Connection.Close("unknown to the torrent"));
      return null;
    }
    return r;
  }

  private Behavior<Command> onRemoteHas(Connection.RemoteHas msg) {
    Remote r = known(msg.connection());
    if (r != null) {
      picker.peerHas(r.ref, msg.pieces());
      afterRemoteHas(r, msg.pieces().isComplete());
    }
    return this;
  }

  private Behavior<Command> onRemoteHasPiece(Connection.RemoteHasPiece msg) {
    Remote r = known(msg.connection());
    if (r != null) {
      picker.peerHasPiece(r.ref, msg.piece());
      afterRemoteHas(r, false);
    }
    return this;
  }

  private void afterRemoteHas(Remote r, boolean complete) {
    r.seeder = r.seeder || complete;
    if (r.seeder && picker.isComplete()) {
      r.ref.tell(new Connection.Close("both of us are seeding"));
      return;
    }
    updateInterest(r);
    requestFrom(r);
  }

  private void updateInterest(Remote r) {
    boolean want = picker.interesting(r.ref);
    if (want != r.weAreInterested) {
      r.weAreInterested = want;
      r.ref.tell(new Connection.Interest(want));
    }
  }

  private Behavior<Command> onRemoteChokes(Connection.RemoteChokes msg) {
    Remote r = known(msg.connection());
    if (r == null) {
      return this;
    }
    r.chokesUs = msg.choked();
    if (r.chokesUs) {
      picker.releaseRequests(r.ref);
      r.outstanding.clear();
      requestFromAll();
    } else {
      requestFrom(r);
    }
    return this;
  }

  private Behavior<Command> onRemoteInterest(Connection.RemoteInterest msg) {
    Remote r = known(msg.connection());
    if (r == null) {
      return this;
    }
    r.interestedInUs = msg.interested();
    if (r.interestedInUs && r.weChoke) {
      long unchoked = remotes.values().stream().filter(o -> !o.weChoke).count();
      // A free slot goes at once, so that a newcomer need not wait for the next round.
      if (unchoked < settings.unchokeSlots() + 1L) {
        choke(r, false);
      }
    }
    return this;
  }

  private void choke(Remote r, boolean choke) {
    if (r.weChoke != choke) {
      r.weChoke = choke;
      r.ref.tell(new Connection.Choking(choke));
    }
  }

  private Behavior<Command> onGetPeers(GetPeers msg) {
    List<PeerSnapshot> peers = new ArrayList<>();
    double seconds = Math.max(1.0, (System.nanoTime() - roundStartNanos) / 1e9);
    for (Remote r : remotes.values()) {
      if (r.welcomed) {
        peers.add(new PeerSnapshot(r.address, ClientNames.of(r.id), !r.dialled, r.weChoke, r.interestedInUs,
            r.chokesUs, r.weAreInterested, Math.round(r.downloadedThisRound / seconds),
            Math.round(r.uploadedThisRound / seconds),
            picker == null ? 0 : (double) picker.piecesOf(r.ref) / metainfo.info().pieceCount()));
      }
    }
    msg.replyTo().tell(List.copyOf(peers));
    return this;
  }

  private Behavior<Command> onChokeRound() {
    roundStartNanos = System.nanoTime();
    List<Choker.Candidate<ActorRef<Connection.Command>>> round = new ArrayList<>();
    for (Remote r : remotes.values()) {
      if (r.welcomed) {
        round.add(new Choker.Candidate<>(r.ref, r.interestedInUs, r.downloadedThisRound, r.uploadedThisRound));
        r.downloadedThisRound = 0;
        r.uploadedThisRound = 0;
      }
    }
    Set<ActorRef<Connection.Command>> unchoke = choker.decide(round, picker != null && picker.isComplete());
    for (Remote r : remotes.values()) {
      if (r.welcomed) {
        choke(r, !unchoke.contains(r.ref));
      }
    }
    return this;
  }

  private Behavior<Command> onServed(Connection.Served msg) {
    Remote r = remotes.get(msg.connection());
    uploaded += msg.bytes();
    if (r != null) {
      r.uploadedThisRound += msg.bytes();
    }
    return this;
  }

  // ---- blocks in ------------------------------------------------------------------------------

  private void requestFromAll() {
    if (picker == null) {
      return;
    }
    for (Remote r : remotes.values()) {
      requestFrom(r);
    }
  }

  private void requestFrom(Remote r) {
    if (!r.welcomed || r.chokesUs || !r.weAreInterested || failed) {
      return;
    }
    int room = settings.requestQueueDepth() - r.outstanding.size();
    // Refill in batches: one message and one write for many requests, not one per block.
    if (room < Math.min(REFILL_BATCH, settings.requestQueueDepth()) && !r.outstanding.isEmpty()) {
      return;
    }
    List<BlockRequest> picked = picker.pick(r.ref, room);
    if (picked.isEmpty()) {
      return;
    }
    if (r.outstanding.isEmpty()) {
      r.lastBlockNanos = System.nanoTime();
    }
    r.outstanding.addAll(picked);
    r.ref.tell(new Connection.Requests(picked));
  }

  private Behavior<Command> onBlocksArrived(Connection.BlocksArrived msg) {
    Remote r = known(msg.connection());
    if (r == null) {
      return this;
    }
    r.lastBlockNanos = System.nanoTime();
    Map<Integer, List<PeerMessage.Piece>> toWrite = new LinkedHashMap<>();
    int dropped = 0;
    for (PeerMessage.Piece piece : msg.blocks()) {
      int length = piece.block().remaining();
      BlockRequest block = new BlockRequest(piece.piece(), piece.begin(), length);
      r.outstanding.remove(block);
      BlockReceipt<ActorRef<Connection.Command>> receipt =
          picker.blockReceived(r.ref, piece.piece(), piece.begin(), length);
      switch (receipt.status()) {
        case ACCEPTED -> {
          downloaded += length;
          r.downloadedThisRound += length;
          for (ActorRef<Connection.Command> other : receipt.cancelFrom()) {
            Remote o = remotes.get(other);
            if (o != null && o.outstanding.remove(block)) {
              o.ref.tell(new Connection.Cancel(block));
            }
          }
          writes.accepted(piece.piece(), receipt.pieceComplete());
          toWrite.computeIfAbsent(piece.piece(), p -> new ArrayList<>()).add(piece);
        }
        case INVALID -> {
          r.ref.tell(new Connection.Close("a block that is not a block of the torrent: " + block));
          return this;
        }
        case REDUNDANT, UNSOLICITED -> dropped++;
      }
    }
    if (dropped > 0) {
      r.ref.tell(new Connection.Stored(dropped));
    }
    toWrite.forEach((piece, blocks) -> write(r.ref, piece, blocks));
    requestFrom(r);
    return this;
  }

  private void write(ActorRef<Connection.Command> from, int piece, List<PeerMessage.Piece> blocks) {
    ctx.pipeToSelf(writes.write(piece, blocks), (ok, failure) -> new BlockWritten(from, piece, blocks.size(), failure));
  }

  private Behavior<Command> onBlockWritten(BlockWritten msg) {
    msg.connection().tell(new Connection.Stored(msg.blocks()));
    if (failed || !writes.writing(msg.piece())) {
      return this; // a write started before a restart or a storage failure
    }
    if (msg.failure() != null) {
      return storageFailed("cannot write piece " + msg.piece() + " of " + metainfo.info().name() + " under "
          + job.directory(), msg.failure());
    }
    if (writes.written(msg.piece(), msg.blocks())) {
      int piece = msg.piece();
      ctx.pipeToSelf(writes.verify(piece), (valid, failure) -> new PieceChecked(piece, failure == null && valid,
          failure));
    }
    return this;
  }

  private Behavior<Command> onPieceChecked(PieceChecked msg) {
    if (!writes.checked(msg.piece()) || failed) {
      return this; // a check started before a restart or a storage failure
    }
    if (msg.failure() != null) {
      return storageFailed("cannot read piece " + msg.piece() + " of " + metainfo.info().name()
          + " back to check it", msg.failure());
    }
    if (msg.valid()) {
      pieceVerified(msg.piece());
    } else {
      pieceFailed(msg.piece());
    }
    return this;
  }

  /**
   * A disk that refuses a write or a read (full, read-only, gone) is not mended by trying again:
   * the torrent stops with the reason. What it verified stays on disk, where the next start finds it.
   */
  private Behavior<Command> storageFailed(String what, Throwable failure) {
    String problem = what + ": " + describe(failure) + "; the " + picker.piecesHave() + " verified pieces are kept,"
        + " and a new start fetches only the rest";
    ctx.getLog().error(Printable.escape(problem));
    failed = true;
    listener.tell(status(Status.State.FAILED, problem));
    closeEverything();
    return onStop(new Stop(ctx.getSystem().ignoreRef()));
  }

  private void pieceVerified(int piece) {
    picker.pieceVerified(piece);
    served.update(picker.have());
    for (Remote r : remotes.values()) {
      if (r.welcomed) {
        r.ref.tell(new Connection.Have(piece));
        updateInterest(r);
      }
    }
    if (picker.isComplete()) {
      completed();
    }
  }

  private void pieceFailed(int piece) {
    hashFailures++;
    Set<ActorRef<Connection.Command>> contributors = picker.pieceFailed(piece);
    List<String> who = new ArrayList<>();
    List<InetAddress> present = new ArrayList<>();
    for (ActorRef<Connection.Command> c : contributors) {
      Remote r = remotes.get(c);
      if (r != null && r.id != null) {
        who.add(r.address.toString());
        present.add(r.address.getAddress());
      }
    }
    String from = who.isEmpty() ? "peers that have left" : String.join(", ", who);
    // A liar's every piece fails: one line a minute per sender, with a count of the rest.
    failureLog.admit(from).ifPresent(heldBack -> ctx.getLog().info(
        "{}: piece {} failed its hash check (data from {}); fetching it again{}", shown, piece, from, heldBack));
    for (InetAddress address : strikes.pieceFailed(contributors.size(), present, System.nanoTime())) {
      ban(address);
    }
    requestFromAll();
  }

  /**
   * Drops every connection from the address at once and refuses it, dialled or dialling, for the
   * ban's duration: nothing more it sends is used.
   */
  private void ban(InetAddress address) {
    ctx.getLog().warn("{}: banned {} for {}: its data keeps failing hash checks", shown,
        address.getHostAddress(), settings.banDuration());
    peerList.forgetHost(address);
    for (Remote r : List.copyOf(remotes.values())) {
      if (address.equals(r.address.getAddress())) {
        forget(r);
        r.ref.tell(new Connection.Close("banned"));
      }
    }
  }

  private void forget(Remote r) {
    remotes.remove(r.ref);
    picker.peerGone(r.ref);
    choker.peerGone(r.ref);
  }

  private void completed() {
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    ctx.getLog().info("{}: download complete, {} bytes fetched in {} s ({} MB/s); seeding", shown,
        downloaded, String.format(Locale.ROOT, "%.2f", seconds),
        String.format(Locale.ROOT, "%.1f", downloaded / 1e6 / Math.max(seconds, 1e-3)));
    if (tracker != null) {
      tracker.tell(progress());
      tracker.tell(TrackerClient.Completed.INSTANCE);
    }
    for (Remote r : remotes.values()) {
      if (r.welcomed && r.seeder) {
        r.ref.tell(new Connection.Close("both of us are seeding"));
      }
    }
    listener.tell(status(Status.State.SEEDING, null));
    saveResume(storage, picker.have());
  }

  // ---- housekeeping ---------------------------------------------------------------------------

  private Behavior<Command> onTick() {
    if (!ticking) {
      return this; // still checking or loading: nothing to look after yet
    }
    long now = System.nanoTime();
    long timeout = settings.requestTimeout().toNanos();
    for (Remote r : remotes.values()) {
      if (!r.outstanding.isEmpty() && now - r.lastBlockNanos > timeout) {
        ctx.getLog().debug("{}: {} sent none of {} blocks in {}", shown, r.address,
            r.outstanding.size(), settings.requestTimeout());
        r.ref.tell(new Connection.Close("stalled"));
      }
    }
    if (tracker != null) {
      tracker.tell(progress());
    }
    dialMore();
    if (picker.piecesHave() != piecesAtLastSave && now - lastSaveNanos > settings.resumeSaveInterval().toNanos()) {
      saveResume(storage, picker.have());
    }
    listener.tell(status(currentState(), null));
    return this;
  }

  private TrackerClient.Progress progress() {
    return new TrackerClient.Progress(uploaded, downloaded, picker.missingBytes());
  }

  private Status status(Status.State state, String problem) {
    int welcomed = 0;
    int sending = 0;
    int getting = 0;
    for (Remote r : remotes.values()) {
      if (r.welcomed) {
        welcomed++;
        sending += !r.chokesUs && r.weAreInterested ? 1 : 0;
        getting += !r.weChoke && r.interestedInUs ? 1 : 0;
      }
    }
    return new Status(metainfo, job.directory(), state, picker == null ? 0 : picker.piecesHave(),
        picker == null ? 0 : picker.verifiedBytes(), downloaded, uploaded, welcomed, sending, getting, checkedBytes,
        hashFailures,
        picker == null ? new Bitfield(metainfo.info().pieceCount()) : picker.have(),
        picker == null ? new Bitfield(metainfo.info().pieceCount()) : picker.inProgress(), problem,
        announceCounts.snapshot());
  }

  private Behavior<Command> onStop(Stop msg) {
    if (tracker == null) {
      return stopAndSave(msg.replyTo());
    }
    // The client answers within its own bound; the ask's is only a guard against an actor that never does.
    Duration guard = TrackerClient.stopTimeout(ctx.getSystem().settings().config()).plusSeconds(5);
    ctx.ask(TrackerClient.Stopped.class, tracker, guard, TrackerClient.Stop::new,
        (stopped, failure) -> new TrackerStopped(msg.replyTo()));
    return this;
  }

  private Behavior<Command> onTrackerStopped(TrackerStopped msg) {
    return stopAndSave(msg.replyTo());
  }

  /** Closes everything, saves the resume data once the files are closed (so their times are final), and stops. */
  private Behavior<Command> stopAndSave(ActorRef<Stopped> replyTo) {
    TorrentStorage closing = storage;
    Bitfield have = picker == null ? null : picker.have();
    closeEverything();
    if (job.resumeFile().isEmpty() || closing == null || have == null) {
      replyTo.tell(Stopped.INSTANCE);
      return Behaviors.stopped();
    }
    ctx.pipeToSelf(saveResume(closing, have), (ok, failure) -> new ResumeSaved(replyTo));
    return this;
  }

  /**
   * Writes the resume data on the disk pool: the verified pieces and the files' sizes and times.
   * Writes still in flight may change a file's time after this; the next start then checks that
   * file again rather than trust it.
   */
  private CompletableFuture<Void> saveResume(TorrentStorage target, Bitfield have) {
    if (job.resumeFile().isEmpty() || target == null) {
      return resumeSaves;
    }
    piecesAtLastSave = have.cardinality();
    lastSaveNanos = System.nanoTime();
    Path file = job.resumeFile().get();
    resumeSaves = resumeSaves.thenRunAsync(() -> {
      try {
        AtomicFile.write(file, new ResumeData(have, target.stamps()).encode());
      } catch (IOException e) {
        log.warn("{}: cannot save resume data to {}: {}", shown, file, e.getMessage());
      }
    }, blocking);
    return resumeSaves;
  }

  /** Closes every connection (answered ones are not our children) and the files. */
  private Behavior<Command> closeEverything() {
    timers.cancelAll();
    for (Iterator<Remote> it = remotes.values().iterator(); it.hasNext(); ) {
      it.next().ref.tell(new Connection.Close("the torrent stopped"));
      it.remove();
    }
    if (storage != null) {
      try {
        storage.close();
      } catch (IOException e) {
        ctx.getLog().warn("{}: closing files: {}", shown, e.getMessage());
      }
      storage = null;
    }
    return Behaviors.same();
  }

  /** The message of what went wrong, from under the wrappers an asynchronous task puts around it. */
  /** A failure in one line, for a log or a client. */
  static String describe(Throwable t) {
    while ((t instanceof CompletionException || t instanceof UncheckedIOException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof FileAlreadyExistsException exists && exists.getReason() == null) {
      return exists.getFile() + ": already exists";
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
