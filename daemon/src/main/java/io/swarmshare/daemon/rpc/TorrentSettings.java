package io.swarmshare.daemon.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.swarmshare.peer.Session;
import io.swarmshare.peer.bandwidth.TorrentLimits;
import io.swarmshare.peer.session.SeedingGoals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The arguments of {@code torrent-set}, checked whole before anything changes: the seeding goals
 * ({@code seedRatioLimit}, {@code seedRatioMode}, {@code seedIdleLimit} in minutes,
 * {@code seedIdleMode}), the speed limits ({@code downloadLimit} and {@code uploadLimit} in kB/s,
 * {@code downloadLimited}, {@code uploadLimited}, {@code honorsSessionLimits}), {@code labels} and
 * {@code queuePosition} ({@code location} is the RPC's, as set-location without a move). Keys Transmission knows but this node cannot honour yet are refused with
 * a {@code result} that says so, rather than answered with a success that changed nothing; other
 * keys are ignored, as Transmission ignores them.
 */
final class TorrentSettings {

  static final int MAX_LABELS = 64;
  static final int MAX_LABEL_LENGTH = 255;
  /** Transmission keeps the idle limit in a 16-bit count of minutes. */
  static final int MAX_IDLE_MINUTES = 65_535;

  static final long MAX_SPEED_LIMIT = Integer.MAX_VALUE;

  private static final Set<String> NOT_YET = Set.of("bandwidthPriority", "peer-limit", "files-wanted", "files-unwanted",
      "priority-high", "priority-low", "priority-normal", "trackerAdd", "trackerRemove", "trackerReplace",
      "trackerList", "sequentialDownload", "group");

  private TorrentSettings() {}

  static Session.TorrentChanges changes(JsonNode args) {
    List<String> unsupported = new ArrayList<>();
    args.fieldNames().forEachRemaining(key -> {
      if (NOT_YET.contains(key)) {
        unsupported.add(key);
      }
    });
    if (!unsupported.isEmpty()) {
      throw new TransmissionRpc.RpcError("torrent-set: " + String.join(", ", unsupported.stream().sorted().toList())
          + (unsupported.size() == 1 ? " is" : " are") + " not supported yet");
    }
    Optional<Double> ratio = Optional.ofNullable(args.get("seedRatioLimit")).map(v -> {
      if (!v.isNumber() || !(v.asDouble() >= 0) || Double.isInfinite(v.asDouble())) {
        throw new TransmissionRpc.RpcError("seedRatioLimit must be a number of 0 or more, got " + v);
      }
      return v.asDouble();
    });
    Optional<Duration> idle = Optional.ofNullable(args.get("seedIdleLimit")).map(v -> {
      if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > MAX_IDLE_MINUTES) {
        throw new TransmissionRpc.RpcError("seedIdleLimit must be a number of minutes from 1 to " + MAX_IDLE_MINUTES
            + ", got " + v);
      }
      return Duration.ofMinutes(v.asInt());
    });
    Optional<Integer> position = Optional.ofNullable(args.get("queuePosition")).map(v -> {
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
        throw new TransmissionRpc.RpcError("queuePosition must be a place in the queue, 0 or more, got " + v);
      }
      return v.asInt();
    });
    TorrentLimits.Changes limits = new TorrentLimits.Changes(speed(args, "downloadLimit"),
        flag(args, "downloadLimited"), speed(args, "uploadLimit"), flag(args, "uploadLimited"),
        flag(args, "honorsSessionLimits"));
    return new Session.TorrentChanges(mode(args, "seedRatioMode"), ratio, mode(args, "seedIdleMode"), idle, limits,
        Optional.ofNullable(args.get("labels")).map(TorrentSettings::labels), position);
  }

  /** A speed limit in kB/s, as bytes a second. */
  private static Optional<Long> speed(JsonNode args, String key) {
    return Optional.ofNullable(args.get(key)).map(v -> {
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > MAX_SPEED_LIMIT) {
        throw new TransmissionRpc.RpcError(key + " must be a whole number of kB/s from 0 to " + MAX_SPEED_LIMIT
            + ", got " + v);
      }
      return v.asLong() * SpeedLimits.UNIT;
    });
  }

  /** True or false; 1 or 0 too, which Transmission's own parser takes for them. */
  private static Optional<Boolean> flag(JsonNode args, String key) {
    return Optional.ofNullable(args.get(key)).map(v -> {
      if (v.isBoolean()) {
        return v.booleanValue();
      }
      if (v.isIntegralNumber() && (v.asLong() == 0 || v.asLong() == 1)) {
        return v.asLong() == 1;
      }
      throw new TransmissionRpc.RpcError(key + " must be true or false, got " + v);
    });
  }

  private static Optional<SeedingGoals.Mode> mode(JsonNode args, String key) {
    return Optional.ofNullable(args.get(key)).map(v -> {
      try {
        if (!v.isIntegralNumber()) {
          throw new IllegalArgumentException("got " + v);
        }
        return SeedingGoals.Mode.ofTransmission(v.asLong());
      } catch (IllegalArgumentException e) {
        throw new TransmissionRpc.RpcError(key + " must be 0 (the session's), 1 (its own) or 2 (unlimited), got "
            + v);
      }
    });
  }

  /** Transmission's rules for labels: text, no commas (its clients join them with commas), none empty. */
  private static List<String> labels(JsonNode v) {
    if (!v.isArray() || v.size() > MAX_LABELS) {
      throw new TransmissionRpc.RpcError("labels must be a list of at most " + MAX_LABELS + " strings");
    }
    List<String> labels = new ArrayList<>();
    for (JsonNode l : v) {
      String label = l.isTextual() ? l.textValue().strip() : "";
      if (label.isEmpty() || label.contains(",") || label.length() > MAX_LABEL_LENGTH
          || label.chars().anyMatch(Character::isISOControl)) {
        throw new TransmissionRpc.RpcError("a label must be text of 1 to " + MAX_LABEL_LENGTH
            + " characters without commas or control characters, got " + l);
      }
      if (!labels.contains(label)) {
        labels.add(label);
      }
    }
    return labels;
  }
}
