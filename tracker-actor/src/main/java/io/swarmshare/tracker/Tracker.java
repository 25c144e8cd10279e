package io.swarmshare.tracker;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.tracker.ScrapeStats;
import io.swarmshare.tracker.catalogue.Catalogue;
import io.swarmshare.tracker.catalogue.PublishResult;
import io.swarmshare.tracker.registry.AnnounceResult;
import io.swarmshare.tracker.registry.Registry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the swarms this tracker knows and forgets peers that stop announcing. One timer sweeps
 * every swarm, however many peers there are: a peer costs no timer of its own.
 */
public final class Tracker extends AbstractBehavior<Tracker.Command> {

  public sealed interface Command
      permits Announce, Scrape, GetTotals, GetCatalogueSize, Publish, ListCatalogue, GetTorrent, ListSwarms,
          ListPeers, Listed, Sweep, Crash {}

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

  /** How much the catalogue holds, for {@code /metrics}. */
  public record GetCatalogueSize(ActorRef<CatalogueSize> replyTo) implements Command {}

  /** Torrents in the catalogue and the bytes of their .torrent files (what max-catalogue-bytes caps). */
  public record CatalogueSize(int entries, long bytes) {}

  /** Adds a .torrent to the catalogue for {@code publisher}; refused with a reason if it may not be kept. */
  public record Publish(byte[] torrent, Catalogue.Publisher publisher, ActorRef<PublishResult> replyTo)
      implements Command {}

  /**
   * A page of the catalogue (entries {@code offset} to {@code offset + limit}), optionally only
   * names containing {@code name}, with each swarm's counts.
   */
  public record ListCatalogue(Optional<String> name, int offset, int limit, ActorRef<CataloguePage> replyTo)
      implements Command {}

  /** One page of the catalogue and how many entries the whole listing has. */
  public record CataloguePage(int total, int offset, int limit, List<CatalogueEntry> entries) {}

  /** A published .torrent file, byte for byte. */
  public record GetTorrent(InfoHash infoHash, ActorRef<Optional<byte[]>> replyTo) implements Command {}

  /** One catalogue entry as people see it: what the file is and how alive its swarm is. */
  public record CatalogueEntry(String name, String infoHash, long size, int files, int seeders, int leechers,
      int completed, String publisher) {}

  /**
   * The counts of at most {@code max} swarms (the busiest, if there are more), each with its name
   * from the catalogue where it has one: what the tracker's page lists.
   */
  public record ListSwarms(int max, ActorRef<SwarmList> replyTo) implements Command {}

  /** {@code total} swarms in all, of which {@code swarms} are listed. */
  public record SwarmList(int total, List<SwarmRow> swarms) {}

  /** A swarm as the page shows it; {@code name} is empty when the catalogue does not hold its torrent. */
  public record SwarmRow(InfoHash infoHash, Optional<String> name, int seeders, int leechers, int completed) {}

  /** Up to {@code max} peers of one swarm, for the page (which masks their addresses unless told not to). */
  public record ListPeers(InfoHash infoHash, int max, ActorRef<List<Registry.PeerEntry>> replyTo)
      implements Command {}

  /** A page read off the catalogue, to be joined with the registry's counts. */
  private record Listed(ListCatalogue request, Catalogue.Page page, Throwable failure) implements Command {}

  private enum Sweep implements Command {
    INSTANCE
  }

  /** A test seam, never sent by production code: fails the actor, to show its supervisor at work. */
  public record Crash() implements Command {}

  public static Behavior<Command> create(TrackerSettings settings, TrackerStats stats) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Sweep.INSTANCE, settings.sweepInterval());
      Executor blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(BLOCKING_DISPATCHER));
      // The catalogue is durable: a restarted Tracker reads it back from disk, off the actor's thread.
      CompletableFuture<Catalogue> catalogue = CompletableFuture.supplyAsync(() -> {
        try {
          return Catalogue.open(settings.dataDir(), new Catalogue.Limits(
              settings.maxTorrentSize(), settings.maxCatalogueEntries(), settings.maxCatalogueBytes()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, blocking);
      catalogue.whenComplete((c, failure) -> {
        if (failure != null) {
          ASYNC_LOG.error("cannot open the catalogue in {}: {}", settings.dataDir(), failure.getMessage());
        }
      });
      return new Tracker(ctx, settings, stats, newRegistry(settings), catalogue, blocking);
    }));
  }

  /** For callbacks that run off the actor's thread, where its context's logger may not be used. */
  private static final Logger ASYNC_LOG = LoggerFactory.getLogger(Tracker.class);

  /** Where catalogue file I/O runs, never on the default dispatcher. */
  public static final String BLOCKING_DISPATCHER = "swarmshare.tracker.blocking-dispatcher";

  private static Registry newRegistry(TrackerSettings settings) {
    return new Registry(
        new Registry.Limits(settings.defaultNumWant(), settings.maxNumWant(), settings.maxPeers(),
            orUnlimited(settings.perAddress().maxPeers()), orUnlimited(settings.perAddress().maxSwarms())),
        System.nanoTime());
  }

  /** Per-address limits say 0 for none. */
  private static int orUnlimited(int limit) {
    return limit == 0 ? Integer.MAX_VALUE : limit;
  }

  private final TrackerSettings settings;
  private final TrackerStats stats;
  private final Registry registry;
  private final int timeoutTicks;
  private final CompletableFuture<Catalogue> catalogue;
  private final Executor blocking;

  private Tracker(ActorContext<Command> ctx, TrackerSettings settings, TrackerStats stats, Registry registry,
      CompletableFuture<Catalogue> catalogue, Executor blocking) {
    super(ctx);
    this.settings = settings;
    this.stats = stats;
    this.registry = registry;
    this.timeoutTicks = settings.timeoutTicks();
    this.catalogue = catalogue;
    this.blocking = blocking;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Announce.class, this::onAnnounce)
        .onMessage(Scrape.class, this::onScrape)
        .onMessage(GetTotals.class, this::onGetTotals)
        .onMessage(GetCatalogueSize.class, this::onGetCatalogueSize)
        .onMessage(Publish.class, this::onPublish)
        .onMessage(ListCatalogue.class, this::onListCatalogue)
        .onMessage(Listed.class, this::onListed)
        .onMessage(GetTorrent.class, this::onGetTorrent)
        .onMessage(ListSwarms.class, this::onListSwarms)
        .onMessage(ListPeers.class, this::onListPeers)
        .onMessageEquals(Sweep.INSTANCE, this::onSweep)
        .onMessage(Crash.class, crash -> {
          throw new IllegalStateException("crash injected by a test");
        })
        .build();
  }

  private Behavior<Command> onAnnounce(Announce msg) {
    try {
      AnnounceResult result = registry.announce(msg.request());
      msg.replyTo().tell(new Announced(
          msg.ticket(), result, settings.intervalSeconds(), (int) settings.minAnnounceInterval().toSeconds()));
    } catch (Registry.LimitException e) {
      // The endpoints count announces and errors by protocol; the limit is known only here.
      stats.limited(e.limit());
      msg.replyTo().tell(new Refused(msg.ticket(), e.getMessage()));
    }
    return this;
  }

  private Behavior<Command> onScrape(Scrape msg) {
    List<ScrapeStats> counts = new ArrayList<>(msg.infoHashes().size());
    for (InfoHash hash : msg.infoHashes()) {
      counts.add(registry.scrape(hash));
    }
    msg.replyTo().tell(new Scraped(msg.ticket(), counts));
    return this;
  }

  private Behavior<Command> onGetTotals(GetTotals msg) {
    msg.replyTo().tell(registry.totals());
    return this;
  }

  /** The catalogue's snapshot may be read from any thread; one that could not be opened holds nothing. */
  private Behavior<Command> onGetCatalogueSize(GetCatalogueSize msg) {
    catalogue.whenComplete((c, failure) -> msg.replyTo().tell(
        failure != null ? new CatalogueSize(0, 0) : new CatalogueSize(c.size(), c.totalBytes())));
    return this;
  }

  private Behavior<Command> onPublish(Publish msg) {
    catalogue.thenApplyAsync(c -> c.publish(msg.torrent(), msg.publisher()), blocking).whenComplete((result, failure) -> {
      if (failure != null) {
        msg.replyTo().tell(new PublishResult.Refused(
            PublishResult.Reason.STORAGE_FAILED, "the tracker's catalogue is not available"));
      } else {
        if (result instanceof PublishResult.Added added) {
          ASYNC_LOG.info("{} published {} ({}) to the catalogue", added.entry().publisher(),
              Catalogue.oneLine(added.entry().name()), added.entry().infoHash());
        }
        msg.replyTo().tell(result);
      }
    });
    return this;
  }

  /** Filtering and paging run on the blocking dispatcher; only one page's counts are read on this thread. */
  private Behavior<Command> onListCatalogue(ListCatalogue msg) {
    getContext().pipeToSelf(
        catalogue.thenApplyAsync(c -> c.page(msg.name(), msg.offset(), msg.limit()), blocking),
        (page, failure) -> new Listed(msg, page, failure));
    return this;
  }

  private Behavior<Command> onListed(Listed msg) {
    ListCatalogue request = msg.request();
    if (msg.failure() != null) {
      request.replyTo().tell(new CataloguePage(0, request.offset(), request.limit(), List.of()));
      return this;
    }
    List<CatalogueEntry> entries = new ArrayList<>(msg.page().entries().size());
    for (Catalogue.Entry e : msg.page().entries()) {
      ScrapeStats counts = registry.scrape(e.infoHash());
      entries.add(new CatalogueEntry(e.name(), e.infoHash().hex(), e.totalLength(), e.fileCount(),
          counts.seeders(), counts.leechers(), counts.completed(), e.publisher()));
    }
    request.replyTo().tell(new CataloguePage(msg.page().total(), request.offset(), request.limit(), entries));
    return this;
  }

  private Behavior<Command> onGetTorrent(GetTorrent msg) {
    catalogue.thenApplyAsync(c -> c.torrentBytes(msg.infoHash()), blocking)
        .whenComplete((bytes, failure) -> msg.replyTo().tell(failure != null ? Optional.empty() : bytes));
    return this;
  }

  /** The counts are read here, in one pass; the names are looked up off this thread. */
  private Behavior<Command> onListSwarms(ListSwarms msg) {
    int total = registry.swarmCount();
    List<Registry.SwarmCounts> counts = registry.swarms(msg.max());
    catalogue.handleAsync((c, failure) -> {
      List<SwarmRow> rows = new ArrayList<>(counts.size());
      for (Registry.SwarmCounts s : counts) {
        Optional<String> name = failure != null ? Optional.empty() : c.find(s.infoHash()).map(Catalogue.Entry::name);
        rows.add(new SwarmRow(s.infoHash(), name, s.seeders(), s.leechers(), s.completed()));
      }
      return new SwarmList(total, rows);
    }, blocking).thenAccept(msg.replyTo()::tell);
    return this;
  }

  private Behavior<Command> onListPeers(ListPeers msg) {
    msg.replyTo().tell(registry.peers(msg.infoHash(), msg.max()));
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
