package io.swarmshare.daemon.watch;

import io.swarmshare.daemon.TorrentAdder;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.peer.PeerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The daemon's watch directory, as Transmission's {@code watch-dir}: a {@code .torrent} dropped
 * there is added to the Session through the same {@link TorrentAdder} as the RPC's
 * {@code torrent-add}, then renamed {@code NAME.torrent.added} (a torrent already held too); one
 * that is no torrent is renamed {@code NAME.torrent.invalid}, with one WARN line saying why.
 *
 * <p>It looks at the directory when the file system says something changed there (a
 * {@link WatchService}, whose one blocking wait runs on a thread of this actor's own, since it can
 * last forever and must not hold one of the disk pool's few threads) and every
 * {@code watch-interval} besides, because some file systems (network mounts, some containers'
 * overlays) never send notices. {@link Settling} decides which files are ready; they are taken one
 * at a time, reading and renaming on the Session's disk pool.
 */
public final class WatchDir extends AbstractBehavior<WatchDir.Command> {

  public sealed interface Command permits Tick, Noticed, NoticesLost, Listed, Took {}

  /** Timer messages, each its own timer's key: the periodic rescan and the look when a file may have settled. */
  private enum Tick implements Command {
    RESCAN,
    SETTLE
  }

  /**
   * The file system said something changed in the directory. Like {@link NoticesLost} it names
   * the watch service it came from: one from before a restart is not this incarnation's.
   */
  private record Noticed(WatchService from) implements Command {}

  /** Notices cannot be had (the directory is gone, say): rescans go on, and the watch is set again at the next. */
  private record NoticesLost(WatchService from, Throwable cause) implements Command {}

  /** A look's listing of the wanted files, or why there is none. */
  private record Listed(List<Settling.Seen> files, Throwable failure) implements Command {}

  /** What became of a file taken, and, if it was to be renamed and could not be, why. */
  private record Took(Settling.Seen file, Fate fate, Optional<String> renameFailure) implements Command {}

  /** A file's fate: its torrent handed to the Session, no torrent at all, or gone before it was read. */
  private sealed interface Fate permits Offered, Broken, Vanished {}

  /** What a file read holds: a torrent, or nothing that can be added. */
  private sealed interface Content permits Torrent, Broken, Vanished {}

  private record Torrent(Metainfo metainfo) implements Content {}

  private record Offered(TorrentAdder.Outcome outcome) implements Fate {}

  private record Broken(String reason) implements Fate, Content {}

  private enum Vanished implements Fate, Content {
    INSTANCE
  }

  private static final String ADDED = ".added";
  private static final String INVALID = ".invalid";

  /**
   * Watches {@code dir}, adding what is dropped there through {@code adder}, saved in
   * {@code downloadDir}; {@code interval} is both how often it is listed and how long a file must
   * keep its size and time to be taken.
   */
  public static Behavior<Command> create(Path dir, Duration interval, Path downloadDir, TorrentAdder adder) {
    return Behaviors.supervise(Behaviors.<Command>setup(ctx -> Behaviors.withTimers(timers -> {
      Executor disk = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(
          PeerSettings.BLOCKING_DISPATCHER));
      ExecutorService waiter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "watch-dir");
        t.setDaemon(true);
        return t;
      });
      WatchService notices = dir.getFileSystem().newWatchService();
      return new WatchDir(ctx, timers, dir, interval, downloadDir, adder, disk, waiter, notices);
    }))).onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
  }

  private final Path dir;
  private final Duration interval;
  private final Path downloadDir;
  private final TorrentAdder adder;
  private final Executor disk;
  private final ExecutorService waiter;
  private final WatchService notices;
  private final TimerScheduler<Command> timers;
  private final Settling settling;
  /** Files found due and not yet taken, in the order found; the one being taken is {@link #taking}. */
  private final ArrayDeque<Settling.Seen> queue = new ArrayDeque<>();
  private Settling.Seen taking;
  private boolean waiting;
  private boolean looking;
  private boolean lookAgain;
  /** Whether the last listing failed, so that a directory that stays unreadable is reported once. */
  private boolean unreadable;

  private WatchDir(ActorContext<Command> ctx, TimerScheduler<Command> timers, Path dir, Duration interval,
      Path downloadDir, TorrentAdder adder, Executor disk, ExecutorService waiter, WatchService notices) {
    super(ctx);
    this.timers = timers;
    this.dir = dir;
    this.interval = interval;
    this.downloadDir = downloadDir;
    this.adder = adder;
    this.disk = disk;
    this.waiter = waiter;
    this.notices = notices;
    this.settling = new Settling(interval);
    timers.startTimerWithFixedDelay(Tick.RESCAN, interval);
    ctx.getLog().info("watch-dir: adding the .torrent files dropped in {} (looking again every {} ms)", dir,
        interval.toMillis());
    awaitNotice();
    look();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.RESCAN, this::onRescan)
        .onMessageEquals(Tick.SETTLE, this::look)
        .onMessage(Noticed.class, this::onNoticed)
        .onMessage(NoticesLost.class, this::onNoticesLost)
        .onMessage(Listed.class, this::onListed)
        .onMessage(Took.class, this::onTook)
        .onSignal(PreRestart.class, signal -> close())
        .onSignal(PostStop.class, signal -> close())
        .build();
  }

  // ---- looking ----------------------------------------------------------------------------------

  private Behavior<Command> onRescan() {
    if (!waiting) {
      awaitNotice();
    }
    return look();
  }

  private Behavior<Command> onNoticed(Noticed msg) {
    if (msg.from() != notices) {
      return this;
    }
    waiting = false;
    awaitNotice();
    return look();
  }

  private Behavior<Command> onNoticesLost(NoticesLost msg) {
    if (msg.from() != notices) {
      return this;
    }
    waiting = false;
    getContext().getLog().debug("watch-dir: no notices from {} ({}); looking every {} ms only", dir,
        Printable.escape(describe(msg.cause())), interval.toMillis());
    return this;
  }

  /** One wait for the file system's next notice, on the waiter's thread; the watch is set (again) first. */
  private void awaitNotice() {
    waiting = true;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      try {
        dir.register(notices, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        WatchKey key = notices.take();
        // What changed does not matter: a look lists the directory afresh.
        key.pollEvents();
        key.reset();
        return new Noticed(notices);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException(e);
      }
    }, waiter), (noticed, failure) -> failure == null ? noticed : new NoticesLost(notices, unwrap(failure)));
  }

  /** Lists the directory on the disk pool; looks asked for while one runs are folded into one more. */
  private Behavior<Command> look() {
    if (looking) {
      lookAgain = true;
      return this;
    }
    looking = true;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(this::list, disk),
        (files, failure) -> new Listed(files, failure == null ? null : unwrap(failure)));
    return this;
  }

  private List<Settling.Seen> list() {
    List<Settling.Seen> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
        p -> Settling.wanted(p.getFileName().toString()))) {
      for (Path p : entries) {
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          if (a.isRegularFile()) {
            files.add(new Settling.Seen(p.getFileName().toString(), a.size(), a.lastModifiedTime()));
          }
        } catch (NoSuchFileException gone) {
          // renamed or deleted between the listing and this look at it
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private Behavior<Command> onListed(Listed msg) {
    looking = false;
    if (msg.failure() != null) {
      if (!unreadable) {
        getContext().getLog().warn("watch-dir: cannot list {}: {}", dir, Printable.escape(describe(msg.failure())));
      }
      unreadable = true;
    } else {
      if (unreadable) {
        getContext().getLog().info("watch-dir: {} can be listed again", dir);
      }
      unreadable = false;
      Instant now = Instant.now();
      Map<String, Settling.Seen> byName = new HashMap<>();
      msg.files().forEach(f -> byName.put(f.name(), f));
      for (String name : settling.look(now, msg.files())) {
        queue.add(byName.get(name));
      }
      SortedMap<String, Long> unsettled = settling.settlingSizes();
      if (!unsettled.isEmpty()) {
        getContext().getLog().debug("watch-dir: settling {}", unsettled.entrySet().stream()
            .map(e -> Printable.escape(e.getKey()) + " (" + e.getValue() + " bytes)").collect(Collectors.joining(", ")));
      }
      // Without this, a file would wait for the next rescan after it settles: up to twice the interval.
      settling.nextDue().ifPresentOrElse(
          due -> timers.startSingleTimer(Tick.SETTLE, Duration.between(now, due).plusMillis(1)),
          () -> timers.cancel(Tick.SETTLE));
      takeNext();
    }
    if (lookAgain) {
      lookAgain = false;
      look();
    }
    return this;
  }

  // ---- taking -----------------------------------------------------------------------------------

  /** Reads, adds and renames the next due file, unless one is being taken already. */
  private void takeNext() {
    if (taking != null || queue.isEmpty()) {
      return;
    }
    Settling.Seen file = queue.poll();
    taking = file;
    Path path = dir.resolve(file.name());
    CompletionStage<Fate> fate = CompletableFuture.supplyAsync(() -> read(path), disk).thenCompose(content -> {
      if (content instanceof Torrent torrent) {
        return adder.add(torrent.metainfo(), downloadDir, false).thenApply(Offered::new);
      }
      return CompletableFuture.completedFuture((Fate) content);
    });
    CompletionStage<Took> took = fate.thenApplyAsync(f -> {
      String suffix = suffix(f);
      if (suffix == null) {
        return new Took(file, f, Optional.empty());
      }
      try {
        Files.move(path, path.resolveSibling(file.name() + suffix), StandardCopyOption.REPLACE_EXISTING);
        return new Took(file, f, Optional.empty());
      } catch (IOException e) {
        return new Took(file, f, Optional.of(describe(e)));
      }
    }, disk);
    getContext().pipeToSelf(took, (done, failure) -> failure == null ? done
        : new Took(file, new Offered(new TorrentAdder.Refused(String.valueOf(unwrap(failure).getMessage()))),
            Optional.empty()));
  }

  /** What {@code path} holds; blocking. */
  private Content read(Path path) {
    try {
      return new Torrent(adder.parse(adder.read(path)));
    } catch (NoSuchFileException e) {
      return Vanished.INSTANCE;
    } catch (IOException e) {
      return new Broken("cannot read it: " + describe(e));
    } catch (TorrentAdder.Invalid e) {
      return new Broken(e.getMessage());
    }
  }

  /** What a file is renamed with, once its fate is known; none for a file to be tried again, or gone. */
  private static String suffix(Fate fate) {
    if (fate instanceof Broken) {
      return INVALID;
    }
    if (fate instanceof Offered offered && !(offered.outcome() instanceof TorrentAdder.Refused)) {
      return ADDED;
    }
    return null;
  }

  private Behavior<Command> onTook(Took msg) {
    if (!msg.file().equals(taking)) {
      return this; // taken by an incarnation from before a restart, whose Settling is gone
    }
    taking = null;
    String name = Printable.escape(msg.file().name());
    if (msg.fate() instanceof Broken broken) {
      getContext().getLog().warn("watch-dir: {} is not a torrent that can be added ({}){}", name,
          Printable.escape(broken.reason()), renamed(msg));
    } else if (msg.fate() == Vanished.INSTANCE) {
      getContext().getLog().debug("watch-dir: {} went away before it was read", name);
    } else {
      TorrentAdder.Outcome outcome = ((Offered) msg.fate()).outcome();
      if (outcome instanceof TorrentAdder.Added added) {
        getContext().getLog().info("watch-dir: added {} ({}) from {}{}", Printable.escape(added.torrent().name()),
            added.torrent().infoHash().hex(), name, renamed(msg));
      } else if (outcome instanceof TorrentAdder.Duplicate duplicate) {
        getContext().getLog().info("watch-dir: {} is {} ({}), which the daemon holds already{}", name,
            Printable.escape(duplicate.torrent().name()), duplicate.torrent().infoHash().hex(), renamed(msg));
      } else {
        getContext().getLog().warn("watch-dir: cannot add {} now ({}); it is tried again once it settles", name,
            Printable.escape(((TorrentAdder.Refused) outcome).reason()));
      }
    }
    settling.taken(msg.file().name(), msg.renameFailure().isPresent() ? Optional.of(msg.file()) : Optional.empty());
    takeNext();
    return this;
  }

  /** The end of a log line about a file whose fate is decided: what it is called now. */
  private static String renamed(Took msg) {
    String name = Printable.escape(msg.file().name());
    return msg.renameFailure().map(why -> "; cannot rename it: " + Printable.escape(why))
        .orElse("; renamed " + name + suffix(msg.fate()));
  }

  private Behavior<Command> close() {
    try {
      notices.close();
    } catch (IOException e) {
      getContext().getLog().debug("watch-dir: closing the watch service: {}", e.getMessage());
    }
    waiter.shutdownNow();
    return this;
  }

  /** A failure in words, not yet escaped: a file system's messages are often just the path. */
  private static String describe(Throwable t) {
    if (t instanceof NoSuchFileException) {
      return "it does not exist";
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof UncheckedIOException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
