package io.swarmshare.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchSwarmTest {

  static final HexFormat HEX = HexFormat.of();

  @Test
  void infoHashesAreTheSha1OfANamedIndex() {
    // printf 'swarmshare-bench-0-0' | sha1sum, and so on
    assertThat(HEX.formatHex(BenchSwarm.infoHash(0, 0)))
        .isEqualTo("ace36e587e2d3dc1f5ec31a3f260cdec0e66459a");
    assertThat(HEX.formatHex(BenchSwarm.infoHash(0, 1)))
        .isEqualTo("7ff41508fbfaa6e843dc5d08351fee262a13056b");
  }

  @Test
  void aSwarmHoldsTheSameHashesAsTheStaticDerivation() {
    BenchSwarm swarm = new BenchSwarm(7, 1000, 10, 65535, 10);

    for (int t : new int[] {0, 1, 500, 999}) {
      ByteBuffer out = ByteBuffer.allocate(20);
      swarm.putInfoHash(t, out);
      assertThat(out.array()).isEqualTo(BenchSwarm.infoHash(7, t)).isEqualTo(swarm.infoHash(t));
    }
  }

  @Test
  void hashesAreDistinctAndDependOnTheSeed() {
    Set<String> hashes = new HashSet<>();
    for (int t = 0; t < 10_000; t++) {
      hashes.add(HEX.formatHex(BenchSwarm.infoHash(0, t)));
    }
    assertThat(hashes).hasSize(10_000);
    for (int t = 0; t < 1000; t++) {
      assertThat(BenchSwarm.infoHash(1, t)).as("torrent %d", t).isNotEqualTo(BenchSwarm.infoHash(0, t));
    }
  }

  @Test
  void swarmsBuiltApartWithOneSeedAgreeOnEveryHash() throws Exception {
    // bench/tracker.sh writes opentracker's whitelist in one process and announces from another:
    // each must derive SHA-1("swarmshare-bench-SEED-T") from the seed and the index alone.
    BenchSwarm whitelist = new BenchSwarm(5, 300, 1, 65535, 10);
    BenchSwarm load = new BenchSwarm(5, 300, 50_000, 1000, 50);
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    for (int t = 0; t < 300; t++) {
      byte[] expected = sha1.digest(("swarmshare-bench-5-" + t).getBytes(StandardCharsets.US_ASCII));
      assertThat(whitelist.infoHash(t)).as("torrent %d", t).isEqualTo(expected);
      assertThat(load.infoHash(t)).as("torrent %d", t).isEqualTo(expected);
    }
  }

  @Test
  void aMillionPeersAreDistinctAddressAndPortPairs() {
    BenchSwarm swarm = new BenchSwarm(0, 10_000, 1_000_000, 65535, 10);
    BitSet seen = new BitSet();

    for (int p = 0; p < swarm.peers(); p++) {
      int port = swarm.portOf(p);
      int address = swarm.addressIndexOf(p);
      assertThat(port).isBetween(1, 65535);
      assertThat(address).isBetween(0, swarm.addressCount() - 1);
      int pair = address * 65536 + port;
      assertThat(seen.get(pair)).as("peer %d", p).isFalse();
      seen.set(pair);
    }
    assertThat(swarm.addressCount()).isEqualTo(16);
    assertThat(BenchSwarm.sourceAddress(0).getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(BenchSwarm.sourceAddress(15).getHostAddress()).isEqualTo("127.0.0.16");
  }

  @Test
  void peersSpreadOverTheTorrentsAndAboutATenthSeed() {
    BenchSwarm swarm = new BenchSwarm(0, 1000, 100_000, 65535, 10);
    int[] perTorrent = new int[1000];
    int[] seedersPerTorrent = new int[1000];
    int seeders = 0;

    for (int p = 0; p < swarm.peers(); p++) {
      perTorrent[swarm.torrentOf(p)]++;
      if (swarm.seeds(p)) {
        seeders++;
        seedersPerTorrent[swarm.torrentOf(p)]++;
        assertThat(swarm.leftOf(p)).isZero();
      } else {
        assertThat(swarm.leftOf(p)).isPositive();
      }
    }
    assertThat(perTorrent).containsOnly(100);
    assertThat(seeders).isBetween(9_000, 11_000);
    // not all of one torrent's peers seed, nor none: seeding is not tied to the torrent
    assertThat(seedersPerTorrent).contains(5, 10, 15);
  }

  @Test
  void peerIdsCarryTheBenchPrefixAndAreDistinct() {
    BenchSwarm swarm = new BenchSwarm(3, 10, 100_000, 65535, 10);
    Set<String> ids = new HashSet<>();

    for (int p = 0; p < swarm.peers(); p++) {
      byte[] id = swarm.peerId(p);
      assertThat(id).hasSize(20);
      ids.add(HEX.formatHex(id));
    }
    assertThat(ids).hasSize(100_000);
    assertThat(new String(swarm.peerId(0), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("-SB0001-");
  }

  @Test
  void refusesMorePeersThanTheSourceAddressesHold() {
    assertThatThrownBy(() -> new BenchSwarm(0, 10, 254 * 65535 + 1, 65535, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("254 source addresses");
    assertThat(new BenchSwarm(0, 10, 254 * 100, 100, 10).addressCount()).isEqualTo(254);
    assertThatThrownBy(() -> new BenchSwarm(0, 10, 10, 65536, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BenchSwarm(0, 0, 10, 65535, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
