package io.swarmshare.tracker.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The open-addressing table itself, against a map, through growth, deletes, expiry and shrinking. */
class SwarmTest {

  private static InetAddress v4(int peer) {
    try {
      return InetAddress.getByAddress(new byte[] {10, (byte) (peer >>> 16), (byte) (peer >>> 8), (byte) peer});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static int port(int peer) {
    return 1 + peer % 3;   // several peers share an address: the port tells them apart
  }

  @Property(tries = 50)
  void agreesWithAMapThroughEveryResize(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3000) int peers) {
    SplittableRandom random = new SplittableRandom(seed);
    Swarm swarm = new Swarm(0);
    Map<Integer, int[]> model = new HashMap<>();   // peer -> {seen tick, seeder}
    int now = 0;
    int timeout = 4;
    for (int step = 0; step < peers * 4; step++) {
      int peer = random.nextInt(peers);
      int kind = random.nextInt(100);
      if (kind < 70) {
        boolean seeder = random.nextBoolean();
        int added = swarm.put(v4(peer), port(peer), seeder, false, now);
        assertThat(added).isEqualTo(model.containsKey(peer) ? 0 : 1);
        model.put(peer, new int[] {now, seeder ? 1 : 0});
      } else if (kind < 95) {
        assertThat(swarm.remove(v4(peer), port(peer))).isEqualTo(model.remove(peer) == null ? 0 : 1);
      } else {
        now++;
        int oldest = now - timeout;
        long before = model.size();
        model.values().removeIf(v -> v[0] < oldest);
        List<Long> gone = new ArrayList<>();
        assertThat(swarm.expire(now, timeout, gone::add)).isEqualTo(before - model.size());
        assertThat(gone).hasSize((int) (before - model.size()));
      }
      assertThat(swarm.size()).isEqualTo(model.size());
      assertThat(swarm.seeders()).isEqualTo(model.values().stream().filter(v -> v[1] == 1).count());
      assertThat(swarm.slots() * 3L).as("never fuller than 3/4").isGreaterThanOrEqualTo(swarm.size() * 4L);
    }
    for (int peer = 0; peer < peers; peer++) {
      assertThat(swarm.contains(v4(peer), port(peer))).as("peer %d", peer).isEqualTo(model.containsKey(peer));
    }
    Set<Long> sampled = new HashSet<>();
    Swarm.CompactWriter out = new Swarm.CompactWriter(6 * model.size());
    swarm.sample(-1, null, false, model.size(), true, false, random, out, new Swarm.CompactWriter(0));
    byte[] bytes = out.toByteArray();
    for (int i = 0; i < bytes.length; i += 6) {
      long entry = 0;
      for (int j = 0; j < 6; j++) {
        entry = (entry << 8) | (bytes[i + j] & 0xff);
      }
      sampled.add(entry);
    }
    assertThat(sampled).as("a full sample is every peer once").hasSize(model.size());
    assertThat(bytes).hasSize(6 * model.size());
  }

  @Test
  void aGrowingSwarmStaysBetweenHalfAndThreeQuartersFull() {
    Swarm swarm = new Swarm(0);
    for (int peer = 0; peer < 100_000; peer++) {
      swarm.put(v4(peer), port(peer), false, false, 0);
      if (peer >= 16) {
        double load = (double) swarm.size() / swarm.slots();
        assertThat(load).as("load at %d peers", swarm.size()).isBetween(0.5, 0.75);
      }
    }
    // What the tracker's memory figure rests on: 100 peers, the average swarm of its benchmark.
    Swarm hundred = new Swarm(0);
    for (int peer = 0; peer < 100; peer++) {
      hundred.put(v4(peer), port(peer), false, false, 0);
    }
    assertThat(hundred.slots() * 8 / 100.0).as("bytes a peer").isLessThanOrEqualTo(16.0);
  }

  @Test
  void shrinksWhenMostPeersLeaveAndIsRebuiltTwoThirdsFullAfterExpiry() {
    Swarm swarm = new Swarm(0);
    for (int peer = 0; peer < 1000; peer++) {
      swarm.put(v4(peer), port(peer), false, false, peer < 300 ? 10 : 0);
    }
    int full = swarm.slots();
    assertThat(swarm.expire(10, 5, key -> {})).isEqualTo(700);
    assertThat(swarm.size()).isEqualTo(300);
    assertThat(swarm.slots()).isEqualTo(451);
    for (int peer = 0; peer < 290; peer++) {
      swarm.remove(v4(peer), port(peer));
    }
    assertThat(swarm.size()).isEqualTo(10);
    assertThat(swarm.slots()).isLessThan(full / 20);
    for (int peer = 290; peer < 300; peer++) {
      assertThat(swarm.contains(v4(peer), port(peer))).isTrue();
    }
  }
}
