package io.swarmshare.tracker.registry;

import io.swarmshare.messages.PeerId;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The peers of one torrent. A peer is known by its address AND port, never by its id, since one
 * machine may run several clients.
 *
 * <p>IPv4 peers, nearly all of them, live in an open-addressing table of parallel arrays, so a peer
 * costs no object: its packed address and port (8 bytes), when it was last heard from with a
 * seeder bit (4 bytes) and its id (20 bytes), in a table kept between 3/8 and 3/4 full. IPv6 peers
 * are few and live in a plain map.
 */
final class Swarm {

  private static final int MIN_CAPACITY = 4;
  private static final int SEEDER = 0x8000_0000;
  private static final int TIME = 0x7fff_ffff;

  // IPv4: keys[i] == 0 marks a free slot; a key is 1 << 48 | address << 16 | port.
  private long[] keys = new long[MIN_CAPACITY];
  private int[] seen = new int[MIN_CAPACITY];
  private byte[] ids = new byte[MIN_CAPACITY * PeerId.LENGTH];
  private int size4;

  private final Map<V6Key, V6Peer> peers6 = new HashMap<>();

  private int seeders;
  private int completed;

  private record V6Key(long high, long low, int port) {}

  private static final class V6Peer {
    final byte[] id;
    int seen;
    boolean seeder;

    V6Peer(byte[] id, int seen, boolean seeder) {
      this.id = id;
      this.seen = seen;
      this.seeder = seeder;
    }
  }

  int size() {
    return size4 + peers6.size();
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
        : peers6.containsKey(key6(address, port));
  }

  /**
   * Adds or refreshes a peer. Returns +1 if it is new, 0 if it was known. {@code completed} counts
   * a finished download once, when a known leecher (or a newcomer) says so.
   */
  int put(InetAddress address, int port, byte[] id, boolean seeder, boolean completedNow, int now) {
    boolean wasSeeder;
    int added;
    if (address instanceof Inet4Address) {
      long key = key4(address, port);
      int slot = find(key);
      if (slot >= 0) {
        wasSeeder = (seen[slot] & SEEDER) != 0;
        added = 0;
      } else {
        if ((size4 + 1) * 4 > keys.length * 3) {
          resize(keys.length * 2);
          slot = find(key);
        }
        slot = -slot - 1;
        keys[slot] = key;
        size4++;
        wasSeeder = false;
        added = 1;
      }
      seen[slot] = (now & TIME) | (seeder ? SEEDER : 0);
      System.arraycopy(id, 0, ids, slot * PeerId.LENGTH, PeerId.LENGTH);
    } else {
      V6Peer peer = peers6.get(key6(address, port));
      if (peer == null) {
        peers6.put(key6(address, port), new V6Peer(id.clone(), now, seeder));
        wasSeeder = false;
        added = 1;
      } else {
        wasSeeder = peer.seeder;
        peer.seen = now;
        peer.seeder = seeder;
        System.arraycopy(id, 0, peer.id, 0, PeerId.LENGTH);
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
      if ((seen[slot] & SEEDER) != 0) {
        seeders--;
      }
      deleteSlot(slot);
      return 1;
    }
    V6Peer peer = peers6.remove(key6(address, port));
    if (peer == null) {
      return 0;
    }
    if (peer.seeder) {
      seeders--;
    }
    return 1;
  }

  /** Forgets every peer last heard from before {@code oldest}; returns how many went. */
  int expire(int oldest) {
    int before = size();
    if (size4 > 0) {
      int live = 0;
      for (int i = 0; i < keys.length; i++) {
        if (keys[i] != 0 && (seen[i] & TIME) >= oldest) {
          live++;
        }
      }
      if (live < size4) {
        rebuild(live, oldest);
      }
    }
    Iterator<V6Peer> it = peers6.values().iterator();
    while (it.hasNext()) {
      V6Peer peer = it.next();
      if (peer.seen < oldest) {
        if (peer.seeder) {
          seeders--;
        }
        it.remove();
      }
    }
    return before - size();
  }

  /**
   * Writes up to {@code max} peers other than the asker in compact form, starting at a random
   * slot so that every peer gets handed out. A seeder is given only leechers.
   */
  void sample(long askerKey4, V6Key askerKey6, boolean askerIsSeeder, int max, boolean want4, boolean want6,
      SplittableRandom random, ByteArrayOutputStream peers4, ByteArrayOutputStream ids4,
      ByteArrayOutputStream peers6out, ByteArrayOutputStream ids6) {
    int taken = 0;
    if (want4 && size4 > 0) {
      int capacity = keys.length;
      int start = random.nextInt(capacity);
      for (int n = 0; n < capacity && taken < max; n++) {
        int slot = (start + n) & (capacity - 1);
        long key = keys[slot];
        if (key == 0 || key == askerKey4 || (askerIsSeeder && (seen[slot] & SEEDER) != 0)) {
          continue;
        }
        peers4.write((int) (key >>> 40));
        peers4.write((int) (key >>> 32));
        peers4.write((int) (key >>> 24));
        peers4.write((int) (key >>> 16));
        peers4.write((int) (key >>> 8));
        peers4.write((int) key);
        ids4.write(ids, slot * PeerId.LENGTH, PeerId.LENGTH);
        taken++;
      }
    }
    if (want6) {
      for (Map.Entry<V6Key, V6Peer> e : peers6.entrySet()) {
        if (taken >= max) {
          break;
        }
        V6Key key = e.getKey();
        if (key.equals(askerKey6) || (askerIsSeeder && e.getValue().seeder)) {
          continue;
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
          peers6out.write((int) (key.high() >>> shift));
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
          peers6out.write((int) (key.low() >>> shift));
        }
        peers6out.write(key.port() >>> 8);
        peers6out.write(key.port());
        ids6.write(e.getValue().id, 0, PeerId.LENGTH);
        taken++;
      }
    }
  }

  static long key4(InetAddress address, int port) {
    byte[] a = address.getAddress();
    long ip = ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
    return (1L << 48) | (ip << 16) | port;
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
    int mask = keys.length - 1;
    int slot = mix(key) & mask;
    while (true) {
      long k = keys[slot];
      if (k == key) {
        return slot;
      }
      if (k == 0) {
        return -slot - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Linear probing's backward-shift delete: no tombstones, so lookups stay short. */
  private void deleteSlot(int slot) {
    int mask = keys.length - 1;
    int hole = slot;
    int next = (hole + 1) & mask;
    while (keys[next] != 0) {
      int home = mix(keys[next]) & mask;
      // Move the entry back into the hole if its home is not cyclically between hole and next.
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        keys[hole] = keys[next];
        seen[hole] = seen[next];
        System.arraycopy(ids, next * PeerId.LENGTH, ids, hole * PeerId.LENGTH, PeerId.LENGTH);
        hole = next;
      }
      next = (next + 1) & mask;
    }
    keys[hole] = 0;
    size4--;
    if (keys.length > MIN_CAPACITY && size4 * 8 < keys.length) {
      resize(keys.length / 2);
    }
  }

  private void resize(int capacity) {
    rebuild(size4, Integer.MIN_VALUE, capacity);
  }

  private void rebuild(int live, int oldest) {
    int capacity = MIN_CAPACITY;
    while (live * 4 > capacity * 3 || capacity < live * 2) {
      capacity <<= 1;
    }
    rebuild(live, oldest, capacity);
  }

  /** Copies every peer heard from at {@code oldest} or later into tables of {@code capacity}. */
  private void rebuild(int live, int oldest, int capacity) {
    long[] oldKeys = keys;
    int[] oldSeen = seen;
    byte[] oldIds = ids;
    keys = new long[capacity];
    seen = new int[capacity];
    ids = new byte[capacity * PeerId.LENGTH];
    size4 = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] == 0) {
        continue;
      }
      if ((oldSeen[i] & TIME) < oldest) {
        if ((oldSeen[i] & SEEDER) != 0) {
          seeders--;
        }
        continue;
      }
      int slot = -find(oldKeys[i]) - 1;
      keys[slot] = oldKeys[i];
      seen[slot] = oldSeen[i];
      System.arraycopy(oldIds, i * PeerId.LENGTH, ids, slot * PeerId.LENGTH, PeerId.LENGTH);
      size4++;
    }
    assert size4 == live;
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
