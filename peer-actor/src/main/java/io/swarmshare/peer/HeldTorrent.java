package io.swarmshare.peer;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.peer.bandwidth.Rates;
import io.swarmshare.peer.bandwidth.TorrentLimits;
import io.swarmshare.peer.session.SeedingGoals;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.peer.session.TorrentStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One torrent a {@link Session} holds: what it was asked (the torrent, or only its magnet link
 * until its metadata is fetched; where its data goes; whether the user or a seeding goal stopped
 * it; whether it waits for the queue), its own settings (seeding goals, speed limits,
 * labels), and what the session knows of it (the latest snapshot, totals of earlier runs, time
 * spent downloading and seeding, whether it is complete). It outlives a restart of the Session; only the
 * Session's thread touches it.
 */
final class HeldTorrent {

  final int id;
  final InfoHash hash;
  /** The name its magnet link gave it, for as long as its metadata is not here. */
  private final Optional<String> linkName;
  /** Null while its metadata is fetched from its peers ({@link #fetch}); then the torrent's. */
  Metainfo metainfo;
  /** Where its data is; it changes when the torrent is moved. */
  Path directory;
  final List<List<String>> trackers;
  /** Peers to try besides those its trackers name. */
  final List<InetSocketAddress> peers;
  final Optional<Path> resumeFile;
  final Instant added;
  /** Stopped by the user or by a seeding goal: it starts again only when told. */
  boolean paused;
  /** Wants to run and waits for its turn in the queue. */
  boolean queued;
  /** Started now by the user (torrent-start-now): it skips the queue at its next start. */
  boolean bypassQueue;
  /** The Download runs only to learn what is on disk (so that the queue knows where it belongs), then stops. */
  boolean lookingAt;
  /** Running but idle past the queue's stalled time: it holds no queue place. */
  boolean stalled;
  /** Whether it has every piece; null while no Download of this process has said. */
  Boolean complete;
  SeedingGoals.Goals goals;
  /** Its speed limits, and the rate limits they set, which its Downloads keep to. */
  TorrentLimits limits = TorrentLimits.NONE;
  final Rates rates;
  List<String> labels = List.of();
  /** The queue position its state file last recorded. */
  int savedPosition = -1;
  Instant completed;
  /** When its running Download started: the idle limit counts from this or the last activity. */
  Instant startedAt;
  TorrentSnapshot latest;
  /** The last status's totals and when it came, for the rates. */
  long lastDownloaded;
  long lastUploaded;
  long lastStatusNanos;
  /** Totals of the Downloads that ran before the current one. */
  long downloadedBefore;
  long uploadedBefore;
  long hashFailuresBefore;
  long downloadingNanos;
  long seedingNanos;
  Instant lastActivity;
  /**
   * When it last changed in a way a client shows (Transmission's date_changed, for
   * recently-active); null until it changes after this process took it up. Wider than
   * {@link #lastActivity}, which only bytes moving set.
   */
  Instant lastChanged;
  /** The running fetch of its metadata, or null; never while a Download runs. */
  ActorRef<MetadataFetch.Command> fetch;
  /** The running Download, or null; one that is stopping is no longer it. */
  ActorRef<Download.Command> download;
  /** Whether a Download of this torrent is still stopping: no new one starts before it has. */
  boolean stopping;
  /** Its data is being moved to another directory: nothing of it runs until that is done. */
  boolean moving;
  final List<Runnable> afterStop = new ArrayList<>();

  HeldTorrent(int id, Download.Job job, Instant added, boolean paused, SeedingGoals.Goals goals, Rates rates) {
    this(id, job.metainfo().infoHash(), Optional.empty(), job.metainfo(), job.directory(), job.trackers(), job.peers(),
        job.resumeFile(), added, paused, goals, rates);
  }

  private HeldTorrent(int id, InfoHash hash, Optional<String> linkName, Metainfo metainfo, Path directory,
      List<List<String>> trackers, List<InetSocketAddress> peers, Optional<Path> resumeFile, Instant added,
      boolean paused, SeedingGoals.Goals goals, Rates rates) {
    this.id = id;
    this.hash = hash;
    this.linkName = linkName;
    this.metainfo = metainfo;
    this.directory = directory;
    this.trackers = List.copyOf(trackers);
    this.peers = List.copyOf(peers);
    this.resumeFile = resumeFile;
    this.added = added;
    this.paused = paused;
    this.goals = goals;
    this.rates = rates;
  }

  /** A torrent known by its magnet link alone: it has nothing, and its metadata is still to come. */
  static HeldTorrent ofLink(int id, MagnetLink link, Path directory, Optional<Path> resumeFile, Instant added,
      boolean paused, SeedingGoals.Goals goals, Rates rates) {
    HeldTorrent t = new HeldTorrent(id, link.infoHash(), link.displayName(), null, directory,
        link.trackers().stream().map(List::of).toList(), link.peerAddresses(), resumeFile, added, paused, goals, rates);
    t.complete = false;
    return t;
  }

  /** What its Download runs; only once its metadata is here. */
  Download.Job job() {
    return new Download.Job(Objects.requireNonNull(metainfo, "no metadata yet"), directory, trackers, peers,
        resumeFile);
  }

  /** What a fetch of its metadata looks for. */
  MetadataFetch.Subject subject() {
    return new MetadataFetch.Subject(hash, trackers.stream().flatMap(List::stream).distinct().toList(), peers);
  }

  /** Whether a fetch of its metadata or a Download runs. */
  boolean running() {
    return download != null || fetch != null;
  }

  void limit(TorrentLimits limits) {
    this.limits = limits;
    rates.apply(limits);
  }

  InfoHash hash() {
    return hash;
  }

  String name() {
    return metainfo != null ? metainfo.info().name() : linkName.orElse(hash.hex());
  }

  long secondsDownloading() {
    return downloadingNanos / 1_000_000_000L;
  }

  long secondsSeeding() {
    return seedingNanos / 1_000_000_000L;
  }

  /** The later of its start and its last activity: where its idle time counts from. */
  Instant activeSince() {
    return lastActivity != null && lastActivity.isAfter(startedAt) ? lastActivity : startedAt;
  }

  /** A new Download counts from zero: what the last one moved is kept apart. */
  void countTotals() {
    downloadedBefore = latest.downloaded();
    uploadedBefore = latest.uploaded();
    hashFailuresBefore = latest.hashFailures();
    lastDownloaded = 0;
    lastUploaded = 0;
    lastStatusNanos = 0;
  }

  TorrentStore.State state(int queuePosition) {
    return new TorrentStore.State(id, directory, paused, added, Optional.ofNullable(completed),
        latest.downloaded(), latest.uploaded(), secondsDownloading(), secondsSeeding(), trackers,
        Optional.of(goals), limits, labels, queuePosition);
  }

  /** The torrent as it last was, in {@code state}, with nothing moving. */
  TorrentSnapshot withState(TorrentState state, int queuePosition) {
    return still(state, 0, null, queuePosition);
  }

  /** A torrent fetching its metadata from {@code peers} peers: downloading, as Transmission shows a magnet link. */
  TorrentSnapshot fetching(int peers, int queuePosition) {
    return still(TorrentState.DOWNLOADING, peers, null, queuePosition);
  }

  /** The torrent as it last was, failed for {@code problem}, with nothing moving. */
  TorrentSnapshot failed(String problem, int queuePosition) {
    return still(TorrentState.FAILED, 0, problem, queuePosition);
  }

  /** The torrent as it last was, in {@code state}, with no bytes moving and no piece in progress. */
  private TorrentSnapshot still(TorrentState state, int peers, String problem, int queuePosition) {
    TorrentSnapshot l = latest;
    return new TorrentSnapshot(id, hash, name(), Optional.ofNullable(metainfo), trackers, directory, state,
        l.piecesHave(), l.have(), new Bitfield(l.have().pieceCount()),
        l.verifiedBytes(), l.downloaded(), l.uploaded(), 0, 0, peers, 0, 0, l.checkedBytes(), l.hashFailures(), added,
        Optional.ofNullable(completed), Optional.ofNullable(lastActivity), secondsDownloading(), secondsSeeding(),
        problem, l.trackers(), goals, limits, labels, queuePosition);
  }

  /** The latest snapshot with its settings, directory and place as they are now, everything else as it was. */
  TorrentSnapshot restamped(int queuePosition) {
    TorrentSnapshot l = latest;
    return new TorrentSnapshot(id, hash, name(), Optional.ofNullable(metainfo), trackers, directory, l.state(),
        l.piecesHave(), l.have(), l.inProgress(), l.verifiedBytes(),
        l.downloaded(), l.uploaded(), l.downloadRate(), l.uploadRate(), l.peers(), l.peersSendingToUs(),
        l.peersGettingFromUs(), l.checkedBytes(), l.hashFailures(), l.added(), l.completed(), l.lastActivity(),
        l.secondsDownloading(), l.secondsSeeding(), l.problem(), l.trackers(), goals, limits, labels, queuePosition);
  }

  /** A torrent the session has not run yet: nothing verified that it knows of. */
  TorrentSnapshot first(TorrentState state, long downloaded, long uploaded, int queuePosition) {
    return new TorrentSnapshot(id, hash, name(), Optional.ofNullable(metainfo), trackers, directory, state, 0,
        new Bitfield(metainfo == null ? 0 : metainfo.info().pieceCount()),
        new Bitfield(metainfo == null ? 0 : metainfo.info().pieceCount()), 0,
        downloaded, uploaded, 0, 0, 0, 0, 0, 0, 0, added, Optional.ofNullable(completed), Optional.empty(),
        secondsDownloading(), secondsSeeding(), null, List.of(), goals, limits, labels, queuePosition);
  }

  /**
   * The state a Download's status shows as: a torrent checked while stopped stays stopped, and one
   * looked at while it waits for the queue waits on. Learns from it whether the torrent is complete.
   */
  TorrentState shown(Download.Status s) {
    TorrentState state = switch (s.state()) {
      case QUEUED -> TorrentState.CHECK_WAIT;
      case CHECKING -> TorrentState.CHECKING;
      case DOWNLOADING -> TorrentState.DOWNLOADING;
      case SEEDING -> TorrentState.SEEDING;
      case FAILED -> TorrentState.FAILED;
    };
    if (state == TorrentState.DOWNLOADING || state == TorrentState.SEEDING) {
      complete = s.piecesHave() == s.pieceCount();
    }
    if (paused && state != TorrentState.CHECKING && state != TorrentState.FAILED) {
      return TorrentState.STOPPED;
    }
    if (lookingAt && state != TorrentState.CHECKING && state != TorrentState.FAILED && state != TorrentState.CHECK_WAIT) {
      return TorrentState.QUEUED;
    }
    return state;
  }

  /**
   * Takes in a Download's status, shown in {@code state}, that came at {@code nanos}
   * (System.nanoTime) and {@code now}: the rates since the last one, the time spent downloading
   * and seeding, the last activity, the completion date; the snapshot that results.
   */
  TorrentSnapshot report(Download.Status s, TorrentState state, long nanos, Instant now, int queuePosition) {
    if (s.downloaded() < lastDownloaded || s.uploaded() < lastUploaded) {
      countTotals(); // the Download was restarted after a failure and counts from zero again
    }
    double seconds = lastStatusNanos == 0 ? 0 : (nanos - lastStatusNanos) / 1e9;
    long downRate = seconds > 0 ? Math.round((s.downloaded() - lastDownloaded) / seconds) : 0;
    long upRate = seconds > 0 ? Math.round((s.uploaded() - lastUploaded) / seconds) : 0;
    lastDownloaded = s.downloaded();
    lastUploaded = s.uploaded();
    if (lastStatusNanos != 0 && latest.state() == TorrentState.DOWNLOADING) {
      downloadingNanos += nanos - lastStatusNanos;
    } else if (lastStatusNanos != 0 && latest.state() == TorrentState.SEEDING) {
      seedingNanos += nanos - lastStatusNanos;
    }
    lastStatusNanos = nanos;
    if (downRate > 0 || upRate > 0) {
      lastActivity = now;
    }
    if (state == TorrentState.SEEDING && latest.state() == TorrentState.DOWNLOADING) {
      completed = now;
    }
    return of(s, state, Math.max(0, downRate), Math.max(0, upRate), queuePosition);
  }

  /** What a Download's status says, in {@code state}, with the rates the session worked out. */
  private TorrentSnapshot of(Download.Status s, TorrentState state, long downRate, long upRate, int queuePosition) {
    return new TorrentSnapshot(id, hash, name(), Optional.ofNullable(metainfo), trackers, directory, state,
        s.piecesHave(), s.have(), s.inProgress(),
        s.verifiedBytes(), downloadedBefore + s.downloaded(), uploadedBefore + s.uploaded(), downRate, upRate,
        s.peers(), s.peersSendingToUs(), s.peersGettingFromUs(), s.checkedBytes(), hashFailuresBefore + s.hashFailures(),
        added, Optional.ofNullable(completed), Optional.ofNullable(lastActivity), secondsDownloading(),
        secondsSeeding(), s.problem(), s.trackers(), goals, limits, labels, queuePosition);
  }
}
