package io.swarmshare.tracker.web;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.tracker.Tracker;
import io.swarmshare.tracker.TrackerSettings;
import io.swarmshare.tracker.TrackerStats;
import io.swarmshare.tracker.TrackerStats.ErrorKind;
import io.swarmshare.tracker.TrackerStats.Protocol;
import io.swarmshare.tracker.registry.Registry;
import io.swarmshare.web.PageFiles;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The tracker's page: {@code /} and its script and style under {@code /web/}, and the JSON they
 * read: {@code /web/overview} (counts, uptime, heap, the traffic graph), {@code /web/swarms}
 * (searched, sorted and paged), {@code /web/peers} (one swarm's peers) and {@code /web/access}
 * (what this browser may do). The catalogue is read and published through the tracker's own
 * routes ({@code /catalogue}, {@code /torrents}), with their rules.
 *
 * <p>Access: everything here is open, as {@code /stats} is, except peers' full addresses: they
 * need {@code Authorization: Bearer <web.admin-key>}, and with no admin key configured they are
 * never shown; everyone else sees them masked ({@link AddressMask}). Nothing here changes state,
 * and the key travels in a header that another site's page cannot make a browser send, so no
 * CSRF token is needed; {@code POST /torrents} has its own rule ({@link io.swarmshare.web.BrowserOrigin}).
 */
public final class TrackerWeb extends AllDirectives {

  private static final String RESOURCES = "io/swarmshare/tracker/web/static";
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_PAGE = 500;

  private final ActorRef<Tracker.Command> tracker;
  private final Scheduler scheduler;
  private final TrackerSettings settings;
  private final TrackerStats stats;
  private final TrafficHistory history;
  private final byte[] adminKey;
  private final AtomicReference<Listing> listing = new AtomicReference<>();

  /** A listing of the swarms, asked at {@code askedNanos} and reused for swarms-refresh. */
  private record Listing(long askedNanos, CompletionStage<Tracker.SwarmList> swarms) {}

  public TrackerWeb(ActorRef<Tracker.Command> tracker, Scheduler scheduler, TrackerSettings settings,
      TrackerStats stats, TrafficHistory history) {
    this.tracker = tracker;
    this.scheduler = scheduler;
    this.settings = settings;
    this.stats = stats;
    this.history = history;
    this.adminKey = settings.web().adminKey().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code /web/overview}. Rates are per second, oldest first, one every {@code sampleSeconds}. */
  public record Overview(long uptimeSeconds, long heapUsed, long heapMax, int swarms, long peers, long seeders,
      long leechers, Map<String, Long> announces, Map<String, Long> scrapes, Map<String, Map<String, Long>> errors,
      long errorsTotal, double sampleSeconds, List<TrafficHistory.Rate> rates) {}

  /** {@code /web/swarms}: {@code total} swarms on the tracker, {@code listed} of them searchable. */
  public record Swarms(int total, int listed, int matching, int offset, int limit, List<SwarmJson> swarms) {}

  /** A swarm; {@code name} is null when the catalogue does not hold its torrent. */
  public record SwarmJson(String infoHash, String name, int seeders, int leechers, int completed) {}

  /** {@code /web/peers}: {@code full} says whether addresses and ports are shown whole. */
  public record Peers(String infoHash, boolean full, int shown, int max, List<PeerJson> peers) {}

  /** A peer; {@code port} is null when masked; it announced within the last {@code announcedWithinSeconds}. */
  public record PeerJson(String address, Integer port, boolean seeder, long announcedWithinSeconds) {}

  /** {@code /web/access}: what this browser may do. */
  public record Access(boolean adminKeyConfigured, boolean admin, boolean publishKeysConfigured,
      boolean loopback) {}

  public record Problem(String error) {}

  public Route routes() {
    return respondWithHeaders(PageFiles.HEADERS, () -> concat(
        pathSingleSlash(() -> get(() -> getFromResource(RESOURCES + "/index.html", ContentTypes.TEXT_HTML_UTF8))),
        pathPrefix("web", () -> concat(
            path("overview", () -> get(this::overview)),
            path("swarms", () -> get(() -> parameterOptional("q", q -> parameterOptional("sort",
                sort -> parameterOptional("dir", dir -> parameterOptional("offset",
                    offset -> parameterOptional("limit", limit -> swarms(q, sort, dir, offset, limit)))))))),
            path("peers", () -> get(() -> parameter("hash", hash -> parameterOptional("full",
                full -> extractRequest(request -> peers(request, hash, full.orElse("false"))))))),
            path("access", () -> get(() -> extractRequest(this::access))),
            pathPrefix("common", () -> get(() -> getFromResourceDirectory(PageFiles.COMMON))),
            get(() -> getFromResourceDirectory(RESOURCES))))));
  }

  private Route overview() {
    CompletionStage<Registry.Totals> totals = AskPattern.ask(tracker, Tracker.GetTotals::new, ASK_TIMEOUT, scheduler);
    return onSuccess(totals, t -> {
      MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      Map<String, Long> announces = new LinkedHashMap<>();
      Map<String, Long> scrapes = new LinkedHashMap<>();
      Map<String, Map<String, Long>> errors = new LinkedHashMap<>();
      for (Protocol p : Protocol.values()) {
        announces.put(p.label(), stats.announces(p));
        scrapes.put(p.label(), stats.scrapes(p));
        Map<String, Long> kinds = new LinkedHashMap<>();
        for (ErrorKind k : ErrorKind.values()) {
          kinds.put(k.label(), stats.errors(p, k));
        }
        errors.put(p.label(), kinds);
      }
      return completeOK(new Overview(stats.uptimeSeconds(), heap.getUsed(), heap.getMax(), t.swarms(), t.peers(),
          t.seeders(), t.leechers(), announces, scrapes, errors, stats.errors(),
          settings.web().sampleInterval().toMillis() / 1000.0, history.rates()), Jackson.marshaller());
    });
  }

  /** The tracker is asked for a new listing at most once every swarms-refresh, however many pages ask. */
  private CompletionStage<Tracker.SwarmList> listing() {
    long now = System.nanoTime();
    Listing current = listing.get();
    if (current != null && now - current.askedNanos() < settings.web().swarmsRefresh().toNanos()) {
      return current.swarms();
    }
    CompletionStage<Tracker.SwarmList> asked = AskPattern.ask(tracker,
        replyTo -> new Tracker.ListSwarms(settings.web().maxListedSwarms(), replyTo), ASK_TIMEOUT, scheduler);
    Listing fresh = new Listing(now, asked);
    // A failed ask is not kept: the next page asks again.
    asked.whenComplete((list, failure) -> {
      if (failure != null) {
        listing.compareAndSet(fresh, null);
      }
    });
    if (listing.compareAndSet(current, fresh)) {
      return asked;
    }
    Listing other = listing.get();
    return other != null ? other.swarms() : asked;
  }

  private Route swarms(Optional<String> q, Optional<String> sortText, Optional<String> dir, Optional<String> offsetText,
      Optional<String> limitText) {
    Optional<SwarmListing.Sort> sort = SwarmListing.Sort.parse(sortText.orElse("peers"));
    OptionalInt offset = wholeNumber(offsetText.orElse("0"));
    OptionalInt limit = wholeNumber(limitText.orElse("50"));
    String direction = dir.orElse("desc");
    if (sort.isEmpty() || offset.isEmpty() || limit.isEmpty() || limit.getAsInt() < 1
        || !(direction.equals("asc") || direction.equals("desc"))) {
      return complete(StatusCodes.BAD_REQUEST, new Problem("sort is name, seeders, leechers, completed or peers;"
          + " dir asc or desc; offset and limit whole numbers (limit from 1)"), Jackson.marshaller());
    }
    int pageSize = Math.min(limit.getAsInt(), MAX_PAGE);
    String search = q.orElse("");
    if (search.length() > 200) {
      return complete(StatusCodes.BAD_REQUEST, new Problem("a search is at most 200 characters"), Jackson.marshaller());
    }
    return onSuccess(listing(), list -> {
      SwarmListing.Page page = SwarmListing.page(list.swarms(), search, sort.get(), direction.equals("desc"),
          offset.getAsInt(), pageSize);
      List<SwarmJson> rows = new ArrayList<>(page.rows().size());
      for (Tracker.SwarmRow r : page.rows()) {
        rows.add(new SwarmJson(r.infoHash().hex(), r.name().orElse(null), r.seeders(), r.leechers(), r.completed()));
      }
      return completeOK(new Swarms(list.total(), list.swarms().size(), page.matching(), page.offset(), pageSize, rows),
          Jackson.marshaller());
    });
  }

  private Route peers(HttpRequest request, String hashText, String fullText) {
    if (!hashText.matches("[0-9a-fA-F]{40}")) {
      return complete(StatusCodes.BAD_REQUEST, new Problem("hash must be 40 hex digits"), Jackson.marshaller());
    }
    boolean full = fullText.equals("true");
    if (full) {
      Optional<Route> refused = adminRefusal(request);
      if (refused.isPresent()) {
        return refused.get();
      }
    }
    InfoHash hash = InfoHash.fromHex(hashText);
    int max = settings.web().maxPeersListed();
    CompletionStage<List<Registry.PeerEntry>> peers =
        AskPattern.ask(tracker, replyTo -> new Tracker.ListPeers(hash, max, replyTo), ASK_TIMEOUT, scheduler);
    long sweepSeconds = Math.max(1, settings.sweepInterval().toSeconds());
    return onSuccess(peers, list -> {
      List<PeerJson> out = new ArrayList<>(list.size());
      for (Registry.PeerEntry p : list) {
        out.add(new PeerJson(full ? AddressMask.full(p.address()) : AddressMask.mask(p.address()),
            full ? p.port() : null, p.seeder(), (p.sweepsAgo() + 1L) * sweepSeconds));
      }
      return completeOK(new Peers(hash.hex(), full, out.size(), max, out), Jackson.marshaller());
    });
  }

  /** Empty when the request carries the admin key; else the answer that refuses it. */
  private Optional<Route> adminRefusal(HttpRequest request) {
    if (adminKey.length == 0) {
      return Optional.of(complete(StatusCodes.FORBIDDEN, new Problem("this tracker never shows peers' full"
          + " addresses (it has no swarmshare.tracker.web.admin-key)"), Jackson.marshaller()));
    }
    Optional<String> presented = bearer(request);
    if (presented.isEmpty()) {
      return Optional.of(complete(StatusCodes.UNAUTHORIZED,
          new Problem("full addresses need the tracker's admin key"), Jackson.marshaller()));
    }
    if (!isAdminKey(presented.get())) {
      return Optional.of(complete(StatusCodes.FORBIDDEN, new Problem("that is not the tracker's admin key"),
          Jackson.marshaller()));
    }
    return Optional.empty();
  }

  private boolean isAdminKey(String presented) {
    return adminKey.length > 0 && MessageDigest.isEqual(adminKey, presented.getBytes(StandardCharsets.UTF_8));
  }

  private Route access(HttpRequest request) {
    boolean loopback = request.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress)
        .map(InetAddress::isLoopbackAddress).orElse(false);
    if (bearer(request).isPresent()) {
      Optional<Route> refused = adminRefusal(request);
      if (refused.isPresent()) {
        return refused.get();
      }
    }
    return completeOK(new Access(adminKey.length > 0, bearer(request).map(this::isAdminKey).orElse(false),
        !settings.publishKeys().isEmpty(), loopback), Jackson.marshaller());
  }

  private static Optional<String> bearer(HttpRequest http) {
    return http.getHeader("Authorization").map(HttpHeader::value)
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(v -> v.substring(7).trim());
  }

  private static OptionalInt wholeNumber(String text) {
    return text.matches("[0-9]{1,9}") ? OptionalInt.of(Integer.parseInt(text)) : OptionalInt.empty();
  }
}
