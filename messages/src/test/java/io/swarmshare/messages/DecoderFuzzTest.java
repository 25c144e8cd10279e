package io.swarmshare.messages;

import static org.assertj.core.api.Assertions.fail;

import io.swarmshare.messages.bencode.BDict;
import io.swarmshare.messages.bencode.BInteger;
import io.swarmshare.messages.bencode.BList;
import io.swarmshare.messages.bencode.BString;
import io.swarmshare.messages.bencode.BencodeDecoder;
import io.swarmshare.messages.bencode.BencodeEncoder;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.FileEntry;
import io.swarmshare.messages.metainfo.Info;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.MetainfoParser;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.tracker.ScrapeStats;
import io.swarmshare.messages.tracker.http.HttpAnnounceRequest;
import io.swarmshare.messages.tracker.http.HttpAnnounceResponse;
import io.swarmshare.messages.tracker.http.HttpFailure;
import io.swarmshare.messages.tracker.http.HttpScrapeRequest;
import io.swarmshare.messages.tracker.http.HttpScrapeResponse;
import io.swarmshare.messages.tracker.http.HttpTrackerCodec;
import io.swarmshare.messages.tracker.udp.AnnounceRequest;
import io.swarmshare.messages.tracker.udp.AnnounceResponse;
import io.swarmshare.messages.tracker.udp.ConnectRequest;
import io.swarmshare.messages.tracker.udp.ConnectResponse;
import io.swarmshare.messages.tracker.udp.ErrorResponse;
import io.swarmshare.messages.tracker.udp.ScrapeRequest;
import io.swarmshare.messages.tracker.udp.ScrapeResponse;
import io.swarmshare.messages.tracker.udp.UdpTrackerCodec;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.messages.wire.PeerWireCodec;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Mutational fuzzing of every decoder that reads untrusted input. Their contract: for bad input
 * they throw {@link MalformedMessageException} (or a subclass) and nothing else, and every call
 * returns promptly. Each test feeds one decoder family purely random bytes (uniform, or drawn
 * from the format's alphabet or dictionary) and valid messages built in memory, mutated by the
 * usual operators: bit flips, interesting bytes, byte arithmetic, inserted, deleted, duplicated
 * and repeated runs, dictionary tokens, truncation, splicing two seeds, and tweaks of decimal
 * numbers (bencode lengths and integers, query values) and of big-endian binary fields. Random
 * inputs are up to 4 KiB; repeating a run (a path component, say) grows a seed up to 64 KiB.
 * Binary decoders also get their input in odd buffers: offset, sliced, direct, little-endian,
 * read-only.
 *
 * <p>Any other {@link Throwable}, a call that runs longer than {@link #CALL_LIMIT}, or a decoder
 * that breaks its documented buffer-position contract fails the test with the base seed, the
 * iteration, how the input was made and the input itself in hex, which is all a regression test
 * needs. The valid seeds must also decode.
 *
 * <p>Each decoder gets a fixed number of inputs, the same on every machine (about 5 s' worth each
 * on a 2-core machine, well under a minute for the class), from base seed {@value
 * #DEFAULT_SEED}: a slow machine takes longer and covers just as much. Time is only a hang guard:
 * a decoder whose inputs take more than {@value #GUARD_SECONDS} s in all fails. A longer run, ten
 * times the inputs with a fresh seed:
 *
 * <pre>{@code
 * mvn -pl messages test -Dtest=DecoderFuzzTest -Dswarmshare.fuzz.factor=10 -Dswarmshare.fuzz.seed=$RANDOM
 * }</pre>
 */
class DecoderFuzzTest {

  static final long DEFAULT_SEED = 42;
  /** How long one decoder's inputs may take, times the factor: some 25 times what they take here. */
  static final long GUARD_SECONDS = 120;

  /** Multiplies every decoder's number of inputs, and the guard with it. */
  private static final int FACTOR = Integer.getInteger("swarmshare.fuzz.factor", 1);
  private static final long BASE_SEED = Long.getLong("swarmshare.fuzz.seed", DEFAULT_SEED);
  private static final long GUARD_NANOS = TimeUnit.SECONDS.toNanos(GUARD_SECONDS * FACTOR);

  /** One call on a few KiB of input that takes longer than this is a hang, or close enough. */
  static final long CALL_LIMIT = TimeUnit.SECONDS.toNanos(1);

  private static final int MAX_RANDOM_LENGTH = 4096;
  private static final int MAX_INPUT_LENGTH = 64 * 1024;
  private static final int HEX_SHOWN = 200;

  private static final byte[] INTERESTING_BYTES = bytes(
      0, 1, 0x7f, 0x80, 0xff, 0x13, 0x14, '0', '1', '9', 'i', 'l', 'd', 'e', ':', '-', '%', '&',
      '=', '+');
  private static final long[] INTERESTING_INTS = {
      0, 1, -1, 2, 19, 20, 68, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 16384,
      16393, 1 << 20, (1 << 20) + 9, (1 << 20) + 10, 0x7fffffffL, 0x80000000L, 0xffffffffL,
      0x41727101980L, Long.MAX_VALUE, Long.MIN_VALUE};
  private static final String[] INTERESTING_NUMBERS = {
      "0", "1", "-1", "-0", "00", "01", "7", "19", "20", "21", "40", "255", "256", "65535", "65536",
      "16384", "2147483647", "2147483648", "-2147483649", "4294967295", "4294967296",
      "9223372036854775807", "9223372036854775808", "-9223372036854775808",
      "-9223372036854775809", "31556889864403199", "31556889864403200", "99999999999999999999",
      "1e9", "0x10", "+1", ""};
  /** Tokens every format shares: escapes, numbers, and characters whose case mapping is odd. */
  private static final List<String> COMMON_TOKENS = List.of(
      "%", "%%", "%0", "%00", "%ff", "%FF", "%g0", "%2", "&", "=", "&&", "==", "+", ":", "-", "[",
      "]", "ß", "ﬀ", "ﬃ", "İ", "ı", "ŉ", "１", "٣", "é", "\ufffd", "\uD83D\uDE00", "%C3%9F",
      "%EF%AC%80", "%EF%AC%83", "%C4%B0", "%EF%BC%91", "%D9%A3", "%ED%A0%80");

  private static final InfoHash HASH =
      InfoHash.fromHex("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
  private static final InfoHash OTHER_HASH =
      InfoHash.fromHex("00ff20253d26267f80a0c0e0f0f8fcfeff000102");
  private static final PeerId PEER = PeerId.fromHex("2d53533031303030ff00112233445566778899aa");

  // ---- the decoders

  @Test
  void bencode() {
    List<byte[]> seeds = new ArrayList<>(bencodeSeeds());
    seeds.addAll(torrents());
    seeds.addAll(httpAnnounceReplies());
    seeds.addAll(httpScrapeReplies());
    assertAccepted("bencode", seeds, BencodeDecoder::decode);
    fuzz("bencode", 500_000, seeds, "0123456789ilde:-", BENCODE_TOKENS,
        BencodeDecoder::decode);
  }

  @Test
  void metainfo() {
    List<byte[]> seeds = torrents();
    assertAccepted("metainfo", seeds, MetainfoParser::parse);
    fuzz("metainfo", 250_000, seeds, "0123456789ilde:-", BENCODE_TOKENS,
        MetainfoParser::parse);
  }

  @Test
  void handshake() {
    List<byte[]> seeds = handshakes();
    assertAccepted("handshake", seeds, bytes -> Handshake.decode(ByteBuffer.wrap(bytes)));
    fuzzBuffers("handshake", 550_000, seeds, null, List.of("\u0013BitTorrent protocol", "BitTorrent protocol"),
        (input, variant) -> {
          ByteBuffer in = buffer(input, variant);
          int start = in.position();
          try {
            Handshake.decode(in);
          } catch (MalformedMessageException e) {
            checkPosition("a refused handshake", in, start);
            throw e;
          }
          checkPosition("a handshake", in, start + Handshake.LENGTH);
        });
  }

  @Test
  void peerWire() {
    PeerWireCodec codec = new PeerWireCodec();
    PeerWireCodec strict = new PeerWireCodec(PeerWireCodec.MIN_MAX_FRAME_LENGTH);
    List<byte[]> seeds = wireFrames();
    assertAccepted("peer wire frame", seeds, bytes -> {
      ByteBuffer stream = ByteBuffer.wrap(bytes);
      while (stream.hasRemaining()) {
        codec.decode(codec.nextFrame(stream).orElseThrow());
      }
    });
    fuzzBuffers("peer wire", 280_000, seeds, null, List.of(), (input, variant) -> {
      for (PeerWireCodec c : List.of(codec, strict)) {
        // The input as a stream of frames, each decoded on its own.
        ByteBuffer stream = buffer(input, variant);
        while (true) {
          int before = stream.position();
          Optional<ByteBuffer> frame = tolerate(() -> c.nextFrame(stream));
          if (frame == null || frame.isEmpty()) {
            checkPosition("an incomplete or refused frame", stream, before);
            break;
          }
          ByteBuffer payload = frame.get();
          checkPosition("a frame", stream, before + PeerWireCodec.LENGTH_PREFIX + payload.remaining());
          tolerate(() -> c.decode(payload));
        }
        // The input after its length prefix as one payload, as a framing stage hands it on.
        ByteBuffer payload = buffer(Arrays.copyOfRange(input, Math.min(4, input.length), input.length), variant);
        int start = payload.position();
        tolerate(() -> c.decode(payload));
        checkPosition("decoding a payload", payload, start);
      }
    });
  }

  @Test
  void udpTrackerRequests() {
    List<byte[]> seeds = udpRequests();
    assertAccepted("UDP request", seeds, bytes -> UdpTrackerCodec.decodeRequest(ByteBuffer.wrap(bytes)));
    fuzzBuffers("UDP tracker request", 500_000, seeds, null, List.of(), (input, variant) -> {
      ByteBuffer in = buffer(input, variant);
      int start = in.position();
      UdpTrackerCodec.transactionIdOf(in);
      tolerate(() -> UdpTrackerCodec.decodeRequest(in));
      checkPosition("decoding a request", in, start);
    });
  }

  @Test
  void udpTrackerResponses() {
    List<byte[]> v4 = udpResponses(StandardProtocolFamily.INET);
    List<byte[]> v6 = udpResponses(StandardProtocolFamily.INET6);
    assertAccepted("UDP response (IPv4)", v4,
        bytes -> UdpTrackerCodec.decodeResponse(ByteBuffer.wrap(bytes), StandardProtocolFamily.INET));
    assertAccepted("UDP response (IPv6)", v6,
        bytes -> UdpTrackerCodec.decodeResponse(ByteBuffer.wrap(bytes), StandardProtocolFamily.INET6));
    List<byte[]> seeds = Stream.concat(v4.stream(), v6.stream()).toList();
    fuzzBuffers("UDP tracker response", 150_000, seeds, null, List.of(), (input, variant) -> {
      for (StandardProtocolFamily family : List.of(StandardProtocolFamily.INET, StandardProtocolFamily.INET6)) {
        ByteBuffer in = buffer(input, variant);
        int start = in.position();
        tolerate(() -> UdpTrackerCodec.decodeResponse(in, family));
        checkPosition("decoding a response", in, start);
      }
    });
  }

  @Test
  void httpTrackerQueries() {
    List<byte[]> announces = httpAnnounceQueries();
    List<byte[]> scrapes = httpScrapeQueries();
    assertAccepted("announce query", announces, bytes -> HttpTrackerCodec.parseAnnounce(text(bytes)));
    assertAccepted("scrape query", scrapes, bytes -> HttpTrackerCodec.parseScrape(text(bytes)));
    List<byte[]> seeds = Stream.concat(announces.stream(), scrapes.stream()).toList();
    fuzz("HTTP tracker query", 230_000, seeds, "abcdefghijklmnopqrstuvwxyz_0123456789ABCDEF%&=+-.~",
        QUERY_TOKENS, input -> {
          String query = text(input);
          tolerate(() -> HttpTrackerCodec.parseAnnounce(query));
          tolerate(() -> HttpTrackerCodec.parseScrape(query));
        });
  }

  @Test
  void httpTrackerReplies() {
    List<byte[]> announces = httpAnnounceReplies();
    List<byte[]> scrapes = httpScrapeReplies();
    assertAccepted("announce reply", announces, HttpTrackerCodec::decodeAnnounce);
    assertAccepted("scrape reply", scrapes, HttpTrackerCodec::decodeScrape);
    List<byte[]> seeds = Stream.concat(announces.stream(), scrapes.stream()).toList();
    fuzz("HTTP tracker reply", 300_000, seeds, "0123456789ilde:-.", BENCODE_TOKENS, input -> {
      tolerate(() -> HttpTrackerCodec.decodeAnnounce(input));
      tolerate(() -> HttpTrackerCodec.decodeScrape(input));
    });
  }

  @Test
  void magnetLinks() {
    List<byte[]> seeds = magnets();
    assertAccepted("magnet link", seeds, bytes -> MagnetLink.parse(text(bytes)));
    fuzz("magnet link", 130_000, seeds, "magnet:?xt=urn:btih:0123456789abcdefABCDEFGHIJKLMNOPQRSTUVWXYZ&dn=.%+[]",
        MAGNET_TOKENS, input -> MagnetLink.parse(text(input)));
  }

  // ---- the harness

  /** A call of one or more decoders on one input; {@code variant} picks the buffer's shape. */
  @FunctionalInterface
  private interface Target {
    void decode(byte[] input, int variant);
  }

  private record Input(byte[] bytes, String recipe) {}

  /** The call in progress, for the watchdog. */
  private record Call(int iteration, Input input, int variant, long startNanos) {}

  private static void assertAccepted(String what, List<byte[]> seeds, Consumer<byte[]> decoder) {
    for (int i = 0; i < seeds.size(); i++) {
      byte[] seed = seeds.get(i);
      try {
        decoder.accept(seed);
      } catch (Throwable t) {
        fail("the valid " + what + " seed #" + i + " was refused: " + t + "\n" + show(seed), t);
      }
    }
  }

  /** Fuzzes a decoder of bytes or text. */
  private static void fuzz(
      String family, int inputs, List<byte[]> seeds, String alphabet, List<String> tokens,
      Consumer<byte[]> decoder) {
    run(family, inputs, seeds, alphabet, tokens, false, (input, variant) -> decoder.accept(input));
  }

  /** Fuzzes a decoder of buffers, handing it buffers of every shape. */
  private static void fuzzBuffers(
      String family, int inputs, List<byte[]> seeds, String alphabet, List<String> tokens,
      Target target) {
    run(family, inputs, seeds, alphabet, tokens, true, target);
  }

  /**
   * Runs {@code target} on {@code inputs} times {@link #FACTOR} inputs in a worker thread, while
   * this thread watches the call in progress, so that a decoder that never returns fails the test
   * too, and the whole run, so that one that crawls fails it past the guard.
   */
  private static void run(
      String family, int inputs, List<byte[]> seeds, String alphabet, List<String> tokens,
      boolean buffers, Target target) {
    int total = Math.multiplyExact(inputs, FACTOR);
    Campaign campaign = new Campaign(
        family, total, new Mutator(seedOf(family), seeds, alphabet, tokens), buffers, target);
    Thread worker = new Thread(campaign, "fuzz " + family);
    worker.setDaemon(true);
    long started = System.nanoTime();
    worker.start();
    try {
      while (worker.isAlive()) {
        worker.join(50);
        Call call = campaign.current;
        if (call != null && System.nanoTime() - call.startNanos() > CALL_LIMIT) {
          worker.interrupt();
          fail(campaign.report(call, "has not returned after " + millis(CALL_LIMIT) + " ms"));
        }
        if (System.nanoTime() - started > GUARD_NANOS) {
          worker.interrupt();
          fail("fuzzing " + family + " ran " + campaign.completed + " of " + total + " inputs in "
              + millis(GUARD_NANOS) / 1000 + " s, past the guard: a decoder crawls, or the machine does");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted while fuzzing " + family);
    }
    if (campaign.failure != null) {
      throw campaign.failure;
    }
    if (campaign.completed != total) {
      fail("fuzzing " + family + " ran " + campaign.completed + " of " + total + " inputs");
    }
  }

  private static final class Campaign implements Runnable {
    private final String family;
    private final int inputs;
    private final Mutator mutator;
    private final boolean buffers;
    private final Target target;
    volatile Call current;
    volatile AssertionError failure;
    volatile int completed;

    Campaign(String family, int inputs, Mutator mutator, boolean buffers, Target target) {
      this.family = family;
      this.inputs = inputs;
      this.mutator = mutator;
      this.buffers = buffers;
      this.target = target;
    }

    @Override
    public void run() {
      for (int i = 0; i < inputs && !Thread.currentThread().isInterrupted(); i++) {
        Input input = mutator.next();
        Call call = new Call(i, input, mutator.rng.nextInt(), System.nanoTime());
        current = call;
        Throwable escaped = null;
        try {
          target.decode(input.bytes(), call.variant());
        } catch (MalformedMessageException expected) {
          // The contract for bad input.
        } catch (Throwable t) {
          escaped = t;
        }
        long elapsed = System.nanoTime() - call.startNanos();
        current = null;
        if (escaped != null) {
          failure = new AssertionError(report(call, "threw " + escaped), escaped);
          return;
        }
        if (elapsed > CALL_LIMIT) {
          failure = new AssertionError(report(call, "took " + millis(elapsed) + " ms"));
          return;
        }
        completed = i + 1;
      }
    }

    String report(Call call, String what) {
      return "fuzzing " + family + ": the decoder " + what
          + "\n  base seed " + BASE_SEED + " (-Dswarmshare.fuzz.seed=" + BASE_SEED + "), iteration "
          + call.iteration() + (buffers ? ", buffer " + shapeOf(call.variant()) : "")
          + "\n  input: " + call.input().recipe()
          + "\n" + show(call.input().bytes());
    }
  }

  /** A well-mixed seed per family: nearby base seeds must not give shifted copies of one stream. */
  private static long seedOf(String family) {
    return new SplittableRandom(BASE_SEED ^ (long) family.hashCode() << 32).nextLong();
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** Runs a decoder for which bad input is expected; returns null when it was refused. */
  private static <T> T tolerate(Supplier<T> decoder) {
    try {
      return decoder.get();
    } catch (MalformedMessageException refused) {
      return null;
    }
  }

  private static void checkPosition(String what, ByteBuffer buffer, int expected) {
    if (buffer.position() != expected) {
      throw new AssertionError(
          what + " left the buffer's position at " + buffer.position() + ", expected " + expected);
    }
  }

  /** The input as the string decoders get it: UTF-8, with invalid sequences replaced. */
  private static String text(byte[] input) {
    return new String(input, StandardCharsets.UTF_8);
  }

  private static String show(byte[] input) {
    int shown = Math.min(input.length, HEX_SHOWN);
    StringBuilder printable = new StringBuilder();
    for (int i = 0; i < shown; i++) {
      int c = input[i] & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        printable.append((char) c);
      } else {
        printable.append(String.format("\\x%02x", c));
      }
    }
    String more = shown < input.length ? " ..." : "";
    return "  input: " + input.length + " bytes" + (more.isEmpty() ? "" : ", the first " + shown + " shown")
        + "\n  hex: " + HexFormat.of().formatHex(input, 0, shown) + more
        + "\n  as text: " + printable + more;
  }

  // ---- buffers of every shape a caller may hand over

  private static final String[] SHAPES = {
      "wrapped", "wrapped", "wrapped", "inside a larger array", "sliced from a larger array",
      "direct", "little-endian", "read-only"};

  private static String shapeOf(int variant) {
    return SHAPES[variant & 7];
  }

  private static ByteBuffer buffer(byte[] input, int variant) {
    int pad = 1 + ((variant >>> 3) & 15);
    return switch (variant & 7) {
      case 3 -> ByteBuffer.wrap(padded(input, pad, variant), pad, input.length);
      case 4 -> ByteBuffer.wrap(padded(input, pad, variant), pad, input.length).slice();
      case 5 -> ByteBuffer.allocateDirect(input.length).put(input).flip();
      case 6 -> ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
      case 7 -> ByteBuffer.wrap(input).asReadOnlyBuffer();
      default -> ByteBuffer.wrap(input);
    };
  }

  /** The input with junk before and after it, which a decoder must not read. */
  private static byte[] padded(byte[] input, int pad, int variant) {
    byte[] out = new byte[pad + input.length + pad];
    Arrays.fill(out, (byte) (variant >>> 8));
    System.arraycopy(input, 0, out, pad, input.length);
    return out;
  }

  // ---- inputs

  /**
   * Makes inputs: one in eight is random (uniform bytes, the format's alphabet, or a soup of
   * its tokens), the rest a valid seed under a stack of 1 to 16 mutations.
   */
  private static final class Mutator {
    final SplittableRandom rng;
    private final List<byte[]> seeds;
    private final byte[] alphabet;
    private final List<byte[]> tokens;

    Mutator(long seed, List<byte[]> seeds, String alphabet, List<String> tokens) {
      this.rng = new SplittableRandom(seed);
      this.seeds = List.copyOf(seeds);
      this.alphabet = alphabet == null
          ? bytes(0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x13, 0x14, 0x7f, 0x80, 0xff)
          : alphabet.getBytes(StandardCharsets.UTF_8);
      this.tokens = Stream.concat(tokens.stream(), COMMON_TOKENS.stream())
          .map(t -> t.getBytes(StandardCharsets.UTF_8))
          .toList();
    }

    Input next() {
      if (rng.nextInt(8) == 0) {
        return random();
      }
      int s = rng.nextInt(seeds.size());
      byte[] data = seeds.get(s).clone();
      StringBuilder recipe = new StringBuilder("seed #").append(s);
      int rounds = 1 << rng.nextInt(5);
      for (int r = 0; r < rounds; r++) {
        data = mutate(data, recipe);
        if (data.length > MAX_INPUT_LENGTH) {
          data = Arrays.copyOf(data, MAX_INPUT_LENGTH);
        }
      }
      return new Input(data, recipe.toString());
    }

    private Input random() {
      // Log-uniform lengths: as many short inputs as long ones.
      int length = rng.nextInt((MAX_RANDOM_LENGTH >> rng.nextInt(13)) + 1);
      byte[] data = new byte[length];
      switch (rng.nextInt(3)) {
        case 0 -> {
          for (int i = 0; i < length; i++) {
            data[i] = (byte) rng.nextInt(256);
          }
          return new Input(data, "random bytes");
        }
        case 1 -> {
          for (int i = 0; i < length; i++) {
            data[i] = alphabet[rng.nextInt(alphabet.length)];
          }
          return new Input(data, "random bytes of the alphabet");
        }
        default -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream(length + 32);
          while (out.size() < length) {
            if (rng.nextBoolean()) {
              out.writeBytes(token());
            } else {
              out.write(alphabet[rng.nextInt(alphabet.length)]);
            }
          }
          return new Input(out.toByteArray(), "random tokens");
        }
      }
    }

    private byte[] mutate(byte[] data, StringBuilder recipe) {
      int n = data.length;
      int op = rng.nextInt(32);
      if (n == 0 && op < 20) {
        op = 20;
      }
      switch (op) {
        case 0, 1, 2 -> {
          int at = rng.nextInt(n);
          int bit = rng.nextInt(8);
          data[at] ^= (byte) (1 << bit);
          recipe.append(", flip bit ").append(bit).append('@').append(at);
          return data;
        }
        case 3, 4, 5 -> {
          int at = rng.nextInt(n);
          data[at] = INTERESTING_BYTES[rng.nextInt(INTERESTING_BYTES.length)];
          recipe.append(", set@").append(at).append("=0x").append(hex(data[at]));
          return data;
        }
        case 6 -> {
          int at = rng.nextInt(n);
          data[at] = (byte) rng.nextInt(256);
          recipe.append(", set@").append(at).append("=0x").append(hex(data[at]));
          return data;
        }
        case 7 -> {
          int at = rng.nextInt(n);
          int delta = (1 + rng.nextInt(35)) * (rng.nextBoolean() ? 1 : -1);
          data[at] += (byte) delta;
          recipe.append(", add ").append(delta).append('@').append(at);
          return data;
        }
        case 8, 9 -> {
          int at = rng.nextInt(n);
          int width = 1 << rng.nextInt(4);
          if (at + width > n) {
            return data;
          }
          long value = rng.nextInt(4) == 0
              ? readBigEndian(data, at, width) + rng.nextInt(33) - 16
              : INTERESTING_INTS[rng.nextInt(INTERESTING_INTS.length)];
          for (int i = width - 1; i >= 0; i--) {
            data[at + i] = (byte) value;
            value >>= 8;
          }
          recipe.append(", int").append(width * 8).append('@').append(at).append('=')
              .append(HexFormat.of().formatHex(data, at, at + width));
          return data;
        }
        case 10, 11, 12 -> {
          return tweakNumber(data, recipe);
        }
        case 13, 14 -> {
          int at = rng.nextInt(n);
          int length = 1 + rng.nextInt(Math.min(n - at, 1 << rng.nextInt(8)));
          recipe.append(", delete ").append(length).append('@').append(at);
          return splice(data, at, at + length, new byte[0]);
        }
        case 15, 16 -> {
          int from = rng.nextInt(n);
          int length = 1 + rng.nextInt(Math.min(n - from, 1 << rng.nextInt(8)));
          int at = rng.nextInt(n + 1);
          recipe.append(", copy ").append(length).append('@').append(from).append(" to ").append(at);
          return splice(data, at, at, Arrays.copyOfRange(data, from, from + length));
        }
        case 17 -> {
          int at = rng.nextInt(n);
          byte[] token = token();
          int end = Math.min(n, at + token.length);
          recipe.append(", overwrite@").append(at).append(" with '").append(text(token)).append('\'');
          return splice(data, at, end, token);
        }
        case 18 -> {
          int cut = rng.nextInt(n);
          if (rng.nextInt(4) == 0) {
            recipe.append(", drop the first ").append(cut);
            return Arrays.copyOfRange(data, cut, n);
          }
          recipe.append(", truncate to ").append(cut);
          return Arrays.copyOf(data, cut);
        }
        case 19 -> {
          return repeat(data, recipe);
        }
        case 20, 21, 22, 23 -> {
          int at = rng.nextInt(n + 1);
          byte[] token = token();
          recipe.append(", insert '").append(text(token)).append("'@").append(at);
          return splice(data, at, at, token);
        }
        case 24, 25 -> {
          int at = rng.nextInt(n + 1);
          byte[] run = new byte[1 + rng.nextInt(1 << rng.nextInt(7))];
          if (rng.nextBoolean()) {
            Arrays.fill(run, INTERESTING_BYTES[rng.nextInt(INTERESTING_BYTES.length)]);
          } else {
            for (int i = 0; i < run.length; i++) {
              run[i] = (byte) rng.nextInt(256);
            }
          }
          recipe.append(", insert ").append(HexFormat.of().formatHex(run)).append('@').append(at);
          return splice(data, at, at, run);
        }
        default -> {
          byte[] other = seeds.get(rng.nextInt(seeds.size()));
          int cut = rng.nextInt(n + 1);
          int from = rng.nextInt(other.length + 1);
          recipe.append(", splice at ").append(cut).append(" with another seed from ").append(from);
          return splice(data, cut, n, Arrays.copyOfRange(other, from, other.length));
        }
      }
    }

    /** Replaces a run of decimal digits with an interesting number, or a near or huge one. */
    private byte[] tweakNumber(byte[] data, StringBuilder recipe) {
      int n = data.length;
      int start = rng.nextInt(n);
      int at = -1;
      for (int k = 0; k < n && at < 0; k++) {
        int i = (start + k) % n;
        if (isDigit(data[i]) && (i == 0 || !isDigit(data[i - 1]))) {
          at = i;
        }
      }
      if (at < 0) {
        return data;
      }
      int end = at;
      while (end < n && isDigit(data[end])) {
        end++;
      }
      String digits = new String(data, at, end - at, StandardCharsets.US_ASCII);
      String replacement = switch (rng.nextInt(4)) {
        case 0 -> digits.length() <= 18 ? Long.toString(Long.parseLong(digits) + rng.nextInt(5) - 2) : "0";
        case 1 -> digits + "0".repeat(1 + rng.nextInt(20));
        case 2 -> Long.toString(rng.nextLong() >>> rng.nextInt(64));
        default -> INTERESTING_NUMBERS[rng.nextInt(INTERESTING_NUMBERS.length)];
      };
      recipe.append(", number@").append(at).append(' ').append(digits).append("->").append(replacement);
      return splice(data, at, end, replacement.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Repeats an element many times: a bencoded string where there is one (a path component, a
     * list item), else a short run, so that inputs grow past what random edits reach.
     */
    private byte[] repeat(byte[] data, StringBuilder recipe) {
      int n = data.length;
      int from = rng.nextInt(n);
      int length = 1 + rng.nextInt(Math.min(n - from, 32));
      for (int k = 0; k < n; k++) {
        int i = (from + k) % n;
        if (isDigit(data[i]) && (i == 0 || !isDigit(data[i - 1]))) {
          int colon = i;
          while (colon < n && colon - i < 9 && isDigit(data[colon])) {
            colon++;
          }
          if (colon < n && data[colon] == ':' && data[i] != '0') {
            int stringLength = Integer.parseInt(new String(data, i, colon - i, StandardCharsets.US_ASCII));
            if (colon + 1 + stringLength <= n) {
              from = i;
              length = colon + 1 + stringLength - i;
              break;
            }
          }
        }
      }
      int room = Math.max(1, (MAX_INPUT_LENGTH - n) / length);
      int times = 1 + rng.nextInt(Math.min(room, 1 << rng.nextInt(17)));
      byte[] run = new byte[length * times];
      for (int t = 0; t < times; t++) {
        System.arraycopy(data, from, run, t * length, length);
      }
      recipe.append(", repeat ").append(length).append('@').append(from).append(' ').append(times)
          .append(" times");
      return splice(data, from, from, run);
    }

    private byte[] token() {
      return tokens.get(rng.nextInt(tokens.size()));
    }
  }

  /** {@code data} with {@code [from, to)} replaced by {@code insert}. */
  private static byte[] splice(byte[] data, int from, int to, byte[] insert) {
    byte[] out = new byte[data.length - (to - from) + insert.length];
    System.arraycopy(data, 0, out, 0, from);
    System.arraycopy(insert, 0, out, from, insert.length);
    System.arraycopy(data, to, out, from + insert.length, data.length - to);
    return out;
  }

  private static long readBigEndian(byte[] data, int at, int width) {
    long value = 0;
    for (int i = 0; i < width; i++) {
      value = value << 8 | (data[at + i] & 0xff);
    }
    return value;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static String hex(byte b) {
    return HexFormat.of().toHexDigits(b);
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(SplittableRandom rng, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) rng.nextInt(256);
    }
    return out;
  }

  private static byte[] array(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  // ---- valid seeds, built in memory

  private static final List<String> BENCODE_TOKENS = List.of(
      "i", "l", "d", "e", "0:", "1:", "i0e", "i-1e", "le", "de", "4:info", "4:name", "6:length",
      "5:files", "4:path", "12:piece length", "6:pieces", "7:private", "8:announce",
      "13:announce-list", "8:url-list", "13:creation date", "7:comment", "10:created by",
      "5:peers", "6:peers6", "2:ip", "4:port", "7:peer id", "8:interval", "12:min interval",
      "8:complete", "10:incomplete", "10:downloaded", "14:failure reason", "15:warning message",
      "10:tracker id", "1:.", "2:..", "1:/", "1:\\", "1:\0", "3:::1", "7:1.2.3.4", "9:999.1.1.1");

  private static final List<String> QUERY_TOKENS = List.of(
      "info_hash=", "&info_hash=", "peer_id=", "&peer_id=", "port=", "&port=", "uploaded=",
      "downloaded=", "left=", "compact=", "no_peer_id=", "event=", "&event=started", "completed",
      "stopped", "numwant=", "ip=", "key=", "trackerid=", "%20", "%3D", "%26");

  private static final List<String> MAGNET_TOKENS = List.of(
      "magnet:?", "xt=", "urn:btih:", "xt=urn:btih:", "&xt=urn:btih:", "&dn=", "&tr=", "&x.pe=",
      "[::1]:1", "[", "]:", "::", "1.2.3.4:", ":6881", ":0", ":65536", ":-1",
      "c12fe1c06bba254a9dc9f519b335aa7c1367a88a", "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK", "0", "1", "8");

  private static List<byte[]> bencodeSeeds() {
    return Stream.of(
            "i0e", "i42e", "i-42e", "i9223372036854775807e", "i-9223372036854775808e", "0:", "4:spam",
            "le", "de", "l4:spami42ee", "d3:cow3:moo4:spam4:eggse", "d4:spaml1:a1:bee",
            "lllllllllli1eeeeeeeeeee", "d1:ad1:bd1:cd1:di0eeeee", "l0:0:0:le1:xdee",
            "d1:bi1e1:ai2ee")
        .map(DecoderFuzzTest::ascii)
        .toList();
  }

  /** Single-file and multi-file torrents, with and without the optional keys. */
  private static List<byte[]> torrents() {
    SplittableRandom rng = new SplittableRandom(7);
    Info single = new Info("file.bin", 16384, randomBytes(rng, 2 * 20),
        List.of(new FileEntry(List.of("file.bin"), 20000)), true, false);
    Info multi = new Info("album", 32768, randomBytes(rng, 3 * 20),
        List.of(
            new FileEntry(List.of("cd1", "01.flac"), 40000),
            new FileEntry(List.of("cd1", "02.flac"), 30000),
            new FileEntry(List.of("cover.jpg"), 0),
            new FileEntry(List.of("notes", "ünïcode", "read me.txt"), 1234)),
        false, true);
    List<byte[]> torrents = new ArrayList<>();
    torrents.add(Metainfo.of(single, List.of(), Optional.empty(), Optional.empty(), Optional.empty()).encode());
    torrents.add(Metainfo.of(single, List.of("http://tracker.example/announce"), Optional.of("a comment"),
        Optional.of("swarmshare"), Optional.of(Instant.ofEpochSecond(1_700_000_000L))).encode());
    torrents.add(Metainfo.of(multi,
        List.of("udp://a.example:6969/announce", "http://b.example/announce"), Optional.empty(),
        Optional.of("mktorrent 1.1"), Optional.of(Instant.ofEpochSecond(1_234_567_890L))).encode());
    // By hand: the keys Metainfo.of does not write, a url-list both ways, an empty tier.
    BDict info = BDict.builder()
        .put("name", "dir")
        .put("piece length", 16384)
        .put("pieces", randomBytes(rng, 20))
        .put("files", new BList(List.of(
            BDict.builder().put("length", 100).put("path", new BList(List.of(BString.of("a")))).build(),
            BDict.builder().put("length", 200)
                .put("path", new BList(List.of(BString.of("b"), BString.of("c")))).build())))
        .put("private", 0)
        .build();
    torrents.add(BencodeEncoder.encode(BDict.builder()
        .put("announce", "http://t.example/announce")
        .put("announce-list", new BList(List.of(
            new BList(List.of(BString.of("http://t.example/announce"), BString.of("udp://u.example:1"))),
            new BList(List.of()))))
        .put("url-list", new BList(List.of(BString.of("http://mirror.example/"))))
        .put("creation date", 0)
        .put("info", info)
        .build()));
    torrents.add(BencodeEncoder.encode(BDict.builder()
        .put("url-list", "http://mirror.example/file.bin")
        .put("info", BDict.builder()
            .put("name", "file.bin")
            .put("piece length", 1 << 20)
            .put("pieces", randomBytes(rng, 20))
            .put("length", 1)
            .build())
        .put("x-unknown", new BList(List.of(new BInteger(-1), BDict.builder().build())))
        .build()));
    return torrents;
  }

  /** Valid handshakes, alone and followed by the first frames, as they arrive. */
  private static List<byte[]> handshakes() {
    byte[] allBits = new byte[Handshake.RESERVED_LENGTH];
    Arrays.fill(allBits, (byte) 0xff);
    ByteBuffer withFrames = ByteBuffer.allocate(Handshake.LENGTH + 9)
        .put(Handshake.of(HASH, PEER).withExtensionProtocol().encode())
        .putInt(5).put((byte) 4).putInt(3);
    return List.of(
        array(Handshake.of(HASH, PEER).encode()),
        array(Handshake.of(OTHER_HASH, PEER).withExtensionProtocol().encode()),
        array(new Handshake(allBits, HASH, PEER).encode()),
        withFrames.array());
  }

  /** One frame of every message, and a stream of several. */
  private static List<byte[]> wireFrames() {
    PeerWireCodec codec = new PeerWireCodec();
    byte[] extendedHandshake = BencodeEncoder.encode(BDict.builder()
        .put("m", BDict.builder().put("ut_metadata", 3).put("ut_pex", 1).build())
        .put("metadata_size", 31235)
        .put("v", "swarmshare 0.1")
        .build());
    List<PeerMessage> messages = List.of(
        PeerMessage.KeepAlive.INSTANCE,
        PeerMessage.Choke.INSTANCE,
        PeerMessage.Unchoke.INSTANCE,
        PeerMessage.Interested.INSTANCE,
        PeerMessage.NotInterested.INSTANCE,
        new PeerMessage.Have(7),
        PeerMessage.BitfieldMessage.of(Bitfield.full(13)),
        new PeerMessage.Request(1, 16384, 16384),
        new PeerMessage.Piece(2, 32768, ByteBuffer.wrap(randomBytes(new SplittableRandom(3), 100))),
        new PeerMessage.Cancel(1, 16384, 16384),
        new PeerMessage.Port(6881),
        new PeerMessage.Extended(0, ByteBuffer.wrap(extendedHandshake)),
        new PeerMessage.Extended(3, ByteBuffer.wrap(ascii("d8:msg_typei0e5:piecei0ee"))));
    List<byte[]> frames = new ArrayList<>();
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (PeerMessage message : messages) {
      byte[] frame = array(codec.encode(message));
      frames.add(frame);
      stream.writeBytes(frame);
    }
    frames.add(stream.toByteArray());
    return frames;
  }

  private static List<byte[]> udpRequests() {
    SplittableRandom rng = new SplittableRandom(5);
    List<byte[]> requests = new ArrayList<>();
    requests.add(array(UdpTrackerCodec.encode(new ConnectRequest(0x12345678))));
    for (AnnounceEvent event : AnnounceEvent.values()) {
      Optional<Inet4Address> ip = event == AnnounceEvent.STARTED
          ? Optional.of((Inet4Address) address(192, 168, 1, 20))
          : Optional.empty();
      requests.add(array(UdpTrackerCodec.encode(new AnnounceRequest(
          0x0123456789abcdefL, 77, HASH, PEER, 1000, event == AnnounceEvent.COMPLETED ? 0 : 5000,
          300, event, ip, 0x5eed, event == AnnounceEvent.STOPPED ? 0 : -1, 6881))));
    }
    // BEP 41 options after an announce: a URL data option, a NOP, the end.
    byte[] url = ascii("/announce?passkey=abc");
    requests.add(ByteBuffer.allocate(UdpTrackerCodec.ANNOUNCE_REQUEST_LENGTH + 2 + url.length + 2)
        .put(array(UdpTrackerCodec.encode(new AnnounceRequest(1, 2, OTHER_HASH, PEER, 0, 1, 0,
            AnnounceEvent.NONE, Optional.empty(), 3, 50, 51413))))
        .put((byte) 2).put((byte) url.length).put(url).put((byte) 1).put((byte) 0)
        .array());
    requests.add(array(UdpTrackerCodec.encode(new ScrapeRequest(9, 10, List.of(HASH)))));
    requests.add(array(UdpTrackerCodec.encode(new ScrapeRequest(9, 11, List.of(HASH, OTHER_HASH, HASH)))));
    List<InfoHash> many = new ArrayList<>();
    for (int i = 0; i < UdpTrackerCodec.MAX_SCRAPE_HASHES; i++) {
      many.add(InfoHash.of(randomBytes(rng, InfoHash.LENGTH)));
    }
    requests.add(array(UdpTrackerCodec.encode(new ScrapeRequest(9, 12, many))));
    return requests;
  }

  private static List<byte[]> udpResponses(StandardProtocolFamily family) {
    List<PeerAddress> peers = family == StandardProtocolFamily.INET
        ? List.of(new PeerAddress(address(10, 0, 0, 1), 6881),
            new PeerAddress(address(192, 168, 0, 2), 51413),
            new PeerAddress(address(255, 255, 255, 255), 65535))
        : List.of(new PeerAddress(address(0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), 6881),
            new PeerAddress(address(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1), 1));
    return List.of(
        array(UdpTrackerCodec.encode(new ConnectResponse(1, 0x0123456789abcdefL))),
        array(UdpTrackerCodec.encode(new AnnounceResponse(2, 1800, 5, 12, peers))),
        array(UdpTrackerCodec.encode(new AnnounceResponse(3, 900, 0, 0, List.of()))),
        array(UdpTrackerCodec.encode(new ScrapeResponse(4,
            List.of(new ScrapeStats(10, 100, 3), new ScrapeStats(0, 0, 0))))),
        array(UdpTrackerCodec.encode(new ErrorResponse(5, "unknown info hash: é"))));
  }

  private static List<byte[]> httpAnnounceQueries() {
    return Stream.of(
            HttpTrackerCodec.toQuery(HttpAnnounceRequest.of(HASH, PEER, 6881, 0, 0, 1000, AnnounceEvent.STARTED)),
            HttpTrackerCodec.toQuery(HttpAnnounceRequest.of(OTHER_HASH, PEER, 1, 5, 6, 0, AnnounceEvent.NONE)),
            HttpTrackerCodec.toQuery(new HttpAnnounceRequest(HASH, PEER, 65535, Long.MAX_VALUE, 123, 0,
                AnnounceEvent.COMPLETED, false, true, OptionalInt.of(50), Optional.of("2001:db8::1"),
                Optional.of("a key&="), Optional.of("tracker id"))),
            HttpTrackerCodec.toQuery(new HttpAnnounceRequest(OTHER_HASH, PEER, 0, 0, 0, 0,
                AnnounceEvent.STOPPED, true, false, OptionalInt.of(0), Optional.of("10.0.0.1"),
                Optional.empty(), Optional.empty())))
        .map(DecoderFuzzTest::ascii)
        .toList();
  }

  private static List<byte[]> httpScrapeQueries() {
    return Stream.of(
            HttpTrackerCodec.toQuery(new HttpScrapeRequest(List.of())),
            HttpTrackerCodec.toQuery(new HttpScrapeRequest(List.of(HASH))),
            HttpTrackerCodec.toQuery(new HttpScrapeRequest(List.of(HASH, OTHER_HASH))))
        .map(DecoderFuzzTest::ascii)
        .toList();
  }

  private static List<byte[]> httpAnnounceReplies() {
    List<HttpAnnounceResponse.Peer> peers = List.of(
        new HttpAnnounceResponse.Peer(new PeerAddress(address(10, 0, 0, 1), 6881), Optional.of(PEER)),
        HttpAnnounceResponse.Peer.of(new PeerAddress(address(192, 168, 7, 8), 51413)),
        HttpAnnounceResponse.Peer.of(new PeerAddress(
            address(0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), 6882)));
    HttpAnnounceResponse full = new HttpAnnounceResponse(
        1800, OptionalInt.of(60), 10, 3, peers, Optional.of("be nice"), Optional.of("id-1"));
    HttpAnnounceResponse empty = new HttpAnnounceResponse(
        900, OptionalInt.empty(), 0, 0, List.of(), Optional.empty(), Optional.empty());
    return List.of(
        HttpTrackerCodec.encode(full, true, false),
        HttpTrackerCodec.encode(full, false, false),
        HttpTrackerCodec.encode(full, false, true),
        HttpTrackerCodec.encode(empty, true, false),
        HttpTrackerCodec.encode(new HttpFailure("unregistered torrent")));
  }

  private static List<byte[]> httpScrapeReplies() {
    Map<InfoHash, ScrapeStats> files = new TreeMap<>();
    files.put(HASH, new ScrapeStats(5, 50, 2));
    files.put(OTHER_HASH, new ScrapeStats(0, 0, 0));
    return List.of(
        HttpTrackerCodec.encode(new HttpScrapeResponse(files)),
        HttpTrackerCodec.encode(new HttpScrapeResponse(Map.of())),
        HttpTrackerCodec.encode(new HttpFailure("scrape not allowed")));
  }

  private static List<byte[]> magnets() {
    return Stream.of(
            new MagnetLink(HASH, Optional.empty(), List.of(), List.of()).format(),
            new MagnetLink(HASH, Optional.of("My File é & more"),
                List.of("udp://tracker.example:6969/announce", "http://b.example/announce"),
                List.of("10.0.0.1:6881", "[2001:db8::1]:51413", "peer.example:1")).format(),
            "magnet:?xt=urn:btih:" + OTHER_HASH.base32() + "&dn=base32&xl=1234",
            "MAGNET:?xt=URN:BTIH:" + HASH.hex().toUpperCase() + "&xt=urn:btih:" + HASH.base32().toLowerCase()
                + "&tr=http%3A%2F%2Ft.example%2Fannounce&&as=http://x&dn=a+b%20c",
            "magnet:?dn=first&x.pe=[::1]:1&xt=urn:btih:" + HASH.hex() + "&xt=urn:btmh:1220abcd")
        .map(DecoderFuzzTest::ascii)
        .toList();
  }

  /** An IPv4 address, or an IPv6 one kept as IPv6 even when it maps an IPv4 address. */
  private static InetAddress address(int... bytes) {
    try {
      return bytes.length == 4
          ? InetAddress.getByAddress(DecoderFuzzTest.bytes(bytes))
          : Inet6Address.getByAddress(null, DecoderFuzzTest.bytes(bytes), -1);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
