package io.swarmshare.launcher;

import static io.swarmshare.launcher.ProcessFaultIT.DONE;
import static io.swarmshare.launcher.ProcessFaultIT.PROGRESS;
import static io.swarmshare.launcher.ProcessFaultIT.START;
import static io.swarmshare.launcher.ProcessFaultIT.TRANSFER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A swarm spread over hosts, each in its own network namespace with its own address: a tracker,
 * a seeder and two leechers. One leecher's cable is pulled mid-transfer and plugged back in.
 */
class NetworkFaultIT {

  static final int TRACKER = 1;
  static final int SEEDER = 2;
  static final int CUT = 3;
  static final int OTHER = 4;

  @TempDir Path dir;

  @Test
  void theSwarmCompletesAfterALeechersLinkIsCutAndRestored() throws Exception {
    byte[] data = new byte[12 << 20];
    new Random(13).nextBytes(data);
    Path seedDir = Files.createDirectories(dir.resolve("seeder"));
    Files.write(seedDir.resolve("fault.bin"), data);
    Cli.run(dir, "create", "seeder/fault.bin", "-o", "fault.torrent", "--piece-length", "262144").succeeds();

    try (VirtualNetwork net = VirtualNetwork.create(4);
        Background tracker = Background.start(dir, net.on(TRACKER),
            List.of("swarmshare.tracker.announce-interval=2s", "swarmshare.tracker.min-announce-interval=1s"),
            "tracker", "--host", net.address(TRACKER), "--port", "6969", "--data-dir", "tracker")) {
      tracker.await("tracker up", START);
      String url = "udp://" + net.address(TRACKER) + ":6969/announce";
      try (Background seeder = Background.start(seedDir, net.on(SEEDER), List.of(), "share", "fault.bin",
              "--torrent", "../fault.torrent", "--tracker", url, "--port", "6881", "--upload-limit", "1 MiB");
          Background cut = leecher(net, CUT, url);
          Background other = leecher(net, OTHER, url)) {
        // A tracker without publish keys takes publications from its own host only, and this seeder is on
        // another: either line says the seeder has been to the tracker; the leechers use the .torrent file.
        seeder.await("published to the catalogue of|not in a catalogue", START);
        cut.await(PROGRESS, TRANSFER);
        net.cut(CUT);
        // Five seconds without a link: the other leecher's next progress line marks them.
        other.await(PROGRESS, TRANSFER, other.lines());
        net.restore(CUT);

        for (Background leecher : List.of(cut, other)) {
          leecher.await(DONE, TRANSFER);
          assertThat(leecher.exitCode(START)).isZero();
        }
        for (int host : List.of(CUT, OTHER)) {
          assertThat(Files.readAllBytes(dir.resolve("leecher" + host).resolve("fault.bin"))).as("host " + host)
              .isEqualTo(data);
        }
      }
    }
  }

  Background leecher(VirtualNetwork net, int host, String url) throws Exception {
    Path home = Files.createDirectories(dir.resolve("host" + host));
    return Background.start(home, net.on(host), List.of(), "get", "../fault.torrent", "--tracker", url,
        "-o", "../leecher" + host, "--port", "6881", "--exit-when-done");
  }
}
