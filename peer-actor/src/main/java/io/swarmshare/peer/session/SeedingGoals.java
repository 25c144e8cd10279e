package io.swarmshare.peer.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a seeding torrent has done enough and stops, as Transmission's seed ratio and idle limits
 * decide it. The ratio goal is reached once the torrent has uploaded {@code ratio} times its size
 * (a ratio of 0 is reached at once); the idle goal once no data has moved for the idle limit since
 * the later of the torrent's start and its last activity. Each torrent follows the node's goal,
 * has its own, or has none, goal by goal (Transmission's seedRatioMode and seedIdleMode 0, 1, 2).
 * Only a complete torrent has goals: a download never stops for them.
 */
public final class SeedingGoals {

  private SeedingGoals() {}

  /** Whose goal a torrent follows; the ordinal is Transmission's number for it. */
  public enum Mode {
    NODE, OWN, UNLIMITED;

    public int transmission() {
      return ordinal();
    }

    public static Mode ofTransmission(long number) {
      if (number < 0 || number >= values().length) {
        throw new IllegalArgumentException("a seeding mode is 0 (the node's), 1 (its own) or 2 (unlimited), not "
            + number);
      }
      return values()[(int) number];
    }
  }

  /** Why a torrent stopped seeding; {@link #why} is its log line's reason. */
  public enum Reached {
    RATIO("its seed ratio is reached"), IDLE("it has been idle for its seeding idle limit");

    public final String why;

    Reached(String why) {
      this.why = why;
    }
  }

  /**
   * The node's goals: each limit's value is kept while it is off, as Transmission keeps
   * {@code seedRatioLimit} beside {@code seedRatioLimited}.
   */
  public record Node(boolean ratioLimited, double ratio, boolean idleLimited, Duration idle) {
    public Node {
      checkRatio(ratio);
      checkIdle(idle);
    }
  }

  /** One torrent's choice for each goal, and its own values (used in {@link Mode#OWN}). */
  public record Goals(Mode ratioMode, double ratio, Mode idleMode, Duration idle) {
    public Goals {
      checkRatio(ratio);
      checkIdle(idle);
    }

    /** A new torrent follows the node, with the node's values as its own until it is given others. */
    public static Goals following(Node node) {
      return new Goals(Mode.NODE, node.ratio(), Mode.NODE, node.idle());
    }

    public Goals withRatio(Mode mode, double value) {
      return new Goals(mode, value, idleMode, idle);
    }

    public Goals withIdle(Mode mode, Duration value) {
      return new Goals(ratioMode, ratio, mode, value);
    }
  }

  /** The ratio a torrent stops at, if any. */
  public static Optional<Double> ratioLimit(Goals goals, Node node) {
    return switch (goals.ratioMode()) {
      case OWN -> Optional.of(goals.ratio());
      case NODE -> node.ratioLimited() ? Optional.of(node.ratio()) : Optional.empty();
      case UNLIMITED -> Optional.empty();
    };
  }

  /** How long a torrent may stay idle while seeding, if there is a limit. */
  public static Optional<Duration> idleLimit(Goals goals, Node node) {
    return switch (goals.idleMode()) {
      case OWN -> Optional.of(goals.idle());
      case NODE -> node.idleLimited() ? Optional.of(node.idle()) : Optional.empty();
      case UNLIMITED -> Optional.empty();
    };
  }

  /** Whether a complete torrent of {@code size} bytes that has uploaded {@code uploaded} is past its ratio. */
  public static boolean ratioReached(Goals goals, Node node, long size, long uploaded) {
    return ratioLimit(goals, node).map(r -> uploaded >= (long) (size * r)).orElse(false);
  }

  /**
   * Which goal, if any, a seeding torrent has reached: {@code activeSince} is the later of its
   * start and the last time it moved data. The ratio is looked at first, as Transmission does.
   */
  public static Optional<Reached> reached(Goals goals, Node node, long size, long uploaded, Instant activeSince,
      Instant now) {
    if (ratioReached(goals, node, size, uploaded)) {
      return Optional.of(Reached.RATIO);
    }
    Optional<Duration> idle = idleLimit(goals, node);
    if (idle.isPresent() && Duration.between(activeSince, now).compareTo(idle.get()) >= 0) {
      return Optional.of(Reached.IDLE);
    }
    return Optional.empty();
  }

  private static void checkRatio(double ratio) {
    if (!(ratio >= 0) || Double.isInfinite(ratio)) {
      throw new IllegalArgumentException("a seed ratio must be a number of 0 or more, not " + ratio);
    }
  }

  private static void checkIdle(Duration idle) {
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("a seeding idle limit must be positive, not " + idle);
    }
  }
}
