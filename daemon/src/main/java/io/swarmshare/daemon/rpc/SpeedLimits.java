package io.swarmshare.daemon.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The node's speed limits as Transmission's session keeps them: a download and an upload limit,
 * each a value in kB/s (1,000 bytes) with its own on/off switch, so that turning a limit off keeps
 * its value; and the alternative limits, which replace both while {@code alt-speed-enabled} is on
 * (the "turtle"). What the session enforces is {@link #download()} and {@link #upload()}, in
 * bytes a second, 0 for none; a limit of 0 kB/s switched on is none too, since the session has no
 * way to stop every transfer. Immutable: {@link #change} gives the limits a {@code session-set} asks for.
 */
public record SpeedLimits(long downKb, boolean downEnabled, long upKb, boolean upEnabled, long altDownKb,
    long altUpKb, boolean altEnabled) {

  static final long UNIT = 1000;

  /** The limits of a node started with these, in bytes a second (0 none); the alternative ones off. */
  public static SpeedLimits initial(long downloadBytes, long uploadBytes, long altDownloadBytes, long altUploadBytes) {
    return new SpeedLimits(downloadBytes / UNIT, downloadBytes > 0, uploadBytes / UNIT, uploadBytes > 0,
        altDownloadBytes / UNIT, altUploadBytes / UNIT, false);
  }

  /** Bytes a second the node may download now, 0 for no limit. */
  public long download() {
    return altEnabled ? altDownKb * UNIT : downEnabled ? downKb * UNIT : 0;
  }

  public long upload() {
    return altEnabled ? altUpKb * UNIT : upEnabled ? upKb * UNIT : 0;
  }

  /**
   * These limits with what {@code args} of a {@code session-set} change ({@code speed-limit-down},
   * {@code -up}, their {@code -enabled}, {@code alt-speed-down}, {@code -up}, {@code alt-speed-enabled});
   * keys left out stay. Checked whole before anything changes: a bad value is an RPC error.
   */
  SpeedLimits change(JsonNode args) {
    return new SpeedLimits(
        kb(args, "speed-limit-down", downKb), flag(args, "speed-limit-down-enabled", downEnabled),
        kb(args, "speed-limit-up", upKb), flag(args, "speed-limit-up-enabled", upEnabled),
        kb(args, "alt-speed-down", altDownKb), kb(args, "alt-speed-up", altUpKb),
        flag(args, "alt-speed-enabled", altEnabled));
  }

  /** Whether {@code args} name any of these limits. */
  static boolean named(JsonNode args) {
    for (String key : new String[] {"speed-limit-down", "speed-limit-down-enabled", "speed-limit-up",
        "speed-limit-up-enabled", "alt-speed-down", "alt-speed-up", "alt-speed-enabled"}) {
      if (args.has(key)) {
        return true;
      }
    }
    return false;
  }

  /** Writes the limits under Transmission's {@code session-get} keys. */
  void write(ObjectNode o) {
    o.put("speed-limit-down", downKb);
    o.put("speed-limit-down-enabled", downEnabled);
    o.put("speed-limit-up", upKb);
    o.put("speed-limit-up-enabled", upEnabled);
    o.put("alt-speed-enabled", altEnabled);
    o.put("alt-speed-down", altDownKb);
    o.put("alt-speed-up", altUpKb);
  }

  /** Transmission's largest speed is an int of kB/s; more than that is surely a mistake. */
  private static final long MAX_KB = Integer.MAX_VALUE;

  private static long kb(JsonNode args, String key, long current) {
    JsonNode v = args.get(key);
    if (v == null) {
      return current;
    }
    if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > MAX_KB) {
      throw new TransmissionRpc.RpcError(key + " must be a whole number of kB/s from 0 to " + MAX_KB + ", got " + v);
    }
    return v.asLong();
  }

  private static boolean flag(JsonNode args, String key, boolean current) {
    JsonNode v = args.get(key);
    if (v == null) {
      return current;
    }
    if (!v.isBoolean()) {
      throw new TransmissionRpc.RpcError(key + " must be true or false, got " + v);
    }
    return v.asBoolean();
  }
}
