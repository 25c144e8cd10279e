package io.swarmshare.peer.session;

/** Where a torrent of the session is in its life. */
public enum TorrentState {
  /** Stopped by the user: no connections, no announces; it keeps its place in the session. */
  STOPPED,
  /**
   * Wants to run but waits for its turn in the download or seed queue (Transmission's download-wait
   * and seed-wait: which one, its pieces tell).
   */
  QUEUED,
  /** Waiting for its turn in the checking queue. */
  CHECK_WAIT,
  /** Its files are being checked against the piece hashes. */
  CHECKING,
  DOWNLOADING,
  SEEDING,
  /** Stopped by an error (a full disk, a vanished directory): {@code problem} says what. */
  FAILED;

  /** Waiting to check or checking: what it has on disk is not known yet. */
  public boolean checking() {
    return this == CHECK_WAIT || this == CHECKING;
  }
}
