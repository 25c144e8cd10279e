package io.swarmshare.peer;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.peer.bandwidth.Rates;
import io.swarmshare.peer.bandwidth.TorrentLimits;
import io.swarmshare.peer.session.SeedingGoals;
import io.swarmshare.peer.session.TorrentSnapshot;
import io.swarmshare.peer.session.TorrentState;
import io.swarmshare.peer.session.TorrentStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One torrent a {@link Session} holds: what it was asked (the job, whether the user or a seeding
 * goal stopped it, whether it waits for the queue), its own settings (seeding goals, speed limits,
 * labels), and what the session knows of it (the latest snapshot, totals of earlier runs, time
 * spent downloading and seeding, whether it is complete). It outlives a restart of the Session; only the
 * Session's thread touches it.
 */
final class HeldTorrent {

  final int id;
  /** What it runs; its directory changes when the torrent is moved. */
  Download.Job job;
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
  /** The running Download, or null; one that is stopping is no longer it. */
  ActorRef<Download.Command> download;
  /** Whether a Download of this torrent is still stopping: no new one starts before it has. */
  boolean stopping;
  /** Its data is being moved to another directory: nothing of it runs until that is done. */
  boolean moving;
  final List<Runnable> afterStop = new ArrayList<>();

  HeldTorrent(int id, Download.Job job, Instant added, boolean paused, SeedingGoals.Goals goals, Rates rates) {
    this.id = id;
    this.rates = rates;
    this.job = job;
    this.added = added;
    this.paused = paused;
    this.goals = goals;
  }

  void limit(TorrentLimits limits) {
    this.limits = limits;
    rates.apply(limits);
  }

  InfoHash hash() {
    return job.metainfo().infoHash();
  }

  String name() {
    return job.metainfo().info().name();
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
    return new TorrentStore.State(id, job.directory(), paused, added, Optional.ofNullable(completed),
        latest.downloaded(), latest.uploaded(), secondsDownloading(), secondsSeeding(), job.trackers(),
        Optional.of(goals), limits, labels, queuePosition);
  }

  /** The torrent as it last was, in {@code state}, with nothing moving. */
  TorrentSnapshot withState(TorrentState state, int queuePosition) {
    TorrentSnapshot l = latest;
    return new TorrentSnapshot(id, job.metainfo(), job.directory(), state, l.piecesHave(), l.have(),
        l.verifiedBytes(), l.downloaded(), l.uploaded(), 0, 0, 0, 0, 0, l.checkedBytes(), l.hashFailures(), added,
        Optional.ofNullable(completed), Optional.ofNullable(lastActivity), secondsDownloading(), secondsSeeding(),
        null, l.trackers(), goals, limits, labels, queuePosition);
  }

  /** The latest snapshot with its settings, directory and place as they are now, everything else as it was. */
  TorrentSnapshot restamped(int queuePosition) {
    TorrentSnapshot l = latest;
    return new TorrentSnapshot(id, l.metainfo(), job.directory(), l.state(), l.piecesHave(), l.have(), l.verifiedBytes(),
        l.downloaded(), l.uploaded(), l.downloadRate(), l.uploadRate(), l.peers(), l.peersSendingToUs(),
        l.peersGettingFromUs(), l.checkedBytes(), l.hashFailures(), l.added(), l.completed(), l.lastActivity(),
        l.secondsDownloading(), l.secondsSeeding(), l.problem(), l.trackers(), goals, limits, labels, queuePosition);
  }

  /** A torrent the session has not run yet: nothing verified that it knows of. */
  TorrentSnapshot first(TorrentState state, long downloaded, long uploaded, int queuePosition) {
    Metainfo m = job.metainfo();
    return new TorrentSnapshot(id, m, job.directory(), state, 0, new Bitfield(m.info().pieceCount()), 0,
        downloaded, uploaded, 0, 0, 0, 0, 0, 0, 0, added, Optional.ofNullable(completed), Optional.empty(),
        secondsDownloading(), secondsSeeding(), null, List.of(), goals, limits, labels, queuePosition);
  }

  /** What a Download's status says, in {@code state}, with the rates the session worked out. */
  TorrentSnapshot of(Download.Status s, TorrentState state, long downRate, long upRate, int queuePosition) {
    return new TorrentSnapshot(id, job.metainfo(), job.directory(), state, s.piecesHave(), s.have(),
        s.verifiedBytes(), downloadedBefore + s.downloaded(), uploadedBefore + s.uploaded(), downRate, upRate,
        s.peers(), s.peersSendingToUs(), s.peersGettingFromUs(), s.checkedBytes(), hashFailuresBefore + s.hashFailures(),
        added, Optional.ofNullable(completed), Optional.ofNullable(lastActivity), secondsDownloading(),
        secondsSeeding(), s.problem(), s.trackers(), goals, limits, labels, queuePosition);
  }
}
