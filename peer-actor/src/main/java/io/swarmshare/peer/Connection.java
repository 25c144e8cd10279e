package io.swarmshare.peer;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.peer.pieces.BlockRequest;
import io.swarmshare.peer.wire.AskedBlocks;
import io.swarmshare.peer.wire.Extensions;
import io.swarmshare.peer.wire.Inbound;
import io.swarmshare.peer.wire.PeerConnection;
import io.swarmshare.peer.wire.UnchokeDebounce;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

/**
 * One TCP connection to a remote peer, carrying both directions (BEP 3). It speaks the wire and
 * serves uploads on its own; everything that concerns the whole torrent (which blocks to ask for,
 * whom to choke, what a block is worth) belongs to its owner (the torrent's {@link Download}),
 * which it reports to in its own protocol, {@link Event}, and takes orders from.
 *
 * <p>A connection starts in its {@link Handshaking} phase: dialled connections greet at once and
 * report the remote's handshake to the owner that dialled them; answered ones read the remote's
 * handshake first and report it to a router (the {@link Session}), which hands it to the
 * torrent's owner; they greet once the owner takes them ({@link Welcome}), and only then is this
 * behaviour the connection's. Blocks that
 * arrive go to the owner to be written; past {@code write-queue} unwritten blocks, or while the
 * download rate limit says wait, the socket is not read. Requested blocks are read from disk on
 * the disk pool, only while the outbound queue has room and the upload rate limit allows.
 */
public final class Connection extends AbstractBehavior<Connection.Command> {

  public sealed interface Command
      permits Welcome, FetchMetadata, Refuse, Choking, Interest, Requests, Cancel, Have, Stored, Close,
          Wire, MetadataTimedOut, BlockRead, KeepAlive, Resume, ReadAgain, UnchokeDue, ReportUploads, Crash {}

  /**
   * The owner takes the connection: from now on events go to {@code owner}; {@code have} is what
   * we hold now, for our bitfield.
   */
  public record Welcome(ActorRef<Event> owner, ServedTorrent torrent, Bitfield have) implements Command {}

  /**
   * The torrent is known only by its info hash: the connection asks the remote for its metadata
   * ({@link FetchingMetadata}) and tells {@code owner} what came of it. On a connection the remote dialled, our handshake answers first.
   */
  public record FetchMetadata(ActorRef<Event> owner) implements Command {}

  /** A test seam, never sent by production code: fails the actor, to show what follows. */
  public record Crash() implements Command {}

  /** The owner will not take the connection. */
  public record Refuse(String reason) implements Command {}

  /** Choke (true) or unchoke (false) the remote: whether we serve its requests. */
  public record Choking(boolean choke) implements Command {}

  /** Whether we want something the remote has. */
  public record Interest(boolean interested) implements Command {}

  /** Blocks to ask the remote for. */
  public record Requests(List<BlockRequest> blocks) implements Command {}

  /** A request we no longer need answered. */
  public record Cancel(BlockRequest block) implements Command {}

  /** We verified a piece: tell the remote. */
  public record Have(int piece) implements Command {}

  /** Blocks we handed to the owner have been written or dropped: room for more. */
  public record Stored(int blocks) implements Command {}

  /** Closes the connection after what is queued has been sent. */
  public record Close(String reason) implements Command {}

  /** What the stream reports; {@link Handshaking} hears it first. */
  record Wire(PeerConnection.Event event) implements Command {}

  /** The remote did not send the whole metadata in time ({@link FetchingMetadata}). */
  enum MetadataTimedOut implements Command {
    INSTANCE
  }

  /** Consecutive requested blocks, read from disk together. */
  private record BlockRead(List<PeerMessage.Request> requests, ByteBuffer bytes, Throwable failure)
      implements Command {}

  private enum KeepAlive implements Command {
    INSTANCE
  }

  /** Time to read the next block, which the upload rate limit held back. */
  private enum Resume implements Command {
    INSTANCE
  }

  /** Time to tell the owner what we uploaded since the last report. */
  private enum ReportUploads implements Command {
    INSTANCE
  }

  private static final Duration REPORT_INTERVAL = Duration.ofSeconds(1);
  private static final long REPORT_BYTES = 1 << 20;
  /** The most bytes of consecutive requests read from disk at once. */
  private static final int READ_RUN = 256 * 1024;

  /** Time to look again whether the socket may be read. */
  private enum ReadAgain implements Command {
    INSTANCE
  }

  /** Time to look again whether the remote's unchoke may be passed on to the owner. */
  private enum UnchokeDue implements Command {
    INSTANCE
  }

  // ---- what a connection tells its owner ------------------------------------------------------

  /** What a connection reports: to its router until an owner takes it, then to the owner. */
  public sealed interface Event permits Handshaken, RemoteHas, RemoteHasPiece, RemoteChokes, RemoteInterest,
      BlocksArrived, Served, MetadataFetched, MetadataUnavailable {
    ActorRef<Command> connection();
  }

  /** The remote's handshake was read: the connection waits for {@link Welcome} or {@link Refuse}. */
  public record Handshaken(ActorRef<Command> connection, InfoHash infoHash, PeerId peerId, InetSocketAddress address,
      boolean dialled) implements Event {}

  public record RemoteHas(ActorRef<Command> connection, Bitfield pieces) implements Event {}

  public record RemoteHasPiece(ActorRef<Command> connection, int piece) implements Event {}

  public record RemoteChokes(ActorRef<Command> connection, boolean choked) implements Event {}

  public record RemoteInterest(ActorRef<Command> connection, boolean interested) implements Event {}

  /** Blocks the remote sent; the connection waits for {@link Stored} for each. */
  public record BlocksArrived(ActorRef<Command> connection, List<PeerMessage.Piece> blocks) implements Event {}

  /** The connection sent the remote {@code bytes} of blocks since it last said so. */
  public record Served(ActorRef<Command> connection, long bytes) implements Event {}

  /** The remote sent the whole info dictionary, and it hashes to the info hash. */
  public record MetadataFetched(ActorRef<Command> connection, byte[] metadata) implements Event {}

  /** The remote cannot or will not give us the metadata; the connection waits to be closed, or is gone. */
  public record MetadataUnavailable(ActorRef<Command> connection, InetSocketAddress address, String why)
      implements Event {}

  /** A connection we open to {@code remote} for the torrent {@code infoHash}, reporting to {@code owner}. */
  public static Behavior<Command> dial(InetSocketAddress remote, InfoHash infoHash, ActorRef<Event> owner,
      SessionContext node) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Flow<ByteString, ByteString, ?> transport = Tcp.get(ctx.getSystem()).outgoingConnection(remote,
          Optional.empty(), List.of(), false, Optional.of(node.settings().connectTimeout()), Optional.empty());
      PeerConnection connection = open(ctx, transport, node);
      connection.greet(Handshake.of(infoHash, node.ourId()).withExtensionProtocol());
      return new Handshaking(ctx, timers, connection, remote, node, owner, infoHash);
    }));
  }

  /** A connection {@code remote} opened to us; {@code router} finds the owner of the torrent it asks for. */
  public static Behavior<Command> answer(Flow<ByteString, ByteString, ?> transport, InetSocketAddress remote,
      ActorRef<Event> router, SessionContext node) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(
        timers -> new Handshaking(ctx, timers, open(ctx, transport, node), remote, node, router, null)));
  }

  private static PeerConnection open(ActorContext<Command> ctx, Flow<ByteString, ByteString, ?> transport,
      SessionContext node) {
    ActorRef<PeerConnection.Event> events = ctx.messageAdapter(PeerConnection.Event.class, Wire::new);
    return PeerConnection.open(transport, events, node.settings().connectionLimits(), ctx.getSystem());
  }

  /**
   * The connection proper, once {@code welcome} took it out of its {@link Handshaking} phase: it
   * greets if the remote dialled ({@code answered}), sends our bitfield and, to a remote that
   * speaks BEP 10 ({@code theirs}), our extension handshake, and handles what arrived with the
   * handshake.
   */
  static Behavior<Command> welcomed(ActorContext<Command> ctx, TimerScheduler<Command> timers, PeerConnection connection,
      InetSocketAddress remote, SessionContext node, Welcome welcome, Handshake theirs, boolean answered,
      Deque<Inbound> backlog, ActorRef<PeerConnection.Ack> heldAck) {
    Connection c = new Connection(ctx, timers, connection, remote, node, welcome, backlog, heldAck);
    if (answered) {
      connection.greet(Handshake.of(welcome.torrent().infoHash(), node.ourId()).withExtensionProtocol());
    }
    if (!welcome.have().isEmpty()) {
      connection.send(PeerMessage.BitfieldMessage.of(welcome.have()));
    }
    if (theirs.supportsExtensions()) {
      connection.send(c.extensions.ourHandshake());
    }
    timers.startTimerWithFixedDelay(KeepAlive.INSTANCE, node.settings().keepAliveInterval());
    timers.startTimerWithFixedDelay(ReportUploads.INSTANCE, REPORT_INTERVAL);
    return c.drain();
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final PeerConnection connection;
  private final InetSocketAddress remote;
  private final PeerSettings settings;
  private final Executor blocking;

  /** Whom events go to: the owner that welcomed the connection. */
  private final ActorRef<Event> owner;
  private final ServedTorrent torrent;
  /** BEP 10 on this connection: the remote's extension ids, and the metadata requests we answer. */
  private final Extensions extensions;
  /** The acknowledgement we hold back while the disk or the rate limit catches up. */
  private ActorRef<PeerConnection.Ack> heldAck;
  /** What arrived and is not handled yet: the rest of a batch, first the one that came with the remote's handshake. */
  private final Deque<Inbound> backlog;
  /** System.nanoTime() before which the download rate limit lets us read nothing; 0 when it does not. */
  private long throttledUntil;
  private int unwrittenBlocks;
  /** Which blocks arriving were asked for: only those go to the owner and count against the download limit. */
  private final AskedBlocks asked;
  private int unrequestedBlocks;
  private final UnchokeDebounce remoteChoke;
  private long ignoredRequests;

  private boolean choking = true;
  private final Deque<PeerMessage.Request> requests = new ArrayDeque<>();
  /** Blocks being read from disk or waiting in the outbound queue. */
  private int uploadsInFlight;
  /** System.nanoTime() when a block last left, or when blocks began to wait with none leaving. */
  private long uploadProgressNanos;
  /** Whether the upload rate limit has been asked for the first queued request, and when it may go. */
  private boolean headReserved;
  private long unreportedUploads;
  private long headDueNanos;

  private Connection(ActorContext<Command> ctx, TimerScheduler<Command> timers, PeerConnection connection,
      InetSocketAddress remote, SessionContext node, Welcome welcome, Deque<Inbound> backlog,
      ActorRef<PeerConnection.Ack> heldAck) {
    super(ctx);
    this.ctx = ctx;
    this.timers = timers;
    this.connection = connection;
    this.remote = remote;
    this.settings = node.settings();
    this.owner = welcome.owner();
    this.torrent = welcome.torrent();
    this.extensions = new Extensions(torrent.metadata(), settings.metadata().extraRequests());
    this.blocking = node.disk();
    this.backlog = backlog;
    this.heldAck = heldAck;
    this.asked = new AskedBlocks(settings.requestQueueDepth());
    this.remoteChoke = new UnchokeDebounce(settings.unchokeDebounce(), settings.maxUnchokesPerMinute());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Wire.class, this::onWire)
        .onMessage(Close.class, this::onClose)
        .onMessage(Choking.class, this::onChoking)
        .onMessage(Interest.class, this::onInterest)
        .onMessage(Requests.class, this::onRequests)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(Have.class, this::onHave)
        .onMessage(Stored.class, this::onStored)
        .onMessage(BlockRead.class, this::onBlockRead)
        .onMessageEquals(KeepAlive.INSTANCE, this::onKeepAlive)
        .onMessageEquals(Resume.INSTANCE, this::onResume)
        .onMessageEquals(ReadAgain.INSTANCE, this::onReadAgain)
        .onMessageEquals(UnchokeDue.INSTANCE, () -> tellOwner(remoteChoke.due(System.nanoTime())))
        .onMessageEquals(ReportUploads.INSTANCE, this::onReportTick)
        .onMessage(Crash.class, crash -> {
          throw new IllegalStateException("crash injected by a test");
        })
        .onSignal(PostStop.class, stop -> {
          // Closed already unless the actor failed; then the socket goes too.
          connection.abort(new IllegalStateException("the connection's actor stopped"));
          // What was sent since the last report still counts when the connection ends.
          return reportUploads();
        })
        .build();
  }

  // ---- the remote speaks ------------------------------------------------------------------------

  private Behavior<Command> onWire(Wire msg) {
    PeerConnection.Event event = msg.event();
    if (event == PeerConnection.BlockSent.INSTANCE) {
      return onBlockSent();
    }
    Optional<Behavior<Command>> openedOrEnded = openedOrEnded(ctx, remote, event);
    if (openedOrEnded.isPresent()) {
      return openedOrEnded.get();
    }
    PeerConnection.Received received = (PeerConnection.Received) event;
    heldAck = received.ackTo();
    backlog.addAll(received.inbound());
    return drain();
  }

  /**
   * Handles what arrived, in order; the blocks among it that we asked for go to the owner together.
   */
  private Behavior<Command> drain() {
    List<PeerMessage.Piece> blocks = new ArrayList<>();
    Behavior<Command> next = this;
    while (!backlog.isEmpty() && next == this) {
      Inbound inbound = backlog.poll();
      if (inbound instanceof Inbound.Greeting) {
        next = refuse("a second handshake");
      } else if (((Inbound.Message) inbound).message() instanceof PeerMessage.Piece piece) {
        if (piece.length() == 0) {
          next = refuse("an empty block");
        } else if (asked.arrived(new BlockRequest(piece.piece(), piece.begin(), piece.length()))) {
          blocks.add(piece);
        } else {
          next = onUnrequested();
        }
      } else {
        next = onMessage(((Inbound.Message) inbound).message());
      }
    }
    if (!blocks.isEmpty()) {
      onBlocks(blocks);
    }
    readOnIfAllowed();
    return next;
  }

  private void onBlocks(List<PeerMessage.Piece> blocks) {
    int bytes = 0;
    for (PeerMessage.Piece b : blocks) {
      bytes += b.block().remaining();
    }
    unwrittenBlocks += blocks.size();
    owner.tell(new BlocksArrived(ctx.getSelf(), blocks));
    long wait = torrent.rates().download().reserve(bytes);
    if (wait > 0) {
      throttledUntil = System.nanoTime() + wait;
      timers.startSingleTimer(ReadAgain.INSTANCE, Duration.ofNanos(wait));
    }
  }

  /**
   * A block we did not ask for: dropped, not charged to the download limit (which would let one
   * remote slow every torrent of the node), and a remote that keeps sending them is let go.
   */
  private Behavior<Command> onUnrequested() {
    if (++unrequestedBlocks > settings.maxUnrequestedBlocks()) {
      return refuse("a remote that sent " + unrequestedBlocks + " blocks we did not ask for");
    }
    return this;
  }

  private Behavior<Command> onMessage(PeerMessage message) {
    int pieceCount = torrent.info().pieceCount();
    if (message instanceof PeerMessage.Request request) {
      return onRequest(request);
    }
    if (message instanceof PeerMessage.Cancel cancel) {
      requests.removeIf(r -> r.piece() == cancel.piece() && r.begin() == cancel.begin() && r.length() == cancel.length());
      return this;
    }
    if (message instanceof PeerMessage.BitfieldMessage bits) {
      try {
        owner.tell(new RemoteHas(ctx.getSelf(), bits.toBitfield(pieceCount)));
      } catch (MalformedMessageException e) {
        return refuse("a bad bitfield: " + e.getMessage());
      }
      return this;
    }
    if (message instanceof PeerMessage.Have have) {
      if (have.piece() < 0 || have.piece() >= pieceCount) {
        return refuse("a have for piece " + have.piece() + " of " + pieceCount);
      }
      owner.tell(new RemoteHasPiece(ctx.getSelf(), have.piece()));
      return this;
    }
    if (message instanceof PeerMessage.Choke) {
      asked.choked();
      return tellOwner(remoteChoke.choke());
    }
    if (message instanceof PeerMessage.Unchoke) {
      return tellOwner(remoteChoke.unchoke(System.nanoTime()));
    }
    if (message instanceof PeerMessage.Interested || message instanceof PeerMessage.NotInterested) {
      owner.tell(new RemoteInterest(ctx.getSelf(), message instanceof PeerMessage.Interested));
    }
    if (message instanceof PeerMessage.Extended extended) {
      return onExtended(extended);
    }
    // keep-alive and port messages need no answer
    return this;
  }

  private Behavior<Command> onExtended(PeerMessage.Extended extended) {
    Optional<PeerMessage> answer;
    try {
      answer = extensions.onExtended(extended);
    } catch (MalformedMessageException e) {
      return refuse(e.getMessage());
    }
    if (answer.isPresent() && !connection.send(answer.get())) {
      return refuse("a remote that does not read (outbound queue full)");
    }
    return this;
  }

  /** Passes the remote's choke or unchoke on to the owner, now, later or not at all. */
  private Behavior<Command> tellOwner(UnchokeDebounce.Verdict verdict) {
    switch (verdict) {
      case CHOKED -> owner.tell(new RemoteChokes(ctx.getSelf(), true));
      case UNCHOKED -> owner.tell(new RemoteChokes(ctx.getSelf(), false));
      case WAIT -> timers.startSingleTimer(UnchokeDue.INSTANCE,
          Duration.ofNanos(remoteChoke.waitNanos(System.nanoTime())));
      case FLAPPING -> {
        return refuse("a remote that unchoked us more than " + settings.maxUnchokesPerMinute() + " times in a minute");
      }
      case NOTHING -> { }
    }
    return this;
  }

  /** Reads the next message unless the owner, the disk or the rate limit wants us to wait. */
  private void readOnIfAllowed() {
    if (heldAck == null || !backlog.isEmpty() || unwrittenBlocks >= settings.writeQueue()) {
      return;
    }
    if (throttledUntil != 0) {
      if (throttledUntil - System.nanoTime() > 0) {
        return;
      }
      throttledUntil = 0;
    }
    heldAck.tell(PeerConnection.Ack.INSTANCE);
    heldAck = null;
  }

  private Behavior<Command> onStored(Stored msg) {
    unwrittenBlocks -= msg.blocks();
    readOnIfAllowed();
    return this;
  }

  private Behavior<Command> onReadAgain() {
    readOnIfAllowed();
    return this;
  }

  // ---- the owner decides ----------------------------------------------------------------------

  private Behavior<Command> onChoking(Choking msg) {
    if (msg.choke() != choking) {
      choking = msg.choke();
      connection.send(choking ? PeerMessage.Choke.INSTANCE : PeerMessage.Unchoke.INSTANCE);
      if (choking) {
        // Without BEP 6 a choke discards what the remote had asked for; it asks again when unchoked.
        requests.clear();
        headReserved = false;
      } else {
        readMoreBlocks();
      }
    }
    return this;
  }

  private Behavior<Command> onInterest(Interest msg) {
    connection.send(msg.interested() ? PeerMessage.Interested.INSTANCE : PeerMessage.NotInterested.INSTANCE);
    return this;
  }

  private Behavior<Command> onRequests(Requests msg) {
    List<PeerMessage.Request> requests = new ArrayList<>(msg.blocks().size());
    for (BlockRequest b : msg.blocks()) {
      requests.add(new PeerMessage.Request(b.piece(), b.begin(), b.length()));
      asked.asked(b);
    }
    if (!connection.sendAll(requests)) {
      return refuse("a remote that does not read (outbound queue full)");
    }
    return this;
  }

  private Behavior<Command> onCancel(Cancel msg) {
    BlockRequest b = msg.block();
    asked.cancelled(b);
    connection.send(new PeerMessage.Cancel(b.piece(), b.begin(), b.length()));
    return this;
  }

  private Behavior<Command> onHave(Have msg) {
    connection.send(new PeerMessage.Have(msg.piece()));
    return this;
  }

  // ---- serving the remote ---------------------------------------------------------------------

  private Behavior<Command> onRequest(PeerMessage.Request request) {
    if (choking) {
      return this;
    }
    int piece = request.piece();
    if (piece < 0 || piece >= torrent.info().pieceCount() || !torrent.has(piece)) {
      return refuse("a request for piece " + piece + ", which we do not have");
    }
    if (request.length() <= 0 || request.length() > settings.maxBlockLength()) {
      return refuse("a request for " + request.length() + " bytes, more than " + settings.maxBlockLength());
    }
    if (request.begin() < 0 || (long) request.begin() + request.length() > torrent.info().pieceSize(piece)) {
      return refuse("a request past the end of piece " + piece);
    }
    if (requests.size() >= settings.maxQueuedRequests()) {
      // A fast leecher may ask ahead of our queue: the extra requests are dropped, and it asks
      // again for what does not come (libtorrent does the same).
      if (ignoredRequests++ == 0) {
        ctx.getLog().debug("{} queues more than {} requests; ignoring the extra ones", remote,
            settings.maxQueuedRequests());
      }
      return this;
    }
    requests.add(request);
    readMoreBlocks();
    return this;
  }

  /**
   * Reads requested blocks from disk, several at once, while fewer than {@code upload-pipeline}
   * are being read or wait in the outbound queue: the socket's pace decides how fast we read, and
   * a remote that reads slowly never makes us hold more than the pipeline. Requests for
   * consecutive blocks are read together, in one read. The upload rate limit is taken before each
   * read.
   */
  private void readMoreBlocks() {
    while (!choking && uploadsInFlight < settings.uploadPipeline() && !requests.isEmpty()) {
      long now = System.nanoTime();
      if (!headReserved) {
        long wait = torrent.rates().upload().reserve(requests.peek().length());
        headReserved = true;
        headDueNanos = now + wait;
      }
      if (headDueNanos - now > 0) {
        timers.startSingleTimer(Resume.INSTANCE, Duration.ofNanos(headDueNanos - now));
        return;
      }
      headReserved = false;
      read(takeRun());
    }
  }

  /** The first queued request and those right after it that continue it in the same piece. */
  private List<PeerMessage.Request> takeRun() {
    List<PeerMessage.Request> run = new ArrayList<>();
    PeerMessage.Request first = requests.poll();
    run.add(first);
    int end = first.begin() + first.length();
    int bytes = first.length();
    while (uploadsInFlight + run.size() < settings.uploadPipeline() && !requests.isEmpty()) {
      PeerMessage.Request next = requests.peek();
      if (next.piece() != first.piece() || next.begin() != end || bytes + next.length() > READ_RUN) {
        break;
      }
      // Reserved now; the rate limit makes the reads after it wait for these bytes too.
      torrent.rates().upload().reserve(next.length());
      run.add(requests.poll());
      end += next.length();
      bytes += next.length();
    }
    return run;
  }

  private void read(List<PeerMessage.Request> run) {
    ServedTorrent served = torrent;
    PeerMessage.Request first = run.get(0);
    int length = 0;
    for (PeerMessage.Request r : run) {
      length += r.length();
    }
    int total = length;
    if (uploadsInFlight == 0) {
      uploadProgressNanos = System.nanoTime();
    }
    uploadsInFlight += run.size();
    ctx.pipeToSelf(
        CompletableFuture.supplyAsync(() -> {
          try {
            return served.storage().read(first.piece(), first.begin(), total);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, blocking),
        (bytes, failure) -> new BlockRead(run, bytes, failure));
  }

  private Behavior<Command> onBlockRead(BlockRead msg) {
    PeerMessage.Request first = msg.requests().get(0);
    if (msg.failure() != null) {
      ctx.getLog().warn("cannot read piece {} of {}: {}", first.piece(), Printable.escape(torrent.info().name()),
          msg.failure().getMessage());
      connection.abort(msg.failure());
      return Behaviors.stopped();
    }
    if (choking) {
      uploadsInFlight -= msg.requests().size();
      return this;
    }
    int offset = 0;
    for (PeerMessage.Request request : msg.requests()) {
      ByteBuffer block = msg.bytes().slice(offset, request.length());
      offset += request.length();
      if (!connection.sendBlock(new PeerMessage.Piece(request.piece(), request.begin(), block))) {
        return refuse("a remote that does not read its data (outbound queue full)");
      }
      unreportedUploads += request.length();
    }
    return unreportedUploads >= REPORT_BYTES ? reportUploads() : this;
  }

  /**
   * Once a second: report uploads, and let go of a remote that asked for blocks and reads none of
   * them, which would otherwise hold an unchoke slot and our buffers for as long as it likes.
   */
  private Behavior<Command> onReportTick() {
    if (uploadsInFlight > 0 && System.nanoTime() - uploadProgressNanos > settings.requestTimeout().toNanos()) {
      return refuse("a remote that reads none of the blocks it asked for in " + settings.requestTimeout().toSeconds()
          + " s");
    }
    return reportUploads();
  }

  /** Uploads are reported in sums, a megabyte or a second at a time, not a message per block. */
  private Behavior<Command> reportUploads() {
    if (unreportedUploads > 0) {
      owner.tell(new Served(ctx.getSelf(), unreportedUploads));
      unreportedUploads = 0;
    }
    return this;
  }

  private Behavior<Command> onBlockSent() {
    uploadsInFlight--;
    uploadProgressNanos = System.nanoTime();
    readMoreBlocks();
    return this;
  }

  private Behavior<Command> onResume() {
    readMoreBlocks();
    return this;
  }

  private Behavior<Command> onKeepAlive() {
    if (connection.queued() == 0) {
      connection.send(PeerMessage.KeepAlive.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> onClose(Close msg) {
    return close(ctx, connection, remote, msg.reason());
  }

  private Behavior<Command> refuse(String what) {
    return refuse(ctx, connection, remote, what);
  }

  // ---- what both phases, Handshaking and this, do alike ------------------------------------------

  /** The stream's start (acknowledged) and its end (the actor stops); empty for every other event. */
  static Optional<Behavior<Command>> openedOrEnded(ActorContext<Command> ctx, InetSocketAddress remote,
      PeerConnection.Event event) {
    if (event instanceof PeerConnection.Opened opened) {
      opened.ackTo().tell(PeerConnection.Ack.INSTANCE);
      return Optional.of(Behaviors.same());
    }
    if (event instanceof PeerConnection.Closed) {
      ctx.getLog().debug("{} closed the connection", remote);
      return Optional.of(Behaviors.stopped());
    }
    if (event instanceof PeerConnection.Failed failed) {
      ctx.getLog().debug("connection to {} failed: {}", remote, Printable.escape(failed.cause().getMessage()));
      return Optional.of(Behaviors.stopped());
    }
    return Optional.empty();
  }

  /** Closes after what is queued has been sent. */
  static Behavior<Command> close(ActorContext<Command> ctx, PeerConnection connection, InetSocketAddress remote,
      String reason) {
    ctx.getLog().debug("closing the connection to {}: {}", remote, Printable.escape(reason));
    connection.close();
    return Behaviors.stopped();
  }

  /** Drops the connection at once: the remote did what it must not. */
  static Behavior<Command> refuse(ActorContext<Command> ctx, PeerConnection connection, InetSocketAddress remote,
      String what) {
    ctx.getLog().debug("closing the connection to {}: {}", remote, Printable.escape(what));
    connection.abort(new IllegalStateException(what));
    return Behaviors.stopped();
  }
}
