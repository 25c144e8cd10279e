package io.swarmshare.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.PeerId;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.messages.wire.PeerMessage;
import io.swarmshare.peer.session.TorrentState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One seeder and 500 remotes dialling it at once. */
class ConnectionLimitTest {

  static final ActorTestKit kit = ActorTestKit.create();
  static final int REMOTES = 500;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void aSeederAdmitsAsManyAsItsLimitsAllowServesThemAndClosesTheRest(@TempDir Path dir) throws Exception {
    byte[] data = new byte[1 << 20];
    new Random(3).nextBytes(data);
    Metainfo metainfo = TorrentCreator.of(Files.write(dir.resolve("popular.bin"), data)).pieceLength(16384).create();
    // The node takes 200 connections and the torrent 50 of them; every admitted remote gets a slot.
    TestNode seeder = new TestNode(kit, "swarmshare.peer { max-connections = 200, max-peers-per-torrent = 50,"
        + " unchoke-slots = 50 }");
    seeder.add(metainfo, dir).await(TorrentState.SEEDING);

    List<RawPeer> remotes = new ArrayList<>();
    try {
      for (int i = 0; i < REMOTES; i++) {
        RawPeer raw = RawPeer.connect(seeder.address);
        remotes.add(raw);
        try {
          raw.handshake(metainfo.infoHash(), PeerId.generate());
        } catch (IOException closedAlready) {
          // refused before the handshake went out
        }
      }
      List<RawPeer> admitted = new ArrayList<>();
      for (RawPeer raw : remotes) {
        try {
          raw.readHandshake();
          admitted.add(raw);
        } catch (IOException refused) {
          assertThat(raw.closedByRemote()).isTrue();
        }
      }
      assertThat(admitted).as("remotes the torrent admitted").hasSize(50);

      for (int i = 0; i < admitted.size(); i++) {
        RawPeer raw = admitted.get(i);
        raw.send(PeerMessage.Interested.INSTANCE).readUntil(PeerMessage.Unchoke.class);
        raw.send(new PeerMessage.Request(i, 0, 16384));
        PeerMessage.Piece piece = raw.readUntil(PeerMessage.Piece.class);
        byte[] block = new byte[16384];
        piece.block().get(block);
        assertThat(block).as("the block remote %d was served", i)
            .isEqualTo(Arrays.copyOfRange(data, i * 16384, (i + 1) * 16384));
      }
    } finally {
      for (RawPeer raw : remotes) {
        raw.close();
      }
    }
  }
}
