package io.swarmshare.peer.session;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.peer.bandwidth.TorrentLimits;
import io.swarmshare.peer.tracker.AnnounceCounts;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One torrent of a session as every front end sees it (the command line, the prompt, the RPC, the
 * web UI): an immutable copy, safe to keep and to read from any thread. {@code downloaded} and
 * {@code uploaded} count payload bytes since the torrent was added to this session; the rates are
 * bytes a second over the last status interval. {@code checkedBytes} is how much data the last
 * start read back and hashed: zero when its resume data could be trusted. {@code have} is a copy
 * of the verified pieces that nobody changes, and {@code inProgress} one of the pieces with blocks
 * asked for or received but not verified yet: none unless its Download runs. {@code secondsDownloading} and
 * {@code secondsSeeding} count the time spent in each state, over every run, and
 * {@code hashFailures} the pieces that failed their hash check in this session. {@code metainfo}
 * is empty while a torrent added by its magnet link fetches it from its peers: it then has no
 * pieces and no size, and its {@code name} is the link's display name, or its info hash if it has
 * none. {@code trackerTiers} are the trackers it announces to; {@code trackers}
 * counts the announces each tracker answered and failed since the torrent last started. {@code goals}
 * are its seeding goals, {@code limits} its own speed limits, {@code labels} the user's words for it, and {@code queuePosition} its place
 * in the session's queue, 0 first.
 */
public record TorrentSnapshot(
    int id,
    InfoHash infoHash,
    String name,
    Optional<Metainfo> metainfo,
    List<List<String>> trackerTiers,
    Path directory,
    TorrentState state,
    int piecesHave,
    Bitfield have,
    Bitfield inProgress,
    long verifiedBytes,
    long downloaded,
    long uploaded,
    long downloadRate,
    long uploadRate,
    int peers,
    int peersSendingToUs,
    int peersGettingFromUs,
    long checkedBytes,
    long hashFailures,
    Instant added,
    Optional<Instant> completed,
    Optional<Instant> lastActivity,
    long secondsDownloading,
    long secondsSeeding,
    String problem,
    List<AnnounceCounts.Count> trackers,
    SeedingGoals.Goals goals,
    TorrentLimits limits,
    List<String> labels,
    int queuePosition) {

  public int pieceCount() {
    return metainfo.map(m -> m.info().pieceCount()).orElse(0);
  }

  public long totalLength() {
    return metainfo.map(m -> m.info().totalLength()).orElse(0L);
  }

  public long left() {
    return totalLength() - verifiedBytes;
  }

  /** Whether it has every piece; one whose metadata is not here yet has none of an unknown number. */
  public boolean complete() {
    return metainfo.isPresent() && piecesHave == pieceCount();
  }

  /** Its magnet link: the info hash, the name and every tracker, as Transmission's magnetLink. */
  public MagnetLink magnetLink() {
    return new MagnetLink(infoHash, Optional.of(name), trackerTiers.stream().flatMap(List::stream).distinct().toList(),
        List.of());
  }
}
