package io.swarmshare.peer;

import com.typesafe.config.Config;
import io.swarmshare.messages.wire.PeerWireCodec;
import io.swarmshare.peer.wire.PeerConnection;
import java.time.Duration;

/** The peer's settings, read once from {@code swarmshare.peer}; reference.conf says what each is. */
public record PeerSettings(
    String host,
    int port,
    int maxFrameLength,
    int maxBlockLength,
    int outboundQueue,
    int maxQueuedRequests,
    Duration handshakeTimeout,
    Duration idleTimeout,
    Duration keepAliveInterval,
    int maxConnections,
    int maxOpenFiles) {

  /** Where disk reads and writes run. */
  public static final String BLOCKING_DISPATCHER = "swarmshare.peer.blocking-dispatcher";

  public static PeerSettings from(Config root) {
    Config c = root.getConfig("swarmshare.peer");
    PeerSettings s = new PeerSettings(
        c.getString("host"),
        c.getInt("port"),
        (int) c.getBytes("max-frame-length").longValue(),
        (int) c.getBytes("max-block-length").longValue(),
        c.getInt("outbound-queue"),
        c.getInt("max-queued-requests"),
        c.getDuration("handshake-timeout"),
        c.getDuration("idle-timeout"),
        c.getDuration("keep-alive-interval"),
        c.getInt("max-connections"),
        c.getInt("max-open-files"));
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
    return s;
  }

  public PeerConnection.Limits connectionLimits() {
    return new PeerConnection.Limits(maxFrameLength, outboundQueue, handshakeTimeout, idleTimeout);
  }
}
