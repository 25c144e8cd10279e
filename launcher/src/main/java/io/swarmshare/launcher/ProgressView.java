package io.swarmshare.launcher;

import io.swarmshare.messages.Printable;
import io.swarmshare.peer.session.TorrentSnapshot;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How a download's progress is shown: a live bar on a terminal, a plain line every few seconds
 * otherwise (a log file, a pipe, a test). Called from an actor's thread and from the command's
 * own, so every method is synchronized.
 */
abstract class ProgressView {

  static ProgressView forOutput(PrintWriter out, boolean terminal) {
    return terminal ? new Bar() : new Lines(out);
  }

  abstract void update(TorrentSnapshot status);

  /** The last update: the bar is closed, or a final line printed. */
  abstract void finish(TorrentSnapshot status);

  /** The torrent's name, escaped: it comes from the torrent, so from anyone. */
  static String name(TorrentSnapshot s) {
    return Printable.escape(s.name());
  }

  static String pieces(TorrentSnapshot s) {
    return s.piecesHave() + "/" + s.pieceCount() + " pieces, " + s.peers() + (s.peers() == 1 ? " peer" : " peers");
  }

  /** A bar drawn on the terminal by the progressbar library, which works out the speed and ETA. */
  private static final class Bar extends ProgressView {
    private ProgressBar bar;

    @Override
    synchronized void update(TorrentSnapshot s) {
      if (bar == null) {
        bar = new ProgressBarBuilder()
            .setTaskName(shorten(name(s)))
            .setInitialMax(s.totalLength())
            .setUnit(" MiB", 1 << 20)
            .showSpeed()
            .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
            .setUpdateIntervalMillis(250)
            .startsFrom(s.verifiedBytes(), Duration.ZERO)
            .build();
      }
      bar.stepTo(s.verifiedBytes());
      bar.setExtraMessage(pieces(s));
    }

    @Override
    synchronized void finish(TorrentSnapshot s) {
      update(s);
      bar.close();
    }

    private static String shorten(String name) {
      return name.length() <= 24 ? name : name.substring(0, 23) + "…";
    }
  }

  /** A line per interval: percent, pieces, rate over the interval, peers and the time left at that rate. */
  private static final class Lines extends ProgressView {
    private static final long INTERVAL = Duration.ofSeconds(5).toNanos();
    private final PrintWriter out;
    private long lastNanos;
    private long lastVerified = -1;

    Lines(PrintWriter out) {
      this.out = out;
    }

    @Override
    synchronized void update(TorrentSnapshot s) {
      long now = System.nanoTime();
      if (lastVerified < 0) {
        lastNanos = now;
        lastVerified = s.verifiedBytes();
        return;
      }
      if (now - lastNanos < INTERVAL) {
        return;
      }
      double rate = (s.verifiedBytes() - lastVerified) / ((now - lastNanos) / 1e9);
      lastNanos = now;
      lastVerified = s.verifiedBytes();
      String eta = rate <= 0 ? "unknown" : duration((long) ((s.totalLength() - s.verifiedBytes()) / rate));
      out.printf(Locale.ROOT, "%s: %5.1f%% (%s), %s/s, ETA %s%n", name(s),
          percent(s), pieces(s), ByteSize.format((long) rate), eta);
      out.flush();
    }

    @Override
    synchronized void finish(TorrentSnapshot s) {
      out.printf(Locale.ROOT, "%s: %5.1f%% (%s)%n", name(s), percent(s), pieces(s));
      out.flush();
    }
  }

  static double percent(TorrentSnapshot s) {
    return s.totalLength() == 0 ? 100.0 : 100.0 * s.verifiedBytes() / s.totalLength();
  }

  static String duration(long seconds) {
    if (seconds >= 3600) {
      return seconds / 3600 + "h" + (seconds % 3600) / 60 + "m";
    }
    return seconds >= 60 ? seconds / 60 + "m" + seconds % 60 + "s" : seconds + "s";
  }
}
