package io.swarmshare.peer;

import com.typesafe.config.Config;
import io.swarmshare.messages.wire.PeerWireCodec;
import io.swarmshare.peer.crypto.IncomingEncryption;
import io.swarmshare.peer.session.SeedingGoals;
import io.swarmshare.peer.session.TorrentQueue;
import io.swarmshare.peer.wire.PeerConnection;
import java.time.Duration;

/** The peer's settings, read once from {@code swarmshare.peer}; reference.conf says what each is. */
public record PeerSettings(
    String host,
    int port,
    int maxFrameLength,
    int readBuffer,
    int maxBlockLength,
    int outboundQueue,
    int maxQueuedRequests,
    int maxUnrequestedBlocks,
    Duration unchokeDebounce,
    int maxUnchokesPerMinute,
    Duration handshakeTimeout,
    IncomingEncryption incomingEncryption,
    Duration idleTimeout,
    Duration keepAliveInterval,
    int maxConnections,
    int maxOpenFiles,
    int maxPeersPerTorrent,
    int maxHalfOpen,
    int maxCandidates,
    Duration connectTimeout,
    int requestQueueDepth,
    int writeQueue,
    int uploadPipeline,
    Duration requestTimeout,
    int unchokeSlots,
    Duration chokeInterval,
    int optimisticEveryRounds,
    int seedRotationRounds,
    int maxHashFailures,
    int maxBans,
    Duration banDuration,
    int checkingSlots,
    Duration resumeSaveInterval,
    Duration trackerRetryBase,
    long uploadLimit,
    long downloadLimit,
    SeedingGoals.Node seedingGoals,
    TorrentQueue.Limits queue,
    Metadata metadata) {

  /** swarmshare.peer.metadata: BEP 9's exchange of info dictionaries, for magnet links. */
  public record Metadata(int maxSize, int extraRequests, Duration timeout, int connections) {}

  /** Where disk reads and writes run. */
  public static final String BLOCKING_DISPATCHER = "swarmshare.peer.blocking-dispatcher";

  public static PeerSettings from(Config root) {
    Config c = root.getConfig("swarmshare.peer");
    PeerSettings s = new PeerSettings(
        c.getString("host"),
        c.getInt("port"),
        (int) c.getBytes("max-frame-length").longValue(),
        (int) c.getBytes("read-buffer").longValue(),
        (int) c.getBytes("max-block-length").longValue(),
        c.getInt("outbound-queue"),
        c.getInt("max-queued-requests"),
        c.getInt("max-unrequested-blocks"),
        c.getDuration("unchoke-debounce"),
        c.getInt("max-unchokes-per-minute"),
        c.getDuration("handshake-timeout"),
        IncomingEncryption.parse(c.getString("incoming-encryption")),
        c.getDuration("idle-timeout"),
        c.getDuration("keep-alive-interval"),
        c.getInt("max-connections"),
        c.getInt("max-open-files"),
        c.getInt("max-peers-per-torrent"),
        c.getInt("max-half-open"),
        c.getInt("max-candidates"),
        c.getDuration("connect-timeout"),
        c.getInt("request-queue-depth"),
        c.getInt("write-queue"),
        c.getInt("upload-pipeline"),
        c.getDuration("request-timeout"),
        c.getInt("unchoke-slots"),
        c.getDuration("choke-interval"),
        c.getInt("optimistic-unchoke-every"),
        c.getInt("seed-rotation-rounds"),
        c.getInt("max-hash-failures"),
        c.getInt("max-bans"),
        c.getDuration("ban-duration"),
        c.getInt("checking-slots"),
        c.getDuration("resume-save-interval"),
        c.getDuration("tracker-retry-base"),
        c.getBytes("upload-limit"),
        c.getBytes("download-limit"),
        seedingGoals(c),
        queueLimits(c),
        new Metadata((int) Math.min(Integer.MAX_VALUE, c.getBytes("metadata.max-size")),
            c.getInt("metadata.extra-requests"), c.getDuration("metadata.timeout"), c.getInt("metadata.connections")));
    if (s.port < 0 || s.port > 65535) {
      throw new IllegalArgumentException("swarmshare.peer.port must be 0..65535, got " + s.port);
    }
    if (s.maxFrameLength < PeerWireCodec.MIN_MAX_FRAME_LENGTH) {
      throw new IllegalArgumentException(
          "swarmshare.peer.max-frame-length must be at least " + PeerWireCodec.MIN_MAX_FRAME_LENGTH);
    }
    if (s.keepAliveInterval.compareTo(s.idleTimeout) >= 0) {
      throw new IllegalArgumentException("swarmshare.peer.keep-alive-interval must be shorter than idle-timeout");
    }
    positive("read-buffer", s.readBuffer);
    positive("max-queued-requests", s.maxQueuedRequests);
    positive("max-unchokes-per-minute", s.maxUnchokesPerMinute);
    if (s.maxUnrequestedBlocks < 0) {
      throw new IllegalArgumentException("swarmshare.peer.max-unrequested-blocks must not be negative");
    }
    positive("max-connections", s.maxConnections);
    positive("max-open-files", s.maxOpenFiles);
    positive("max-peers-per-torrent", s.maxPeersPerTorrent);
    positive("max-half-open", s.maxHalfOpen);
    positive("max-candidates", s.maxCandidates);
    positive("request-queue-depth", s.requestQueueDepth);
    positive("write-queue", s.writeQueue);
    positive("upload-pipeline", s.uploadPipeline);
    if (s.uploadPipeline + 8 > s.outboundQueue) {
      throw new IllegalArgumentException("swarmshare.peer.outbound-queue must exceed upload-pipeline by 8 or more");
    }
    positive("optimistic-unchoke-every", s.optimisticEveryRounds);
    positive("seed-rotation-rounds", s.seedRotationRounds);
    positive("max-hash-failures", s.maxHashFailures);
    positive("max-bans", s.maxBans);
    positive("checking-slots", s.checkingSlots);
    positive("metadata.max-size", s.metadata.maxSize());
    positive("metadata.connections", s.metadata.connections());
    if (s.metadata.extraRequests() < 0) {
      throw new IllegalArgumentException("swarmshare.peer.metadata.extra-requests must not be negative");
    }
    if (s.unchokeSlots < 0 || s.uploadLimit < 0 || s.downloadLimit < 0) {
      throw new IllegalArgumentException("swarmshare.peer.unchoke-slots, upload-limit and download-limit must not be negative");
    }
    return s;
  }

  private static SeedingGoals.Node seedingGoals(Config c) {
    try {
      return new SeedingGoals.Node(c.getBoolean("seed-ratio-limited"), c.getDouble("seed-ratio-limit"),
          c.getBoolean("idle-seeding-limit-enabled"), c.getDuration("idle-seeding-limit"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("swarmshare.peer.seed-ratio-limit and idle-seeding-limit: " + e.getMessage());
    }
  }

  private static TorrentQueue.Limits queueLimits(Config c) {
    int downloads = c.getInt("download-queue-size");
    int seeds = c.getInt("seed-queue-size");
    if (downloads < 0 || seeds < 0) {
      throw new IllegalArgumentException("swarmshare.peer.download-queue-size and seed-queue-size must not be negative");
    }
    Duration stalled = c.getDuration("queue-stalled-minutes");
    if (stalled.isNegative() || stalled.isZero()) {
      throw new IllegalArgumentException("swarmshare.peer.queue-stalled-minutes must be a positive duration");
    }
    return new TorrentQueue.Limits(c.getBoolean("download-queue-enabled"), downloads, c.getBoolean("seed-queue-enabled"),
        seeds, c.getBoolean("queue-stalled-enabled"), stalled);
  }

  private static void positive(String key, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("swarmshare.peer." + key + " must be positive, got " + value);
    }
  }

  public PeerConnection.Limits connectionLimits() {
    return new PeerConnection.Limits(maxFrameLength, readBuffer, outboundQueue, handshakeTimeout, idleTimeout);
  }
}
