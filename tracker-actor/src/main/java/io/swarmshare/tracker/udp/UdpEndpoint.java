package io.swarmshare.tracker.udp;

import io.swarmshare.messages.LogThrottle;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.tracker.udp.AnnounceRequest;
import io.swarmshare.messages.tracker.udp.ConnectRequest;
import io.swarmshare.messages.tracker.udp.ConnectResponse;
import io.swarmshare.messages.tracker.udp.ErrorResponse;
import io.swarmshare.messages.tracker.udp.ScrapeRequest;
import io.swarmshare.messages.tracker.udp.ScrapeResponse;
import io.swarmshare.messages.tracker.udp.UdpTrackerCodec;
import io.swarmshare.messages.tracker.udp.UdpTrackerRequest;
import io.swarmshare.messages.tracker.udp.UdpTrackerResponse;
import io.swarmshare.tracker.Tracker;
import io.swarmshare.tracker.TrackerServer;
import io.swarmshare.tracker.TrackerSettings;
import io.swarmshare.tracker.TrackerStats;
import io.swarmshare.tracker.TrackerStats.ErrorKind;
import io.swarmshare.tracker.TrackerStats.Protocol;
import io.swarmshare.tracker.limits.AddressKey;
import io.swarmshare.tracker.limits.Limit;
import io.swarmshare.tracker.limits.RateLimiter;
import io.swarmshare.tracker.registry.Announce;
import io.swarmshare.tracker.registry.AnnounceResult;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalInt;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.io.UdpMessage;
import org.apache.pekko.util.ByteString;

/**
 * The tracker's BEP 15 side: decodes each datagram, checks connection ids, asks the Tracker and
 * answers. The client's address is the datagram's source. Anything malformed, forged or expired is
 * counted and dropped, with an error response when a transaction id can be read (never larger
 * than the request unless its source proved its address with a connection id); nothing a
 * datagram says makes this actor keep state, so no sender can make it grow.
 */
public final class UdpEndpoint extends AbstractBehavior<UdpEndpoint.Command> {

  public sealed interface Command permits Bound, BindFailed, Datagram, Answered, Scraped, Crash {}

  record Bound(org.apache.pekko.actor.ActorRef socket, InetSocketAddress localAddress) implements Command {}

  record BindFailed(InetSocketAddress address) implements Command {}

  record Datagram(ByteString data, InetSocketAddress from) implements Command {}

  private record Answered(Tracker.Answer answer) implements Command {}

  private record Scraped(Tracker.Scraped scraped) implements Command {}

  /** A test seam, never sent by production code: fails the actor, to show its supervisor at work. */
  public record Crash() implements Command {}

  /** Where the endpoint tells whether it could bind. */
  public sealed interface Status permits Listening, Failed {}

  public record Listening(InetSocketAddress address) implements Status {}

  public record Failed(String reason) implements Status {}

  /** Who asked, echoed through the Tracker so that no table of pending clients is needed. */
  private record Client(InetSocketAddress address, int transactionId) {}

  public static Behavior<Command> create(
      ActorRef<Tracker.Command> tracker, TrackerSettings settings, TrackerStats stats, ActorRef<Status> status) {
    return create(tracker, settings, stats, status, Clock.systemUTC());
  }

  static Behavior<Command> create(ActorRef<Tracker.Command> tracker, TrackerSettings settings, TrackerStats stats,
      ActorRef<Status> status, Clock clock) {
    return Behaviors.setup(ctx -> {
      InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
      Adapter.actorOf(ctx, UdpSocket.props(ctx.getSelf(), address, (int) settings.udpReceiveBuffer())
          .withDispatcher(TrackerServer.DISPATCHER), "socket");
      return new UdpEndpoint(ctx, tracker, settings, stats, status, new ConnectionIds(clock));
    });
  }

  private final ActorRef<Tracker.Command> tracker;
  private final TrackerSettings settings;
  private final TrackerStats stats;
  private final ActorRef<Status> status;
  private final ConnectionIds ids;
  private final RateLimiter rates;
  private final LogThrottle junkLog = new LogThrottle(Duration.ofMinutes(1), 1024);
  private final ActorRef<Tracker.Answer> answers;
  private final ActorRef<Tracker.Scraped> scrapes;
  private org.apache.pekko.actor.ActorRef socket;

  private UdpEndpoint(ActorContext<Command> ctx, ActorRef<Tracker.Command> tracker, TrackerSettings settings,
      TrackerStats stats, ActorRef<Status> status, ConnectionIds ids) {
    super(ctx);
    this.tracker = tracker;
    this.settings = settings;
    this.stats = stats;
    this.status = status;
    this.ids = ids;
    this.rates = new RateLimiter(
        settings.perAddress().udpRate(), settings.perAddress().udpBurst(), settings.rateTableSize());
    this.answers = ctx.messageAdapter(Tracker.Answer.class, Answered::new);
    this.scrapes = ctx.messageAdapter(Tracker.Scraped.class, Scraped::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Bound.class, this::onBound)
        .onMessage(BindFailed.class, this::onBindFailed)
        .onMessage(Datagram.class, this::onDatagram)
        .onMessage(Answered.class, this::onAnswered)
        .onMessage(Scraped.class, this::onScraped)
        .onMessage(Crash.class, crash -> {
          throw new IllegalStateException("crash injected by a test");
        })
        .build();
  }

  private Behavior<Command> onBound(Bound msg) {
    socket = msg.socket();
    getContext().getLog().debug("UDP tracker listening on {}", msg.localAddress());
    status.tell(new Listening(msg.localAddress()));
    return this;
  }

  /** Fails, so that the supervisor retries with back-off: after a restart the old socket may still be closing. */
  private Behavior<Command> onBindFailed(BindFailed msg) {
    String reason = "cannot listen on UDP " + msg.address() + ": address in use or not available";
    status.tell(new Failed(reason));
    throw new IllegalStateException(reason);
  }

  private Behavior<Command> onDatagram(Datagram msg) {
    if (!rates.tryAcquire(AddressKey.of(msg.from().getAddress()), System.nanoTime())) {
      // Over its budget: not even an error, which would be one more datagram to a maybe spoofed source.
      stats.limited(Limit.UDP_REQUESTS_PER_ADDRESS);
      return this;
    }
    ByteBuffer data = msg.data().asByteBuffer();
    UdpTrackerRequest request;
    try {
      request = UdpTrackerCodec.decodeRequest(data);
    } catch (MalformedMessageException e) {
      stats.failed(Protocol.UDP, ErrorKind.MALFORMED);
      if (getContext().getLog().isDebugEnabled()) {
        // A flood of junk from one source is one line a minute, not one a datagram.
        junkLog.admit(msg.from().getAddress().getHostAddress()).ifPresent(heldBack -> getContext().getLog()
            .debug("dropped a datagram from {}: {}{}", msg.from(), e.getMessage(), heldBack));
      }
      OptionalInt transaction = UdpTrackerCodec.transactionIdOf(data);
      if (transaction.isPresent()) {
        // A client that holds a connection id (the first 8 bytes) hears the whole reason.
        boolean verified = ids.isValid(data.getLong(data.position()), msg.from());
        sendError(transaction.getAsInt(), e.getMessage(), msg.from(), verified ? Integer.MAX_VALUE : data.remaining());
      }
      return this;
    }
    int length = data.remaining();
    if (request instanceof ConnectRequest connect) {
      // 16 bytes answer 16 bytes: a connect reflects nothing larger than itself.
      send(new ConnectResponse(connect.transactionId(), ids.issue(msg.from())), msg.from());
    } else if (request instanceof AnnounceRequest announce) {
      if (checkConnection(announce.connectionId(), announce.transactionId(), msg.from(), length)) {
        if (announce.port() == 0) {
          stats.failed(Protocol.UDP, ErrorKind.MALFORMED);
          send(new ErrorResponse(announce.transactionId(),
              "port 0 cannot be dialled: announce the port you accept peers on"), msg.from());
          return this;
        }
        tracker.tell(new Tracker.Announce(toRegistry(announce, msg.from()),
            new Client(msg.from(), announce.transactionId()), answers));
      }
    } else if (request instanceof ScrapeRequest scrape) {
      if (checkConnection(scrape.connectionId(), scrape.transactionId(), msg.from(), length)) {
        tracker.tell(new Tracker.Scrape(scrape.infoHashes(), new Client(msg.from(), scrape.transactionId()), scrapes));
      }
    }
    return this;
  }

  private boolean checkConnection(long connectionId, int transactionId, InetSocketAddress from, int requestLength) {
    if (ids.isValid(connectionId, from)) {
      return true;
    }
    stats.failed(Protocol.UDP, ErrorKind.CONNECTION_ID);
    getContext().getLog().debug("refused connection id {} from {}", connectionId, from);
    sendError(transactionId, "unknown or expired connection id; connect again", from, requestLength);
    return false;
  }

  /**
   * An error of at most {@code maxLength} bytes, the message cut to fit. A source that has not shown
   * a valid connection id may be spoofed, so it gets nothing larger than what it sent (BEP 15): the
   * tracker never amplifies a reflection attack.
   */
  private void sendError(int transactionId, String message, InetSocketAddress to, int maxLength) {
    send(new ErrorResponse(transactionId, fit(message, maxLength - ERROR_HEADER)), to);
  }

  private static final int ERROR_HEADER = 8;

  /** The longest prefix of {@code message} whose UTF-8 form takes at most {@code room} bytes. */
  static String fit(String message, int room) {
    if (message.length() * 3 <= room || message.getBytes(StandardCharsets.UTF_8).length <= room) {
      return message;
    }
    int bytes = 0;
    int end = 0;
    while (end < message.length()) {
      int cp = message.codePointAt(end);
      int width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + width > room) {
        break;
      }
      bytes += width;
      end += Character.charCount(cp);
    }
    return message.substring(0, end);
  }

  private Announce toRegistry(AnnounceRequest a, InetSocketAddress from) {
    // BEP 15's ip field is believed only from a source the operator named as a proxy it trusts.
    InetAddress address = settings.trustIpField() && a.ip().isPresent()
        && settings.trustedProxies().contains(from.getAddress()) ? a.ip().get() : from.getAddress();
    Announce.Families families = from.getAddress() instanceof Inet4Address
        ? Announce.Families.IPV4
        : Announce.Families.IPV6;
    return new Announce(a.infoHash(), address, a.port(), a.left(), a.event(), a.numWant(), families);
  }

  private Behavior<Command> onAnswered(Answered msg) {
    Client client = (Client) msg.answer().ticket();
    if (msg.answer() instanceof Tracker.Announced announced) {
      AnnounceResult r = announced.result();
      byte[] peers = client.address().getAddress() instanceof Inet4Address ? r.peers4() : r.peers6();
      stats.announced(Protocol.UDP);
      send(UdpTrackerCodec.encodeAnnounceResponse(
          client.transactionId(), announced.interval(), r.leechers(), r.seeders(), peers), client.address());
    } else if (msg.answer() instanceof Tracker.Refused refused) {
      stats.failed(Protocol.UDP, ErrorKind.REFUSED);
      send(new ErrorResponse(client.transactionId(), refused.reason()), client.address());
    }
    return this;
  }

  private Behavior<Command> onScraped(Scraped msg) {
    Client client = (Client) msg.scraped().ticket();
    stats.scraped(Protocol.UDP);
    send(new ScrapeResponse(client.transactionId(), msg.scraped().stats()), client.address());
    return this;
  }

  private void send(UdpTrackerResponse response, InetSocketAddress to) {
    send(UdpTrackerCodec.encode(response), to);
  }

  private void send(ByteBuffer bytes, InetSocketAddress to) {
    if (socket != null) {
      socket.tell(UdpMessage.send(ByteString.fromByteBuffer(bytes), to), org.apache.pekko.actor.ActorRef.noSender());
    }
  }
}
