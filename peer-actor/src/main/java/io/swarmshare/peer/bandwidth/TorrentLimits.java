package io.swarmshare.peer.bandwidth;

import java.util.Optional;

/**
 * One torrent's speed limits as Transmission keeps them: a download and an upload rate in bytes
 * per second, each applied only while it is switched on (the number is kept while it is off, so
 * that switching it on again restores it), and whether the torrent also keeps to the node's limits.
 */
public record TorrentLimits(long download, boolean downloadLimited, long upload, boolean uploadLimited,
    boolean honorsNodeLimits) {

  /** A new torrent's: no limits of its own, the node's apply. */
  public static final TorrentLimits NONE = new TorrentLimits(0, false, 0, false, true);

  public TorrentLimits {
    if (download < 0 || upload < 0) {
      throw new IllegalArgumentException("a speed limit cannot be negative");
    }
  }

  /** Sets a torrent's own limits, which lie within the node's, to these. */
  void applyTo(RateLimit uploadLimit, RateLimit downloadLimit) {
    uploadLimit.setRate(uploadLimited ? upload : 0);
    downloadLimit.setRate(downloadLimited ? download : 0);
    uploadLimit.followOuter(honorsNodeLimits);
    downloadLimit.followOuter(honorsNodeLimits);
  }

  /** What a client asked to change; what it left out stays as it is. */
  public record Changes(Optional<Long> download, Optional<Boolean> downloadLimited, Optional<Long> upload,
      Optional<Boolean> uploadLimited, Optional<Boolean> honorsNodeLimits) {

    public static Changes none() {
      return new Changes(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public TorrentLimits apply(TorrentLimits l) {
      return new TorrentLimits(download.orElse(l.download()), downloadLimited.orElse(l.downloadLimited()),
          upload.orElse(l.upload()), uploadLimited.orElse(l.uploadLimited()),
          honorsNodeLimits.orElse(l.honorsNodeLimits()));
    }
  }
}
