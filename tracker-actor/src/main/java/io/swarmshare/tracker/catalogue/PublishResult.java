package io.swarmshare.tracker.catalogue;

/**
 * What {@link Catalogue#publish(byte[], Catalogue.Publisher)} did with a torrent: added it, found it already there (same
 * info hash; nothing was written), or refused it with a one-line reason fit to show the publisher.
 */
public sealed interface PublishResult
    permits PublishResult.Added, PublishResult.AlreadyPresent, PublishResult.Refused {

  /** The torrent is new: it is stored and listed from now on. */
  record Added(Catalogue.Entry entry) implements PublishResult {}

  /**
   * The catalogue already held a torrent with this info hash: {@code entry} is the one stored
   * first, whose bytes stay as they were even if these differ outside the info dictionary.
   */
  record AlreadyPresent(Catalogue.Entry entry) implements PublishResult {}

  /** Nothing was stored. {@code message} is one line and says why. */
  record Refused(Reason reason, String message) implements PublishResult {}

  /** Why a torrent was refused, for callers that answer differently (HTTP 413, 400, 507, 403, 409, 500). */
  enum Reason {
    /** Larger than {@link Catalogue.Limits#maxTorrentSize()}; not even parsed. */
    TOO_LARGE,
    /** Not a valid torrent: bad bencode, a missing or inconsistent field, an unsafe path. */
    INVALID,
    /** The catalogue holds {@link Catalogue.Limits#maxEntries()} torrents or {@link Catalogue.Limits#maxTotalBytes()} already. */
    FULL,
    /** The publisher's key has its quota of bytes stored. */
    QUOTA,
    /** Another publisher published a torrent of this name first, and owns it. */
    NAME_TAKEN,
    /** Writing the file failed (disk full, permissions): the publisher may try again later. */
    STORAGE_FAILED
  }
}
