package io.swarmshare.tracker.web;

import io.swarmshare.tracker.Tracker.SwarmRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The swarm table's logic, away from HTTP: which swarms a search matches (a piece of the name, or
 * of the info hash in hex), in which order (by name, where a swarm without one goes by its info
 * hash; or by seeders, leechers, completed or peers, ties by info hash), and which page of them.
 */
public final class SwarmListing {

  /** The columns the table sorts by. */
  public enum Sort {
    NAME, SEEDERS, LEECHERS, COMPLETED, PEERS;

    /** The column named by {@code text} (as the page sends it), if it is one. */
    public static Optional<Sort> parse(String text) {
      for (Sort s : values()) {
        if (s.name().equalsIgnoreCase(text)) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  /** One page: {@code matching} swarms matched the search, {@code rows} are those from {@code offset} on. */
  public record Page(int matching, int offset, List<SwarmRow> rows) {}

  private SwarmListing() {}

  public static Page page(List<SwarmRow> swarms, String search, Sort sort, boolean descending, int offset,
      int limit) {
    String q = search.trim().toLowerCase(Locale.ROOT);
    List<SwarmRow> matching = new ArrayList<>();
    for (SwarmRow s : swarms) {
      if (q.isEmpty() || s.infoHash().hex().contains(q)
          || s.name().map(n -> n.toLowerCase(Locale.ROOT).contains(q)).orElse(false)) {
        matching.add(s);
      }
    }
    Comparator<SwarmRow> order = comparator(sort);
    matching.sort(descending ? order.reversed() : order);
    int from = Math.min(offset, matching.size());
    int to = (int) Math.min(matching.size(), (long) from + limit);
    return new Page(matching.size(), from, List.copyOf(matching.subList(from, to)));
  }

  private static Comparator<SwarmRow> comparator(Sort sort) {
    Comparator<SwarmRow> byHash = Comparator.comparing(s -> s.infoHash().hex());
    Comparator<SwarmRow> primary = switch (sort) {
      case NAME -> Comparator.comparing(s -> s.name().orElse(s.infoHash().hex()), String.CASE_INSENSITIVE_ORDER);
      case SEEDERS -> Comparator.comparingInt(SwarmRow::seeders);
      case LEECHERS -> Comparator.comparingInt(SwarmRow::leechers);
      case COMPLETED -> Comparator.comparingInt(SwarmRow::completed);
      case PEERS -> Comparator.comparingInt(s -> s.seeders() + s.leechers());
    };
    return primary.thenComparing(byHash);
  }
}
