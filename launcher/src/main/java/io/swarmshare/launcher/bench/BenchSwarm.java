package io.swarmshare.launcher.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The made-up swarms a benchmark announces into, all derived from a seed so that every run, and
 * the whitelist opentracker needs, agree. What it tracks, per index, without storing anything but
 * the info hashes:
 *
 * <ul>
 *   <li>torrent {@code t}: info hash SHA-1("swarmshare-bench-" + seed + "-" + t);
 *   <li>peer {@code p}: announces into torrent {@code p % torrents}, names itself
 *       {@code -SB0001-} + the seed's low 32 bits + {@code p}, sends from
 *       127.0.0.(1 + p / portsPerAddress) and announces port 1 + p % portsPerAddress, so that
 *       each peer is a distinct (source address, port) pair, which is how trackers key peers;
 *   <li>about {@code seedersPercent} of the peers seed (left = 0), picked by a hash of the index
 *       so that every swarm holds both seeders and leechers.
 * </ul>
 */
final class BenchSwarm {

  static final int HASH_LENGTH = 20;
  static final int MAX_PORTS_PER_ADDRESS = 65535;
  /** Source addresses run from 127.0.0.1 to 127.0.0.254, all on loopback without configuration. */
  static final int MAX_ADDRESSES = 254;
  static final long LEECHER_LEFT = 1L << 30;

  private static final byte[] PEER_ID_PREFIX = "-SB0001-".getBytes(StandardCharsets.US_ASCII);

  private final long seed;
  private final int torrents;
  private final int peers;
  private final int portsPerAddress;
  private final int seedersPercent;
  private final byte[] infoHashes;

  BenchSwarm(long seed, int torrents, int peers, int portsPerAddress, int seedersPercent) {
    if (torrents < 1 || peers < 1) {
      throw new IllegalArgumentException("a swarm needs at least one torrent and one peer");
    }
    if (portsPerAddress < 1 || portsPerAddress > MAX_PORTS_PER_ADDRESS) {
      throw new IllegalArgumentException(
          "ports per address are 1.." + MAX_PORTS_PER_ADDRESS + ", got " + portsPerAddress);
    }
    if ((peers - 1L) / portsPerAddress >= MAX_ADDRESSES) {
      throw new IllegalArgumentException(
          peers + " peers need more than " + MAX_ADDRESSES + " source addresses at "
              + portsPerAddress + " ports each");
    }
    if (seedersPercent < 0 || seedersPercent > 100) {
      throw new IllegalArgumentException("seeders are 0..100 percent, got " + seedersPercent);
    }
    this.seed = seed;
    this.torrents = torrents;
    this.peers = peers;
    this.portsPerAddress = portsPerAddress;
    this.seedersPercent = seedersPercent;
    this.infoHashes = new byte[Math.multiplyExact(torrents, HASH_LENGTH)];
    MessageDigest sha1 = sha1();
    for (int t = 0; t < torrents; t++) {
      byte[] hash = sha1.digest(hashInput(seed, t));
      System.arraycopy(hash, 0, infoHashes, t * HASH_LENGTH, HASH_LENGTH);
    }
  }

  /** Torrent {@code index}'s info hash for {@code seed}, the same in every run. */
  static byte[] infoHash(long seed, int index) {
    return sha1().digest(hashInput(seed, index));
  }

  int torrents() {
    return torrents;
  }

  int peers() {
    return peers;
  }

  int portsPerAddress() {
    return portsPerAddress;
  }

  byte[] infoHash(int torrent) {
    byte[] hash = new byte[HASH_LENGTH];
    System.arraycopy(infoHashes, torrent * HASH_LENGTH, hash, 0, HASH_LENGTH);
    return hash;
  }

  /** Writes torrent {@code torrent}'s info hash at {@code out}'s position. */
  void putInfoHash(int torrent, ByteBuffer out) {
    out.put(infoHashes, torrent * HASH_LENGTH, HASH_LENGTH);
  }

  int torrentOf(int peer) {
    return peer % torrents;
  }

  byte[] peerId(int peer) {
    ByteBuffer id = ByteBuffer.allocate(HASH_LENGTH);
    putPeerId(peer, id);
    return id.array();
  }

  /** Writes peer {@code peer}'s 20-byte id at {@code out}'s position. */
  void putPeerId(int peer, ByteBuffer out) {
    out.put(PEER_ID_PREFIX).putInt((int) seed).putLong(peer);
  }

  /** The TCP port the peer announces: 1..portsPerAddress, never 0. */
  int portOf(int peer) {
    return 1 + peer % portsPerAddress;
  }

  /** Which source address the peer sends from: 127.0.0.(1 + this). */
  int addressIndexOf(int peer) {
    return peer / portsPerAddress;
  }

  int addressCount() {
    return (peers - 1) / portsPerAddress + 1;
  }

  static Inet4Address sourceAddress(int index) {
    if (index < 0 || index >= MAX_ADDRESSES) {
      throw new IllegalArgumentException("source addresses are 0.." + (MAX_ADDRESSES - 1));
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + index)});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an address", e);
    }
  }

  boolean seeds(int peer) {
    return Math.floorMod(mix(peer ^ seed), 100) < seedersPercent;
  }

  long leftOf(int peer) {
    return seeds(peer) ? 0 : LEECHER_LEFT;
  }

  /** The announce's {@code key}: stable per peer. */
  int keyOf(int peer) {
    return (int) mix(peer + 0x5bd1e995L * seed);
  }

  private static byte[] hashInput(long seed, int index) {
    return ("swarmshare-bench-" + seed + "-" + index).getBytes(StandardCharsets.US_ASCII);
  }

  /** A 64-bit finaliser (MurmurHash3's): spreads consecutive indices over all values. */
  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }
}
