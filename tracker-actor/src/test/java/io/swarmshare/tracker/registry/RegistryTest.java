package io.swarmshare.tracker.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.CompactPeers;
import io.swarmshare.messages.tracker.PeerAddress;
import io.swarmshare.messages.tracker.ScrapeStats;
import io.swarmshare.tracker.limits.Limit;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RegistryTest {

  static final InfoHash HASH = InfoHash.of(new byte[20]);
  static final InfoHash OTHER = InfoHash.fromHex("0102030405060708090a0b0c0d0e0f1011121314");

  private final Registry registry = new Registry(new Registry.Limits(50, 200, 1_000_000, Integer.MAX_VALUE, Integer.MAX_VALUE), 1);

  static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private AnnounceResult announce(InfoHash hash, String ip, int port, long left, AnnounceEvent event, int numWant) {
    return registry.announce(new Announce(hash, ip(ip), port, left, event, numWant, Announce.Families.BOTH));
  }

  private AnnounceResult announce(String ip, int port, long left) {
    return announce(HASH, ip, port, left, AnnounceEvent.STARTED, -1);
  }

  static List<PeerAddress> peers4(AnnounceResult r) {
    return CompactPeers.decode(ByteBuffer.wrap(r.peers4()), StandardProtocolFamily.INET);
  }

  static PeerAddress at(String ip, int port) {
    return new PeerAddress(ip(ip), port);
  }

  @Test
  void introducesPeersToEachOtherButNeverToThemselves() {
    AnnounceResult first = announce("10.0.0.1", 6881, 100);
    assertThat(first.peerCount()).isZero();
    assertThat(first.leechers()).isEqualTo(1);
    AnnounceResult second = announce("10.0.0.2", 6881, 0);
    assertThat(peers4(second)).containsExactly(at("10.0.0.1", 6881));
    assertThat(second.seeders()).isEqualTo(1);
    assertThat(second.leechers()).isEqualTo(1);
    assertThat(peers4(announce("10.0.0.1", 6881, 100))).containsExactly(at("10.0.0.2", 6881));
  }

  @Test
  void keysPeersByAddressAndPort() {
    announce("127.0.0.1", 1000, 100);
    announce("127.0.0.1", 1001, 100);
    AnnounceResult third = announce("127.0.0.1", 1002, 100);
    assertThat(peers4(third)).containsExactlyInAnyOrder(at("127.0.0.1", 1000), at("127.0.0.1", 1001));
    assertThat(registry.totals().peers()).isEqualTo(3);
  }

  @Test
  void givesASeederOnlyLeechers() {
    announce("10.0.0.1", 1, 0);
    announce("10.0.0.2", 1, 0);
    announce("10.0.0.3", 1, 50);
    assertThat(peers4(announce("10.0.0.4", 1, 0))).containsExactly(at("10.0.0.3", 1));
    assertThat(peers4(announce("10.0.0.5", 1, 10))).hasSize(4);
  }

  @Test
  void honoursNumWantWithinTheCap() {
    for (int i = 1; i <= 300; i++) {
      announce("10.0.1." + (i % 250), 1000 + i, 100);
    }
    assertThat(announce(HASH, "10.9.9.9", 1, 100, AnnounceEvent.NONE, -1).peerCount()).isEqualTo(50);
    assertThat(announce(HASH, "10.9.9.9", 1, 100, AnnounceEvent.NONE, 7).peerCount()).isEqualTo(7);
    assertThat(announce(HASH, "10.9.9.9", 1, 100, AnnounceEvent.NONE, 0).peerCount()).isZero();
    AnnounceResult many = announce(HASH, "10.9.9.9", 1, 100, AnnounceEvent.NONE, 100_000);
    assertThat(many.peerCount()).isEqualTo(200);
    assertThat(new HashSet<>(peers4(many))).hasSize(200);
  }

  @Test
  void handsOutDifferentPeersOverTime() {
    for (int i = 1; i <= 100; i++) {
      announce("10.0.2." + i, 1, 100);
    }
    Set<PeerAddress> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      seen.addAll(peers4(announce(HASH, "10.9.9.9", 1, 100, AnnounceEvent.NONE, 10)));
    }
    assertThat(seen.size()).isGreaterThan(50);
  }

  @Test
  void countsACompletedDownloadOnceAndTurnsTheLeecherIntoASeeder() {
    announce("10.0.0.1", 1, 100);
    AnnounceResult done = announce(HASH, "10.0.0.1", 1, 0, AnnounceEvent.COMPLETED, -1);
    assertThat(done.seeders()).isEqualTo(1);
    assertThat(done.leechers()).isZero();
    announce(HASH, "10.0.0.1", 1, 0, AnnounceEvent.COMPLETED, -1);
    assertThat(registry.scrape(HASH)).isEqualTo(new ScrapeStats(1, 1, 0));
  }

  @Test
  void forgetsAStoppedPeerAndDropsTheEmptySwarm() {
    announce("10.0.0.1", 1, 100);
    announce(HASH, "10.0.0.2", 1, 0, AnnounceEvent.STARTED, -1);
    AnnounceResult stopped = announce(HASH, "10.0.0.1", 1, 100, AnnounceEvent.STOPPED, -1);
    assertThat(stopped.peerCount()).isZero();
    assertThat(stopped.leechers()).isZero();
    assertThat(stopped.seeders()).isEqualTo(1);
    announce(HASH, "10.0.0.2", 1, 0, AnnounceEvent.STOPPED, -1);
    assertThat(registry.totals()).isEqualTo(new Registry.Totals(0, 0, 0));
    announce(OTHER, "10.0.0.3", 1, 0, AnnounceEvent.STOPPED, -1);
    assertThat(registry.totals().swarms()).isZero();
  }

  @Test
  void expiresPeersThatStopAnnouncingAfterTheTimeout() {
    announce("10.0.0.1", 1, 100);
    announce("10.0.0.2", 1, 100);
    for (int tick = 0; tick < 3; tick++) {
      registry.sweep(4);
      announce("10.0.0.2", 1, 100);
    }
    assertThat(registry.sweep(4)).isZero();
    assertThat(registry.sweep(4)).isEqualTo(1);
    assertThat(peers4(announce("10.0.0.2", 1, 100))).isEmpty();
    for (int tick = 0; tick < 5; tick++) {
      registry.sweep(4);
    }
    assertThat(registry.totals()).isEqualTo(new Registry.Totals(0, 0, 0));
  }

  @Test
  void keepsIpv6PeersApartAndAnswersInTheAskedFamily() {
    registry.announce(new Announce(HASH, ip("2001:db8::1"), 6881, 100, AnnounceEvent.STARTED, -1, Announce.Families.IPV6));
    announce("10.0.0.1", 6881, 100);
    AnnounceResult v4only = registry.announce(new Announce(HASH, ip("10.0.0.2"), 1, 100, AnnounceEvent.NONE, -1, Announce.Families.IPV4));
    assertThat(v4only.peers6()).isEmpty();
    assertThat(peers4(v4only)).containsExactly(at("10.0.0.1", 6881));
    AnnounceResult v6 = registry.announce(new Announce(HASH, ip("2001:db8::2"), 1, 100, AnnounceEvent.NONE, -1, Announce.Families.IPV6));
    assertThat(v6.peers4()).isEmpty();
    assertThat(CompactPeers.decode(ByteBuffer.wrap(v6.peers6()), StandardProtocolFamily.INET6))
        .containsExactly(at("2001:db8::1", 6881));
    assertThat(registry.totals().peers()).isEqualTo(4);
    registry.announce(new Announce(HASH, ip("2001:db8::1"), 6881, 0, AnnounceEvent.STOPPED, -1, Announce.Families.IPV6));
    assertThat(registry.totals().peers()).isEqualTo(3);
  }

  @Test
  void refusesNewPeersPastItsLimitButStillServesKnownOnes() {
    Registry small = new Registry(new Registry.Limits(50, 200, 2, Integer.MAX_VALUE, Integer.MAX_VALUE), 1);
    small.announce(new Announce(HASH, ip("10.0.0.1"), 1, 1, AnnounceEvent.STARTED, -1, Announce.Families.BOTH));
    small.announce(new Announce(OTHER, ip("10.0.0.2"), 1, 1, AnnounceEvent.STARTED, -1, Announce.Families.BOTH));
    assertThatThrownBy(() -> small.announce(new Announce(HASH, ip("10.0.0.3"), 1, 1, AnnounceEvent.STARTED, -1, Announce.Families.BOTH)))
        .isInstanceOf(Registry.LimitException.class).hasMessageContaining("full");
    assertThat(small.announce(new Announce(HASH, ip("10.0.0.1"), 1, 0, AnnounceEvent.COMPLETED, -1, Announce.Families.BOTH)).seeders()).isEqualTo(1);
    assertThat(small.totals()).isEqualTo(new Registry.Totals(2, 2, 1));
  }

  /** Random announces, stops and sweeps against a plain map of what should be there. */
  @Property(tries = 100)
  void agreesWithASimpleModel(@ForAll("operations") List<int[]> operations) {
    Registry r = new Registry(new Registry.Limits(1000, 1000, 1_000_000, Integer.MAX_VALUE, Integer.MAX_VALUE), 7);
    record Key(int swarm, int peer) {}
    Map<Key, int[]> model = new HashMap<>();   // value: {seenTick, seeder}
    int now = 0;
    int timeout = 3;
    InfoHash[] hashes = {HASH, OTHER};
    for (int[] op : operations) {
      int kind = op[0];
      int swarm = op[1];
      int peer = op[2];
      boolean seeder = op[3] == 1;
      InetAddress address = ip(peer % 5 == 0 ? "2001:db8::" + Integer.toHexString(peer + 1) : "10.1." + (peer / 200) + "." + (peer % 200));
      Key key = new Key(swarm, peer);
      if (kind == 0) {
        AnnounceResult res = r.announce(new Announce(hashes[swarm], address, 1000 + peer, seeder ? 0 : 9, AnnounceEvent.NONE, -1, Announce.Families.BOTH));
        model.put(key, new int[] {now, seeder ? 1 : 0});
        long expectedSeeders = model.entrySet().stream().filter(e -> e.getKey().swarm() == swarm && e.getValue()[1] == 1).count();
        long expectedAll = model.keySet().stream().filter(k -> k.swarm() == swarm).count();
        assertThat(res.seeders()).isEqualTo(expectedSeeders);
        assertThat(res.leechers()).isEqualTo(expectedAll - expectedSeeders);
        long eligible = model.entrySet().stream()
            .filter(e -> e.getKey().swarm() == swarm && !e.getKey().equals(key) && !(seeder && e.getValue()[1] == 1))
            .count();
        assertThat(res.peerCount()).isEqualTo(eligible);
      } else if (kind == 1) {
        r.announce(new Announce(hashes[swarm], address, 1000 + peer, 0, AnnounceEvent.STOPPED, -1, Announce.Families.BOTH));
        model.remove(key);
      } else {
        now++;
        int oldest = now - timeout;
        model.values().removeIf(v -> v[0] < oldest);
        r.sweep(timeout);
      }
      assertThat(r.totals().peers()).isEqualTo(model.size());
      assertThat(r.totals().seeders()).isEqualTo(model.values().stream().filter(v -> v[1] == 1).count());
    }
    // Once every peer has gone, the per-address accounting holds nothing either.
    for (int i = 0; i <= timeout + 1; i++) {
      r.sweep(timeout);
    }
    assertThat(r.totals()).isEqualTo(new Registry.Totals(0, 0, 0));
    assertThat(r.addresses()).isZero();
  }

  @Test
  void refusesAnAddressPastItsPeersAndSwarmsButNotOthers() {
    Registry r = new Registry(new Registry.Limits(50, 200, 1_000_000, 3, 2), 1);
    InetAddress greedy = ip("10.0.0.9");
    for (int port = 1; port <= 3; port++) {
      r.announce(new Announce(HASH, greedy, port, 1, AnnounceEvent.STARTED, -1, Announce.Families.BOTH));
    }
    assertThatThrownBy(() -> r.announce(new Announce(HASH, greedy, 4, 1, AnnounceEvent.STARTED, -1, Announce.Families.BOTH)))
        .isInstanceOf(Registry.LimitException.class).hasMessageContaining("3 peers")
        .extracting(e -> ((Registry.LimitException) e).limit()).isEqualTo(Limit.PEERS_PER_ADDRESS);
    // A known peer re-announces, and another address is served.
    r.announce(new Announce(HASH, greedy, 2, 0, AnnounceEvent.NONE, -1, Announce.Families.BOTH));
    r.announce(new Announce(HASH, ip("10.0.0.10"), 1, 1, AnnounceEvent.STARTED, -1, Announce.Families.BOTH));
    // Stopping one frees a place.
    r.announce(new Announce(HASH, greedy, 1, 1, AnnounceEvent.STOPPED, -1, Announce.Families.BOTH));
    r.announce(new Announce(HASH, greedy, 4, 1, AnnounceEvent.STARTED, -1, Announce.Families.BOTH));

    InetAddress creator = ip("2001:db8:1:2::1");
    r.announce(new Announce(OTHER, creator, 1, 1, AnnounceEvent.STARTED, -1, Announce.Families.BOTH));
    r.announce(new Announce(InfoHash.fromHex("0000000000000000000000000000000000000003"), ip("2001:db8:1:2::2"), 1, 1,
        AnnounceEvent.STARTED, -1, Announce.Families.BOTH));
    // The same /64 started two swarms already.
    assertThatThrownBy(() -> r.announce(new Announce(InfoHash.fromHex("0000000000000000000000000000000000000004"),
        ip("2001:db8:1:2::3"), 1, 1, AnnounceEvent.STARTED, -1, Announce.Families.BOTH)))
        .isInstanceOf(Registry.LimitException.class).hasMessageContaining("2 swarms");
    // Joining a swarm someone else started is no new swarm.
    r.announce(new Announce(HASH, creator, 9, 1, AnnounceEvent.STARTED, -1, Announce.Families.BOTH));
    assertThat(r.totals().swarms()).isEqualTo(3);
  }

  @Provide
  Arbitrary<List<int[]>> operations() {
    Arbitrary<int[]> op = Combinators.combine(
            Arbitraries.integers().between(0, 9).map(k -> k < 7 ? 0 : k < 9 ? 1 : 2),
            Arbitraries.integers().between(0, 1),
            Arbitraries.integers().between(0, 60),
            Arbitraries.integers().between(0, 1))
        .as((kind, swarm, peer, seeder) -> new int[] {kind, swarm, peer, seeder});
    return op.list().ofMaxSize(300);
  }

  @Test
  void listsEverySwarmsCountsOrOnlyTheBusiestPastTheMost() {
    announce(HASH, "10.0.0.1", 1000, 0, AnnounceEvent.STARTED, -1);
    announce(HASH, "10.0.0.2", 1000, 5, AnnounceEvent.STARTED, -1);
    announce(HASH, "10.0.0.2", 1000, 0, AnnounceEvent.COMPLETED, -1);
    announce(HASH, "10.0.0.3", 1000, 7, AnnounceEvent.STARTED, -1);
    announce(OTHER, "10.0.0.4", 1000, 7, AnnounceEvent.STARTED, -1);
    assertThat(registry.swarmCount()).isEqualTo(2);
    assertThat(registry.swarms(10)).containsExactlyInAnyOrder(
        new Registry.SwarmCounts(HASH, 2, 1, 1), new Registry.SwarmCounts(OTHER, 0, 1, 0));
    assertThat(registry.swarms(1)).containsExactly(new Registry.SwarmCounts(HASH, 2, 1, 1));
    assertThat(registry.swarms(0)).isEmpty();
  }

  @Test
  void listsASwarmsPeersWithTheirAddressPortRoleAndAge() {
    announce(HASH, "10.0.0.1", 6881, 0, AnnounceEvent.STARTED, -1);
    registry.sweep(5);
    announce(HASH, "2001:db8::7", 51413, 9, AnnounceEvent.STARTED, -1);
    assertThat(registry.peers(HASH, 10)).containsExactlyInAnyOrder(
        new Registry.PeerEntry(ip("10.0.0.1"), 6881, true, 1),
        new Registry.PeerEntry(ip("2001:db8::7"), 51413, false, 0));
    assertThat(registry.peers(HASH, 1)).hasSize(1);
    assertThat(registry.peers(OTHER, 10)).isEmpty();
  }
}
