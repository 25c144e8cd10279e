package io.swarmshare.tracker.registry;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.tracker.AnnounceEvent;
import io.swarmshare.messages.tracker.ScrapeStats;
import io.swarmshare.tracker.limits.AddressKey;
import io.swarmshare.tracker.limits.Limit;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Every swarm the tracker knows: per info hash, its peers (address and port, whether it is a
 * seeder, when it last announced) and how many downloads completed. Soft state: announces refill
 * it after a restart. Peer ids and byte counts are not kept: no answer needs them (compact peer
 * lists carry none, and BEP 23 lets dictionary ones leave ids out, as opentracker does), and
 * without them a peer costs a third of the memory.
 *
 * <p>Time is counted in ticks of the tracker's sweep timer, not read from a clock: a peer's age
 * is how many sweeps ago it last announced, which keeps expiry exact under a manual test clock.
 * A swarm whose last peer leaves is dropped. Not thread-safe: the Tracker actor owns it. Not
 * final only so that supervision tests can make it fail.
 */
public class Registry {

  /** What the registry needs of the tracker's settings. */
  public record Limits(int defaultNumWant, int maxNumWant, long maxPeers, int maxPeersPerAddress,
      int maxSwarmsPerAddress) {}

  /** Totals across every swarm, for {@code /stats}. */
  public record Totals(int swarms, long peers, long seeders) {
    public long leechers() {
      return peers - seeders;
    }
  }

  /** Raised when an announce would take the registry past one of its limits; the message says which. */
  public static final class LimitException extends RuntimeException {
    private final Limit limit;

    LimitException(Limit limit, String message) {
      super(message);
      this.limit = limit;
    }

    public Limit limit() {
      return limit;
    }
  }

  /** Ticks are kept modulo 2^15 per peer: a timeout must stay under half of that. */
  public static final int MAX_TIMEOUT_TICKS = 1 << (Swarm.TICK_BITS - 1);

  private final Map<InfoHash, Swarm> swarms = new HashMap<>();
  private final AddressLedger ledger = new AddressLedger();
  private final Limits limits;
  private final SplittableRandom random;
  private long peers;
  private int now;

  public Registry(Limits limits, long seed) {
    this.limits = limits;
    this.random = new SplittableRandom(seed);
  }

  /** The current tick: how many sweeps have run. */
  public int now() {
    return now;
  }

  public AnnounceResult announce(Announce a) {
    Swarm swarm = swarms.get(a.infoHash());
    boolean v4 = a.address() instanceof Inet4Address;
    long address = AddressKey.of(a.address());
    if (a.event() == AnnounceEvent.STOPPED) {
      if (swarm != null) {
        if (swarm.remove(a.address(), a.port()) == 1) {
          peers--;
          ledger.peerGone(address);
        }
        dropIfEmpty(a.infoHash(), swarm);
      }
      return counts(swarm);
    }
    // Only a registry or an address at its limit needs to know whether the peer is new: no second
    // lookup otherwise.
    boolean atTotal = peers >= limits.maxPeers();
    if ((atTotal || ledger.peers(address) >= limits.maxPeersPerAddress())
        && (swarm == null || !swarm.contains(a.address(), a.port()))) {
      throw atTotal
          ? new LimitException(Limit.PEERS, "tracker is full (" + limits.maxPeers() + " peers)")
          : new LimitException(Limit.PEERS_PER_ADDRESS, "your address has " + limits.maxPeersPerAddress()
              + " peers registered, the most this tracker keeps per address");
    }
    if (swarm == null) {
      if (ledger.swarms(address) >= limits.maxSwarmsPerAddress()) {
        throw new LimitException(Limit.SWARMS_PER_ADDRESS, "your address started " + limits.maxSwarmsPerAddress()
            + " swarms, the most this tracker keeps per address");
      }
      swarm = new Swarm(address);
      swarms.put(a.infoHash(), swarm);
      ledger.swarmAdded(address);
    }
    boolean seeder = a.left() == 0;
    if (swarm.put(a.address(), a.port(), seeder, a.event() == AnnounceEvent.COMPLETED, now) == 1) {
      peers++;
      ledger.peerAdded(address);
    }

    int max = a.numWant() < 0 ? limits.defaultNumWant() : Math.min(a.numWant(), limits.maxNumWant());
    int most = Math.min(max, swarm.size());
    Swarm.CompactWriter peers4 = new Swarm.CompactWriter(a.families() == Announce.Families.IPV6 ? 0 : 6 * most);
    Swarm.CompactWriter peers6 = new Swarm.CompactWriter(a.families() == Announce.Families.IPV4 ? 0 : 18 * most);
    swarm.sample(
        v4 ? Swarm.key4(a.address(), a.port()) : -1,
        v4 ? null : Swarm.key6(a.address(), a.port()),
        seeder,
        max,
        a.families() != Announce.Families.IPV6,
        a.families() != Announce.Families.IPV4,
        random, peers4, peers6);
    return new AnnounceResult(swarm.seeders(), swarm.leechers(), peers4.toByteArray(), peers6.toByteArray());
  }

  public ScrapeStats scrape(InfoHash infoHash) {
    Swarm swarm = swarms.get(infoHash);
    return swarm == null
        ? new ScrapeStats(0, 0, 0)
        : new ScrapeStats(swarm.seeders(), swarm.completed(), swarm.leechers());
  }

  /**
   * Advances time by one tick and forgets every peer that has not announced for
   * {@code timeoutTicks} ticks, then every swarm left empty. Returns how many peers went.
   */
  public long sweep(int timeoutTicks) {
    if (timeoutTicks >= MAX_TIMEOUT_TICKS) {
      throw new IllegalArgumentException("a timeout of " + timeoutTicks + " ticks is too long");
    }
    now++;
    long removed = 0;
    Iterator<Swarm> it = swarms.values().iterator();
    while (it.hasNext()) {
      Swarm swarm = it.next();
      removed += swarm.expire(now, timeoutTicks, ledger::peerGone);
      if (swarm.isEmpty()) {
        it.remove();
        ledger.swarmGone(swarm.creator());
      }
    }
    peers -= removed;
    return removed;
  }

  /** One swarm's counts, as the tracker's page lists them. */
  public record SwarmCounts(InfoHash infoHash, int seeders, int leechers, int completed) {
    public int peers() {
      return seeders + leechers;
    }
  }

  /** One peer of a swarm, as the tracker's page shows it; {@code sweepsAgo}: sweeps since it last announced. */
  public record PeerEntry(InetAddress address, int port, boolean seeder, int sweepsAgo) {}

  /** How many swarms there are. */
  public int swarmCount() {
    return swarms.size();
  }

  /**
   * The counts of at most {@code max} swarms: every swarm if there are no more than that, else
   * the {@code max} with the most peers. Costs one pass over the swarms and a heap of {@code max}.
   */
  public List<SwarmCounts> swarms(int max) {
    if (max <= 0) {
      return List.of();
    }
    if (swarms.size() <= max) {
      List<SwarmCounts> all = new ArrayList<>(swarms.size());
      swarms.forEach((hash, swarm) -> all.add(countsOf(hash, swarm)));
      return all;
    }
    Comparator<SwarmCounts> byPeers = Comparator.comparingInt(SwarmCounts::peers);
    PriorityQueue<SwarmCounts> busiest = new PriorityQueue<>(max, byPeers);
    swarms.forEach((hash, swarm) -> {
      if (busiest.size() < max) {
        busiest.add(countsOf(hash, swarm));
      } else if (swarm.size() > busiest.peek().peers()) {
        busiest.poll();
        busiest.add(countsOf(hash, swarm));
      }
    });
    return new ArrayList<>(busiest);
  }

  private static SwarmCounts countsOf(InfoHash hash, Swarm swarm) {
    return new SwarmCounts(hash, swarm.seeders(), swarm.leechers(), swarm.completed());
  }

  /** Up to {@code max} peers of one swarm (none if it is not known). */
  public List<PeerEntry> peers(InfoHash infoHash, int max) {
    Swarm swarm = swarms.get(infoHash);
    if (swarm == null || max <= 0) {
      return List.of();
    }
    List<PeerEntry> out = new ArrayList<>(Math.min(max, swarm.size()));
    swarm.peers(max, now, (address, port, seeder, ago) -> {
      try {
        out.add(new PeerEntry(InetAddress.getByAddress(address), port, seeder, ago));
      } catch (UnknownHostException e) {
        throw new IllegalStateException("4 or 16 bytes are always an address", e);
      }
    });
    return out;
  }

  /** How many source addresses have a peer or a swarm here: what the per-address accounting holds. */
  public int addresses() {
    return ledger.addresses();
  }

  private void dropIfEmpty(InfoHash infoHash, Swarm swarm) {
    if (swarm.isEmpty()) {
      swarms.remove(infoHash);
      ledger.swarmGone(swarm.creator());
    }
  }

  public Totals totals() {
    long seeders = 0;
    for (Swarm swarm : swarms.values()) {
      seeders += swarm.seeders();
    }
    return new Totals(swarms.size(), peers, seeders);
  }

  private static AnnounceResult counts(Swarm swarm) {
    byte[] none = new byte[0];
    return swarm == null
        ? new AnnounceResult(0, 0, none, none)
        : new AnnounceResult(swarm.seeders(), swarm.leechers(), none, none);
  }
}
