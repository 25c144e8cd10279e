package io.swarmshare.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.messages.wire.PeerWireCodec;
import io.swarmshare.peer.storage.TorrentStorage;
import io.swarmshare.peer.wire.WireEncoder;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our peer serving a torrent: to libtorrent, and to remotes that misbehave. */
class ChunkServerTest {

  static final ActorTestKit kit = ActorTestKit.create();
  @TempDir static Path seedDir;
  static Metainfo metainfo;
  static byte[] data;
  static InetSocketAddress server;

  @BeforeAll
  static void start() throws Exception {
    data = new byte[3_000_000];
    new Random(5).nextBytes(data);
    Path file = Files.write(seedDir.resolve("payload.bin"), data);
    metainfo = TorrentCreator.of(file).pieceLength(32768).create();
    TorrentStorage storage = TorrentStorage.open(metainfo.info(), seedDir);
    ServedTorrent torrent = new ServedTorrent(metainfo.infoHash(), metainfo.info(), storage, storage.checkExisting());
    assertThat(torrent.have().isComplete()).isTrue();
    PeerSettings settings = PeerSettings.from(ConfigFactory.parseString(
        "swarmshare.peer { host = \"127.0.0.1\", port = 0 }").withFallback(ConfigFactory.load()));
    Map<InfoHash, ServedTorrent> served = Map.of(torrent.infoHash(), torrent);
    TestProbe<ChunkServer.Status> status = kit.createTestProbe();
    kit.spawn(ChunkServer.create(settings, hash -> Optional.ofNullable(served.get(hash)), PeerId.generate(), status.getRef()));
    server = status.expectMessageClass(ChunkServer.Listening.class, Duration.ofSeconds(10)).address();
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void libtorrentDownloadsAByteIdenticalFileFromUs(@TempDir Path leechDir) throws Exception {
    RealTools.requireLibtorrent();
    Path torrent = Files.write(leechDir.resolve("payload.torrent"), metainfo.encode());
    Path script = Path.of(getClass().getResource("/interop/libtorrent_leecher.py").toURI());
    Process p = new ProcessBuilder(RealTools.PYTHON, script.toString(), torrent.toString(), leechDir.toString(),
        "127.0.0.1", String.valueOf(server.getPort()), "120").redirectErrorStream(true).start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("libtorrent finished in time").isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    JsonNode result = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
    assertThat(result.path("finished").asBoolean()).as(out).isTrue();
    assertThat(Files.readAllBytes(leechDir.resolve("payload.bin"))).isEqualTo(data);
  }

  /** A raw client for the misbehaving cases: returns true if the server closed the connection. */
  static boolean closedAfter(ByteString... writes) throws Exception {
    try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      for (ByteString w : writes) {
        out.write(w.toArray());
      }
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[65536];
      try {
        while (in.read(buffer) >= 0) {
          // drain what the server sends until it closes
        }
      } catch (SocketException reset) {
        return true;
      }
      return true;
    }
  }

  static final WireEncoder wire = new WireEncoder(new PeerWireCodec());

  static ByteString hello(InfoHash hash) {
    return wire.encode(Handshake.of(hash, PeerId.generate()));
  }

  @Test
  void closesConnectionsThatAskForWhatTheyShouldNot() throws Exception {
    ByteString interested = wire.encode(PeerMessage.Interested.INSTANCE);
    assertThat(closedAfter(ByteString.fromString("GET / HTTP/1.1\r\n\r\n"))).isTrue();
    assertThat(closedAfter(hello(InfoHash.of(new byte[20])))).isTrue();
    assertThat(closedAfter(hello(metainfo.infoHash()), interested,
        wire.encode(new PeerMessage.Request(metainfo.info().pieceCount(), 0, 16384))))
        .as("piece out of range").isTrue();
    assertThat(closedAfter(hello(metainfo.infoHash()), interested, wire.encode(new PeerMessage.Request(0, 0, 131072))))
        .as("block too long").isTrue();
    assertThat(closedAfter(hello(metainfo.infoHash()), interested, wire.encode(new PeerMessage.Request(0, 32000, 16384))))
        .as("past the end of the piece").isTrue();
    assertThat(closedAfter(ByteString.fromArray(new byte[] {19}).concat(hello(metainfo.infoHash()).drop(1)),
        ByteString.fromArray(new byte[] {(byte) 0x80, 0, 0, 0}))).as("a 2 GiB frame").isTrue();
  }
}
