package io.swarmshare.peer.bandwidth;

/** An upload and a download limit that go together: the node's, or one torrent's within the node's. */
public record Rates(RateLimit upload, RateLimit download) {

  public static Rates of(long upload, long download) {
    return new Rates(new RateLimit(upload), new RateLimit(download));
  }

  /** Limits of their own, none at first, whose bytes also count against these. */
  public Rates within() {
    return new Rates(upload.within(), download.within());
  }

  public void apply(TorrentLimits limits) {
    limits.applyTo(upload, download);
  }
}
