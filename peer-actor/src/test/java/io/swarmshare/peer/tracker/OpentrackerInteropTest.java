package io.swarmshare.peer.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.peer.RealTools;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Our tracker client with opentracker, the tracker most public swarms run. */
class OpentrackerInteropTest {

  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static int freePort() throws Exception {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port;
      try (ServerSocket tcp = new ServerSocket(0)) {
        port = tcp.getLocalPort();
      }
      try (DatagramSocket udp = new DatagramSocket(port)) {
        return port;
      } catch (SocketException taken) {
        // try another
      }
    }
    throw new AssertionError("no free port");
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "http"})
  void twoPeersFindEachOtherThroughOpentracker(String scheme, @TempDir Path dir) throws Exception {
    RealTools.requireOpentracker();
    InfoHash hash = InfoHash.fromHex("00112233445566778899aabbccddeeff00112233");
    // opentracker drops to 'nobody' and chroots into -d, so the directory must be readable to it.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path whitelist = Files.writeString(dir.resolve("whitelist"), hash.hex() + "\n");
    Files.setPosixFilePermissions(whitelist, PosixFilePermissions.fromString("rw-r--r--"));
    int port = freePort();
    Process opentracker = new ProcessBuilder(RealTools.OPENTRACKER.toString(), "-i", "127.0.0.1", "-p", String.valueOf(port),
        "-P", String.valueOf(port), "-d", dir.toString(), "-w", "whitelist")
        .redirectErrorStream(true).redirectOutput(dir.resolve("opentracker.log").toFile()).start();
    try {
      String url = scheme + "://127.0.0.1:" + port + "/announce";
      TestProbe<TrackerClient.Peers> first = kit.createTestProbe();
      kit.spawn(TrackerClient.create(new TrackerClient.Subject(hash, PeerId.generate(), 7001, List.of(List.of(url))),
          Duration.ofMillis(200), first.getRef()));
      first.receiveMessage(Duration.ofSeconds(30));

      TestProbe<TrackerClient.Peers> second = kit.createTestProbe();
      kit.spawn(TrackerClient.create(new TrackerClient.Subject(hash, PeerId.generate(), 7002, List.of(List.of(url))),
          Duration.ofMillis(200), second.getRef()));
      TrackerClient.Peers found = second.receiveMessage(Duration.ofSeconds(30));
      assertThat(found.peers()).contains(new PeerAddress(InetAddress.getByName("127.0.0.1"), 7001));
    } finally {
      opentracker.destroy();
      opentracker.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
