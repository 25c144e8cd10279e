package io.swarmshare.tracker.registry;

import io.swarmshare.tracker.limits.AddressKey;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * The peers of one torrent. A peer is known by its address AND port, never by its id, since one
 * machine may run several clients.
 *
 * <p>IPv4 peers, nearly all of them, live in an open-addressing table where a peer is one long:
 * address (32 bits), port (16), the sweep tick it last announced at, modulo 2^15 (15), and
 * whether it is a seeder (1). The table may be any size, not only a power of two, so that it can
 * grow by half rather than double: it grows at 3/4 full to 1/2, is rebuilt to 2/3 after peers
 * expire and shrinks below 1/4, so a peer costs 11 to 16 bytes and no object while a swarm grows
 * or holds steady. (Doubling left a swarm of 100 peers in 256 slots: 20 bytes a peer.) IPv6 peers
 * are few and live in a plain map, made when the first comes.
 */
final class Swarm {

  private static final int MIN_CAPACITY = 4;
  private static final long SEEDER = 1;
  static final int TICK_BITS = 15;
  private static final int TICK_MASK = (1 << TICK_BITS) - 1;

  /** 0 marks a free slot: a peer's port is never 0, so its entry never is. */
  private long[] entries = new long[MIN_CAPACITY];
  private int size4;

  private Map<V6Key, V6Peer> peers6;

  private int seeders;
  private int completed;
  /** The address key of whoever brought the first peer: the swarm counts against its limit. */
  private final long creator;

  Swarm(long creator) {
    this.creator = creator;
  }

  long creator() {
    return creator;
  }

  record V6Key(long high, long low, int port) {}

  private static final class V6Peer {
    int seen;
    boolean seeder;

    V6Peer(int seen, boolean seeder) {
      this.seen = seen;
      this.seeder = seeder;
    }
  }

  int size() {
    return size4 + (peers6 == null ? 0 : peers6.size());
  }

  /** The IPv4 table's slots, free ones included: what the swarm's peers cost in memory. */
  int slots() {
    return entries.length;
  }

  int seeders() {
    return seeders;
  }

  int leechers() {
    return size() - seeders;
  }

  int completed() {
    return completed;
  }

  boolean isEmpty() {
    return size() == 0;
  }

  boolean contains(InetAddress address, int port) {
    return address instanceof Inet4Address
        ? find(key4(address, port)) >= 0
        : peers6 != null && peers6.containsKey(key6(address, port));
  }

  /**
   * Adds or refreshes a peer. Returns 1 if it is new, 0 if it was known. {@code completedNow}
   * counts a finished download once, when a leecher (or a newcomer) says so.
   */
  int put(InetAddress address, int port, boolean seeder, boolean completedNow, int now) {
    boolean wasSeeder;
    int added;
    if (address instanceof Inet4Address) {
      long key = key4(address, port);
      int slot = find(key);
      if (slot >= 0) {
        wasSeeder = (entries[slot] & SEEDER) != 0;
        added = 0;
      } else {
        if ((size4 + 1) * 4 > entries.length * 3) {
          resize(entries.length + entries.length / 2);
          slot = find(key);
        }
        slot = -slot - 1;
        size4++;
        wasSeeder = false;
        added = 1;
      }
      entries[slot] = (key << 16) | ((long) (now & TICK_MASK) << 1) | (seeder ? SEEDER : 0);
    } else {
      if (peers6 == null) {
        peers6 = new HashMap<>();
      }
      V6Peer peer = peers6.get(key6(address, port));
      if (peer == null) {
        peers6.put(key6(address, port), new V6Peer(now, seeder));
        wasSeeder = false;
        added = 1;
      } else {
        wasSeeder = peer.seeder;
        peer.seen = now;
        peer.seeder = seeder;
        added = 0;
      }
    }
    if (seeder != wasSeeder) {
      seeders += seeder ? 1 : -1;
    }
    if (completedNow && !wasSeeder) {
      completed++;
    }
    return added;
  }

  /** Forgets a peer; returns 1 if it was known. */
  int remove(InetAddress address, int port) {
    if (address instanceof Inet4Address) {
      int slot = find(key4(address, port));
      if (slot < 0) {
        return 0;
      }
      if ((entries[slot] & SEEDER) != 0) {
        seeders--;
      }
      deleteSlot(slot);
      return 1;
    }
    V6Peer peer = peers6 == null ? null : peers6.remove(key6(address, port));
    if (peer == null) {
      return 0;
    }
    if (peer.seeder) {
      seeders--;
    }
    return 1;
  }

  /**
   * Forgets every peer that last announced more than {@code timeoutTicks} ticks before {@code now};
   * returns how many went. Ages are taken modulo 2^15, which is exact while the timeout is
   * shorter than 2^14 ticks, as the settings ensure. {@code gone} hears the address key of each.
   */
  int expire(int now, int timeoutTicks, LongConsumer gone) {
    int before = size();
    if (size4 > 0) {
      int live = 0;
      for (long e : entries) {
        if (e != 0 && !expired(e, now, timeoutTicks)) {
          live++;
        }
      }
      if (live < size4) {
        rebuild(live, now, timeoutTicks, gone);
      }
    }
    if (peers6 != null) {
      Iterator<Map.Entry<V6Key, V6Peer>> it = peers6.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<V6Key, V6Peer> e = it.next();
        V6Key key = e.getKey();
        V6Peer peer = e.getValue();
        if (now - peer.seen > timeoutTicks) {
          if (peer.seeder) {
            seeders--;
          }
          it.remove();
          gone.accept(AddressKey.v6(key.high()));
        }
      }
    }
    return before - size();
  }

  private static boolean expired(long entry, int now, int timeoutTicks) {
    int seen = (int) (entry >>> 1) & TICK_MASK;
    return ((now - seen) & TICK_MASK) > timeoutTicks;
  }

  /**
   * Writes up to {@code max} peers other than the asker in compact form (BEP 23, BEP 7), starting
   * at a random slot so that every peer gets handed out. A seeder is given only leechers.
   */
  void sample(long askerKey4, V6Key askerKey6, boolean askerIsSeeder, int max, boolean want4, boolean want6,
      SplittableRandom random, CompactWriter peers4, CompactWriter peers6out) {
    int taken = 0;
    if (want4 && size4 > 0) {
      int capacity = entries.length;
      int slot = random.nextInt(capacity);
      for (int n = 0; n < capacity && taken < max; n++, slot = next(slot)) {
        long e = entries[slot];
        if (e == 0 || (e >>> 16) == askerKey4 || (askerIsSeeder && (e & SEEDER) != 0)) {
          continue;
        }
        peers4.putBits(e >>> 16, 6);
        taken++;
      }
    }
    if (want6 && peers6 != null) {
      for (Map.Entry<V6Key, V6Peer> e : peers6.entrySet()) {
        if (taken >= max) {
          break;
        }
        V6Key key = e.getKey();
        if (key.equals(askerKey6) || (askerIsSeeder && e.getValue().seeder)) {
          continue;
        }
        peers6out.putBits(key.high(), 8);
        peers6out.putBits(key.low(), 8);
        peers6out.putBits(key.port(), 2);
        taken++;
      }
    }
  }

  /** What {@link #peers} hands over for each peer. */
  interface PeerVisitor {
    void peer(byte[] address, int port, boolean seeder, int ticksSinceAnnounce);
  }

  /** Visits up to {@code max} peers, IPv4 first, in table order; returns how many it visited. */
  int peers(int max, int now, PeerVisitor visitor) {
    int visited = 0;
    for (long e : entries) {
      if (visited >= max) {
        return visited;
      }
      if (e == 0) {
        continue;
      }
      long ip = e >>> 32;
      byte[] address = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
      int seen = (int) (e >>> 1) & TICK_MASK;
      visitor.peer(address, (int) (e >>> 16) & 0xffff, (e & SEEDER) != 0, (now - seen) & TICK_MASK);
      visited++;
    }
    if (peers6 != null) {
      for (Map.Entry<V6Key, V6Peer> e : peers6.entrySet()) {
        if (visited >= max) {
          break;
        }
        V6Key key = e.getKey();
        byte[] address = new byte[16];
        for (int i = 0; i < 8; i++) {
          address[i] = (byte) (key.high() >>> (56 - 8 * i));
          address[i + 8] = (byte) (key.low() >>> (56 - 8 * i));
        }
        visitor.peer(address, key.port(), e.getValue().seeder, now - e.getValue().seen);
        visited++;
      }
    }
    return visited;
  }

  /** Compact peers written into an array sized for the most that can come: no growth, no locks. */
  static final class CompactWriter {
    private final byte[] bytes;
    private int length;

    CompactWriter(int capacity) {
      this.bytes = new byte[capacity];
    }

    /** The low {@code count} bytes of {@code value}, most significant first. */
    void putBits(long value, int count) {
      for (int shift = (count - 1) * 8; shift >= 0; shift -= 8) {
        bytes[length++] = (byte) (value >>> shift);
      }
    }

    byte[] toByteArray() {
      return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }
  }

  /** Address and port in 48 bits. */
  static long key4(InetAddress address, int port) {
    byte[] a = address.getAddress();
    long ip = ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
    return (ip << 16) | port;
  }

  static V6Key key6(InetAddress address, int port) {
    byte[] a = address.getAddress();
    long high = 0;
    long low = 0;
    for (int i = 0; i < 8; i++) {
      high = (high << 8) | (a[i] & 0xff);
      low = (low << 8) | (a[i + 8] & 0xff);
    }
    return new V6Key(high, low, port);
  }

  /** The slot holding {@code key}, or {@code -(free slot) - 1} where it would go. */
  private int find(long key) {
    int slot = home(key);
    while (true) {
      long e = entries[slot];
      if (e == 0) {
        return -slot - 1;
      }
      if ((e >>> 16) == key) {
        return slot;
      }
      slot = next(slot);
    }
  }

  /** Linear probing's backward-shift delete: no tombstones, so lookups stay short. */
  private void deleteSlot(int slot) {
    int hole = slot;
    int next = next(hole);
    while (entries[next] != 0) {
      int home = home(entries[next] >>> 16);
      // The entry may move back into the hole unless its home lies cyclically after the hole.
      if (distance(home, next) >= distance(hole, next)) {
        entries[hole] = entries[next];
        hole = next;
      }
      next = next(next);
    }
    entries[hole] = 0;
    size4--;
    if (entries.length > MIN_CAPACITY && size4 * 4 < entries.length) {
      resize(capacityFor(size4));
    }
  }

  /** How many probes it takes from {@code from} to {@code to}, going round the table. */
  private int distance(int from, int to) {
    int d = to - from;
    return d >= 0 ? d : d + entries.length;
  }

  private int next(int slot) {
    return slot + 1 == entries.length ? 0 : slot + 1;
  }

  /** A table 2/3 full with {@code peers}: room to grow by an eighth before it must grow. */
  private static int capacityFor(int peers) {
    return Math.max(MIN_CAPACITY, peers + peers / 2 + 1);
  }

  private void resize(int capacity) {
    copyInto(capacity, 0, Integer.MAX_VALUE, null);
  }

  /** Keeps the {@code live} peers that have not expired, in a table 2/3 full. */
  private void rebuild(int live, int now, int timeoutTicks, LongConsumer gone) {
    copyInto(capacityFor(live), now, timeoutTicks, gone);
  }

  private void copyInto(int capacity, int now, int timeoutTicks, LongConsumer gone) {
    long[] old = entries;
    entries = new long[capacity];
    size4 = 0;
    for (long e : old) {
      if (e == 0) {
        continue;
      }
      if (timeoutTicks != Integer.MAX_VALUE && expired(e, now, timeoutTicks)) {
        if ((e & SEEDER) != 0) {
          seeders--;
        }
        gone.accept(AddressKey.v4(e >>> 32));
        continue;
      }
      entries[-find(e >>> 16) - 1] = e;
      size4++;
    }
  }

  /**
   * Where probing for {@code key} starts: the high 32 bits of a Fibonacci hash scaled to the
   * table's length (a multiply and a shift rather than a mask, as the length is no power of two).
   */
  private int home(long key) {
    long hash = (key * 0x9E3779B97F4A7C15L) >>> 32;
    return (int) ((hash * entries.length) >>> 32);
  }
}
