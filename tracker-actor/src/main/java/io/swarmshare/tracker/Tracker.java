package io.swarmshare.tracker;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.tracker.ScrapeStats;
import io.swarmshare.tracker.registry.AnnounceResult;
import io.swarmshare.tracker.registry.Registry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Keeps the swarms this tracker knows and forgets peers that stop announcing. One timer sweeps
 * every swarm, however many peers there are: a peer costs no timer of its own.
 */
public final class Tracker extends AbstractBehavior<Tracker.Command> {

  public sealed interface Command permits Announce, Scrape, GetTotals, Sweep {}

  /**
   * An announce. {@code ticket} comes back unchanged in the answer, so that an endpoint can match
   * answers to its clients without keeping a table of them.
   */
  public record Announce(
      io.swarmshare.tracker.registry.Announce request, Object ticket, ActorRef<Answer> replyTo)
      implements Command {}

  /** The answer to an announce: the registry's result, or why it was refused. */
  public sealed interface Answer permits Announced, Refused {
    Object ticket();
  }

  public record Announced(Object ticket, AnnounceResult result, int interval, int minInterval)
      implements Answer {}

  public record Refused(Object ticket, String reason) implements Answer {}

  public record Scrape(List<InfoHash> infoHashes, Object ticket, ActorRef<Scraped> replyTo)
      implements Command {}

  /** Counts for each asked swarm, in the order asked. */
  public record Scraped(Object ticket, List<ScrapeStats> stats) {}

  public record GetTotals(ActorRef<Registry.Totals> replyTo) implements Command {}

  private enum Sweep implements Command {
    INSTANCE
  }

  public static Behavior<Command> create(TrackerSettings settings, TrackerStats stats) {
    return create(settings, stats, () -> newRegistry(settings));
  }

  /** With the registry to use: tests pass one that fails on purpose. */
  static Behavior<Command> create(TrackerSettings settings, TrackerStats stats, Supplier<Registry> registries) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Sweep.INSTANCE, settings.sweepInterval());
      ctx.getLog().debug("tracker registry ready; sweeping every {}", settings.sweepInterval());
      return new Tracker(ctx, settings, stats, registries.get());
    }));
  }

  static Registry newRegistry(TrackerSettings settings) {
    return new Registry(
        new Registry.Limits(settings.defaultNumWant(), settings.maxNumWant(), settings.maxPeers()),
        System.nanoTime());
  }

  private final TrackerSettings settings;
  private final TrackerStats stats;
  private final Registry registry;
  private final int timeoutTicks;

  private Tracker(ActorContext<Command> ctx, TrackerSettings settings, TrackerStats stats, Registry registry) {
    super(ctx);
    this.settings = settings;
    this.stats = stats;
    this.registry = registry;
    this.timeoutTicks = ticks(settings.peerTimeout(), settings.sweepInterval());
  }

  /** The number of sweeps that covers a timeout: a peer is kept at least that long. */
  static int ticks(Duration timeout, Duration sweep) {
    return (int) Math.max(1, (timeout.toMillis() + sweep.toMillis() - 1) / sweep.toMillis());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Announce.class, this::onAnnounce)
        .onMessage(Scrape.class, this::onScrape)
        .onMessage(GetTotals.class, this::onGetTotals)
        .onMessageEquals(Sweep.INSTANCE, this::onSweep)
        .build();
  }

  private Behavior<Command> onAnnounce(Announce msg) {
    try {
      AnnounceResult result = registry.announce(msg.request());
      stats.announced();
      msg.replyTo().tell(new Announced(
          msg.ticket(), result, settings.intervalSeconds(), (int) settings.minAnnounceInterval().toSeconds()));
    } catch (Registry.FullException e) {
      stats.failed();
      msg.replyTo().tell(new Refused(msg.ticket(), e.getMessage()));
    }
    return this;
  }

  private Behavior<Command> onScrape(Scrape msg) {
    List<ScrapeStats> counts = new ArrayList<>(msg.infoHashes().size());
    for (InfoHash hash : msg.infoHashes()) {
      counts.add(registry.scrape(hash));
    }
    stats.scraped();
    msg.replyTo().tell(new Scraped(msg.ticket(), counts));
    return this;
  }

  private Behavior<Command> onGetTotals(GetTotals msg) {
    msg.replyTo().tell(registry.totals());
    return this;
  }

  private Behavior<Command> onSweep() {
    long expired = registry.sweep(timeoutTicks);
    Registry.Totals totals = registry.totals();
    if (expired > 0) {
      getContext().getLog().info("forgot {} peers that stopped announcing; {} swarms, {} peers ({} seeders) remain",
          expired, totals.swarms(), totals.peers(), totals.seeders());
    } else {
      getContext().getLog().debug("{} swarms, {} peers ({} seeders)", totals.swarms(), totals.peers(), totals.seeders());
    }
    return this;
  }
}
