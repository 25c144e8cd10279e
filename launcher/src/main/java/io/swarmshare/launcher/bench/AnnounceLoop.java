package io.swarmshare.launcher.bench;

import io.swarmshare.launcher.bench.AnnounceDatagrams.Verdict;
import io.swarmshare.messages.tracker.AnnounceEvent;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps a fixed number of BEP 15 requests in flight against one tracker, from one thread, over
 * non-blocking channels (one per source address and socket) and a selector: each answer is
 * checked, timed and immediately replaced by the slot's next request.
 *
 * <p>What it tracks:
 *
 * <ul>
 *   <li>per slot (one of the window's W requests in flight): its state (connecting, announcing,
 *       parked until another slot's connect for the same connection key comes back, or idle
 *       once a fill has nothing left), its peer, the sequence number of its current request
 *       (its transaction id is the slot and that number, xor a per-run salt, so an answer finds
 *       its slot without a lookup and answers to superseded requests are told apart), when it
 *       was sent and with which connection id;
 *   <li>per connection key (each peer in a load run, as each peer connects once; each socket in
 *       a fill, as a tracker binds connection ids to the client's address): the connection id,
 *       when it came, whether a connect is out and which slots wait for it;
 *   <li>counters for the report, reset when the warm-up ends.
 * </ul>
 *
 * <p>Every loop ends: the run stops at its deadline whatever the tracker does.
 */
final class AnnounceLoop implements Closeable {

  enum Mode { LOAD, FILL }

  /**
   * @param warmupNanos a load run's warm-up, extended until every peer's announce has been
   *     answered once (at most {@link #WARMUP_EXTENSION_NANOS} more), so that the measured phase is announces only
   * @param durationNanos a load run's measured time; a fill's cap
   */
  record Settings(
      Mode mode,
      InetSocketAddress tracker,
      BenchSwarm swarm,
      int window,
      long warmupNanos,
      long durationNanos,
      long timeoutNanos,
      int numWant,
      int socketsPerAddress,
      int retries) {}

  static final int MAX_WINDOW = 1 << 16;
  static final long CONNECTION_ID_LIFETIME_NANOS = 60_000_000_000L;
  static final long WARMUP_EXTENSION_NANOS = 10_000_000_000L;
  private static final int RECEIVE_BUFFER_BYTES = 4 << 20;
  private static final int MAX_DATAGRAM = 65536;
  private static final int MAX_DRAIN = 512;

  private static final byte IDLE = 0;
  private static final byte CONNECTING = 1;
  private static final byte ANNOUNCING = 2;
  private static final byte PARKED = 3;

  private static final byte PEER_UNANSWERED = 0;
  private static final byte PEER_REFUSED = 1;
  private static final byte PEER_ACCEPTED = 2;

  private final Mode mode;
  private final BenchSwarm swarm;
  private final int window;
  private final long timeoutNanos;
  private final int numWant;
  private final int socketsPerAddress;
  private final int retries;
  private final long warmupNanos;
  private final long durationNanos;

  private final DatagramChannel[] channels;
  private final Selector selector;
  private final ByteBuffer out = ByteBuffer.allocateDirect(AnnounceDatagrams.ANNOUNCE_LENGTH);
  private final ByteBuffer in = ByteBuffer.allocateDirect(MAX_DATAGRAM);

  private final int slotBits;
  private final int slotMask;
  private final int salt = ThreadLocalRandom.current().nextInt() | 1;
  private final byte[] state;
  private final int[] peerOf;
  private final int[] seq;
  private final long[] sentAt;
  private final long[] connectionUsed;
  private final int[] attempts;
  private final int[] parkedNext;

  private final long[] connectionId;
  private final long[] connectedAt;
  private final boolean[] connecting;
  private final int[] parkedHead;

  /** Per peer in a load run: never answered, answered with an error, or accepted. */
  private final byte[] peerState;
  private int answeredPeers;
  private int nextPeer;

  private final LatencyHistogram latency = new LatencyHistogram();
  private long announces;
  private long connects;
  private long errorResponses;
  private long invalid;
  private long timeouts;
  private long late;
  private long unreachable;
  private long sendFailures;
  private long acknowledged;
  private long failed;
  private final Map<Verdict, String> firstProblems = new EnumMap<>(Verdict.class);

  AnnounceLoop(Settings settings) throws IOException {
    if (settings.window() < 1 || settings.window() > MAX_WINDOW) {
      throw new IllegalArgumentException("the window is 1.." + MAX_WINDOW);
    }
    this.mode = settings.mode();
    this.swarm = settings.swarm();
    this.window = settings.window();
    this.timeoutNanos = settings.timeoutNanos();
    this.numWant = settings.numWant();
    this.socketsPerAddress = settings.socketsPerAddress();
    this.retries = settings.retries();
    this.warmupNanos = mode == Mode.LOAD ? settings.warmupNanos() : 0;
    this.durationNanos = settings.durationNanos();

    slotBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(window - 1));
    slotMask = (1 << slotBits) - 1;
    state = new byte[window];
    peerOf = new int[window];
    seq = new int[window];
    sentAt = new long[window];
    connectionUsed = new long[window];
    attempts = new int[window];
    parkedNext = new int[window];

    int channelCount = swarm.addressCount() * socketsPerAddress;
    int keys = mode == Mode.LOAD ? swarm.peers() : channelCount;
    connectionId = new long[keys];
    connectedAt = new long[keys];
    connecting = new boolean[keys];
    parkedHead = new int[keys];
    Arrays.fill(parkedHead, -1);
    peerState = mode == Mode.LOAD ? new byte[swarm.peers()] : new byte[0];

    channels = new DatagramChannel[channelCount];
    selector = Selector.open();
    try {
      for (int c = 0; c < channelCount; c++) {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channels[c] = channel;
        channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
        channel.bind(new InetSocketAddress(BenchSwarm.sourceAddress(c / socketsPerAddress), 0));
        channel.connect(settings.tracker());
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, c);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Runs to the end (the measured time, a fill's last peer, or a fill's cap) and reports. */
  LoadReport run() throws IOException {
    long now = System.nanoTime();
    boolean measuring = mode == Mode.FILL;
    long measureStart = now;
    long warmupEnd = now + warmupNanos;
    long warmupCap = warmupEnd + WARMUP_EXTENSION_NANOS;
    long end = measuring ? now + durationNanos : Long.MAX_VALUE;
    long scanEvery = Math.max(1_000_000L, Math.min(10_000_000L, timeoutNanos / 4));
    long nextScan = now + scanEvery;

    for (int s = 0; s < window; s++) {
      startNext(s, now);
    }
    while (true) {
      now = System.nanoTime();
      if (!measuring && now >= warmupEnd
          && (answeredPeers == swarm.peers() || now >= warmupCap)) {
        resetCounters();
        measuring = true;
        measureStart = now;
        end = now + durationNanos;
      }
      if (now >= end || (mode == Mode.FILL && fillDone())) {
        break;
      }
      if (now >= nextScan) {
        scanTimeouts(now);
        nextScan = now + scanEvery;
      }
      long until = Math.min(nextScan, measuring ? end : warmupEnd);
      long waitMillis = Math.max(1, (until - now + 999_999) / 1_000_000);
      if (selector.select(waitMillis) > 0) {
        for (SelectionKey key : selector.selectedKeys()) {
          drain((Integer) key.attachment());
        }
        selector.selectedKeys().clear();
      }
    }
    return report(mode.name().toLowerCase(Locale.ROOT), (now - measureStart) / 1e9);
  }

  /** The first response of each kind that failed a check, for a person to read. */
  void describeProblems(PrintStream err) {
    firstProblems.forEach((verdict, example) ->
        err.println("TrackerLoad: first " + verdict + " response: " + example));
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (DatagramChannel channel : channels) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          failure = e;
        }
      }
    }
    selector.close();
    if (failure != null) {
      throw failure;
    }
  }

  private boolean fillDone() {
    return nextPeer >= swarm.peers() && acknowledged + failed >= swarm.peers();
  }

  private void drain(int channel) throws IOException {
    DatagramChannel ch = channels[channel];
    for (int i = 0; i < MAX_DRAIN; i++) {
      in.clear();
      try {
        if (ch.receive(in) == null) {
          return;
        }
      } catch (PortUnreachableException e) {
        unreachable++;
        return;
      }
      in.flip();
      handle(channel, System.nanoTime());
    }
  }

  private void handle(int channel, long now) {
    if (in.remaining() < AnnounceDatagrams.RESPONSE_HEADER) {
      problem(Verdict.BAD_LENGTH);
      return;
    }
    int transactionId = in.getInt(4);
    int raw = transactionId ^ salt;
    int s = raw & slotMask;
    int sequence = raw >>> slotBits;
    if (s >= window) {
      problem(Verdict.WRONG_TRANSACTION);
      return;
    }
    boolean inFlight = state[s] == CONNECTING || state[s] == ANNOUNCING;
    if (!inFlight || sequence != seq[s]) {
      if (Integer.compareUnsigned(sequence, seq[s]) <= 0) {
        late++;
      } else {
        problem(Verdict.WRONG_TRANSACTION);
      }
      return;
    }
    int peer = peerOf[s];
    if (channel != channelOf(peer)) {
      problem(Verdict.WRONG_TRANSACTION);
      return;
    }
    int key = keyOf(peer);
    if (state[s] == CONNECTING) {
      Verdict verdict = AnnounceDatagrams.checkConnect(in, transactionId);
      if (verdict == Verdict.OK) {
        connects++;
        connectionId[key] = AnnounceDatagrams.connectionId(in);
        connectedAt[key] = now;
        connecting[key] = false;
        sendAnnounce(s, now);
        releaseParked(key, now);
      } else {
        problem(verdict);
        sendConnect(s, key, now);
      }
      return;
    }
    Verdict verdict = AnnounceDatagrams.checkAnnounce(in, transactionId, numWant);
    if (verdict == Verdict.OK) {
      latency.record((now - sentAt[s]) / 1000);
      announces++;
      if (mode == Mode.LOAD) {
        answered(peer, PEER_ACCEPTED);
      } else {
        acknowledged++;
      }
      startNext(s, now);
      return;
    }
    problem(verdict);
    if (mode == Mode.LOAD) {
      answered(peer, PEER_REFUSED);
    }
    if (verdict == Verdict.ERROR_RESPONSE && connectionUsed[s] == connectionId[key]) {
      connectedAt[key] = 0;   // perhaps expired: the next request on this key connects again
    }
    if (mode == Mode.FILL && ++attempts[s] <= retries) {
      issue(s, now);
    } else {
      if (mode == Mode.FILL) {
        failed++;
      }
      startNext(s, now);
    }
  }

  private void answered(int peer, byte outcome) {
    if (peerState[peer] == PEER_UNANSWERED) {
      answeredPeers++;
    }
    peerState[peer] = (byte) Math.max(peerState[peer], outcome);
  }

  private void problem(Verdict verdict) {
    if (verdict == Verdict.ERROR_RESPONSE) {
      errorResponses++;
    } else {
      invalid++;
    }
    if (!firstProblems.containsKey(verdict)) {
      byte[] bytes = new byte[Math.min(in.remaining(), 64)];
      in.duplicate().get(bytes);
      firstProblems.put(verdict, in.remaining() + " bytes: " + HexFormat.of().formatHex(bytes)
          + (in.remaining() > bytes.length ? "..." : ""));
    }
  }

  /** A load slot takes the next peer round the pool; a fill slot the next unregistered one. */
  private void startNext(int s, long now) {
    if (mode == Mode.LOAD) {
      peerOf[s] = nextPeer;
      nextPeer = nextPeer + 1 == swarm.peers() ? 0 : nextPeer + 1;
    } else if (nextPeer < swarm.peers()) {
      peerOf[s] = nextPeer++;
    } else {
      state[s] = IDLE;
      return;
    }
    attempts[s] = 0;
    issue(s, now);
  }

  /** Announces with the key's connection id, connects first, or waits for a connect under way. */
  private void issue(int s, long now) {
    int key = keyOf(peerOf[s]);
    if (connectedAt[key] != 0 && now - connectedAt[key] < CONNECTION_ID_LIFETIME_NANOS) {
      sendAnnounce(s, now);
    } else if (connecting[key]) {
      state[s] = PARKED;
      parkedNext[s] = parkedHead[key];
      parkedHead[key] = s;
    } else {
      sendConnect(s, key, now);
    }
  }

  private void releaseParked(int key, long now) {
    int s = parkedHead[key];
    parkedHead[key] = -1;
    while (s != -1) {
      int next = parkedNext[s];
      sendAnnounce(s, now);
      s = next;
    }
  }

  private void sendConnect(int s, int key, long now) {
    connecting[key] = true;
    state[s] = CONNECTING;
    AnnounceDatagrams.connect(out, nextTransactionId(s));
    send(s, now);
  }

  private void sendAnnounce(int s, long now) {
    int peer = peerOf[s];
    int key = keyOf(peer);
    state[s] = ANNOUNCING;
    connectionUsed[s] = connectionId[key];
    AnnounceEvent event =
        mode == Mode.LOAD && peerState[peer] == PEER_ACCEPTED
            ? AnnounceEvent.NONE
            : AnnounceEvent.STARTED;
    AnnounceDatagrams.announce(
        out, connectionId[key], nextTransactionId(s), swarm, peer, event, numWant);
    send(s, now);
  }

  private int nextTransactionId(int s) {
    seq[s] = (seq[s] + 1) & (-1 >>> slotBits);
    return ((seq[s] << slotBits) | s) ^ salt;
  }

  private void send(int s, long now) {
    sentAt[s] = now;
    try {
      if (channels[channelOf(peerOf[s])].write(out) == 0) {
        sendFailures++;   // the socket is full: the request times out and goes again
      }
    } catch (PortUnreachableException e) {
      unreachable++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void scanTimeouts(long now) {
    for (int s = 0; s < window; s++) {
      if ((state[s] == CONNECTING || state[s] == ANNOUNCING) && now - sentAt[s] >= timeoutNanos) {
        timeouts++;
        if (state[s] == CONNECTING) {
          sendConnect(s, keyOf(peerOf[s]), now);
        } else {
          issue(s, now);
        }
      }
    }
  }

  private int channelOf(int peer) {
    return swarm.addressIndexOf(peer) * socketsPerAddress
        + (peer % swarm.portsPerAddress()) % socketsPerAddress;
  }

  private int keyOf(int peer) {
    return mode == Mode.LOAD ? peer : channelOf(peer);
  }

  private void resetCounters() {
    latency.reset();
    announces = 0;
    connects = 0;
    errorResponses = 0;
    invalid = 0;
    timeouts = 0;
    late = 0;
    unreachable = 0;
    sendFailures = 0;
  }

  private LoadReport report(String modeName, double seconds) {
    return new LoadReport(
        modeName, window, seconds, announces, connects, errorResponses, invalid, timeouts, late,
        unreachable, sendFailures, latency.percentile(50), latency.percentile(90),
        latency.percentile(99), latency.max(), latency.mean(), swarm.peers(), acknowledged,
        failed);
  }
}
