package io.swarmshare.tracker.http;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.tracker.CompactPeers;
import io.swarmshare.messages.tracker.ScrapeStats;
import io.swarmshare.messages.tracker.http.HttpAnnounceRequest;
import io.swarmshare.messages.tracker.http.HttpAnnounceResponse;
import io.swarmshare.messages.tracker.http.HttpFailure;
import io.swarmshare.messages.tracker.http.HttpScrapeRequest;
import io.swarmshare.messages.tracker.http.HttpScrapeResponse;
import io.swarmshare.messages.tracker.http.HttpTrackerCodec;
import io.swarmshare.tracker.Tracker;
import io.swarmshare.tracker.TrackerSettings;
import io.swarmshare.tracker.TrackerStats;
import io.swarmshare.tracker.TrackerStats.ErrorKind;
import io.swarmshare.tracker.TrackerStats.Protocol;
import io.swarmshare.tracker.catalogue.Catalogue;
import io.swarmshare.tracker.catalogue.PublishResult;
import io.swarmshare.tracker.catalogue.Publishers;
import io.swarmshare.tracker.limits.AddressKey;
import io.swarmshare.tracker.limits.Limit;
import io.swarmshare.tracker.limits.RateLimiter;
import io.swarmshare.tracker.registry.Announce;
import io.swarmshare.tracker.registry.AnnounceResult;
import io.swarmshare.tracker.registry.Registry;
import io.swarmshare.tracker.web.TrackerWeb;
import io.swarmshare.tracker.web.TrafficHistory;
import io.swarmshare.web.BrowserOrigin;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.stream.Materializer;

/**
 * The tracker's HTTP side, on the same port number as its UDP side: BEP 3/23/48 announce and
 * scrape (bencoded, {@code failure reason} for bad queries), the catalogue that lets people find a
 * file by name, the published .torrent files, {@code /stats} (JSON) and {@code /metrics}
 * (Prometheus text), both open to anyone and neither naming a peer.
 */
public final class TrackerRoutes extends AllDirectives {

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
  private static final ContentType TORRENT =
      ContentTypes.create(MediaTypes.applicationBinary("x-bittorrent", false, "torrent"));

  private final ActorRef<Tracker.Command> tracker;
  private final Scheduler scheduler;
  private final Materializer materializer;
  private final RateLimiter rates;
  private final TrackerSettings settings;
  private final TrackerStats stats;
  private final ClientAddress clientAddress;
  private final Publishers publishers;
  private final TrackerMetrics metrics;
  private final TrackerWeb web;

  public TrackerRoutes(ActorRef<Tracker.Command> tracker, Scheduler scheduler, Materializer materializer,
      TrackerSettings settings, TrackerStats stats, TrafficHistory history) {
    this.tracker = tracker;
    this.scheduler = scheduler;
    this.materializer = materializer;
    this.rates = new RateLimiter(
        settings.perAddress().httpRate(), settings.perAddress().httpBurst(), settings.rateTableSize());
    this.settings = settings;
    this.stats = stats;
    this.clientAddress = new ClientAddress(settings.trustedProxies(), settings.trustIpField());
    this.publishers = new Publishers(settings.publishKeys(), settings.publishBurst(), settings.maxCatalogueBytes());
    this.metrics = new TrackerMetrics(stats);
    this.web = new TrackerWeb(tracker, scheduler, settings, stats, history);
  }

  /** What {@code GET /stats} answers. */
  public record Stats(int swarms, long peers, long seeders, long leechers, double announcesPerSecond,
      double errorsPerSecond, long announces, long scrapes, long errors, long uptimeSeconds,
      Map<String, LimitUse> limits) {}

  /** A limit's value (0: off) and how many requests it refused, dropped or cut off since the start. */
  public record LimitUse(Number limit, long hits) {}

  /** What {@code POST /torrents} answers for a torrent it keeps. */
  public record Published(String name, String infoHash, long size, int files, int pieceLength, String publishedAt,
      String publisher) {
    static Published of(Catalogue.Entry e) {
      return new Published(e.name(), e.infoHash().hex(), e.totalLength(), e.fileCount(), e.pieceLength(),
          e.publishedAt().toString(), e.publisher());
    }
  }

  public record Problem(String error) {}

  public Route routes() {
    return extractRequest(request -> withinRate(request, () -> concat(
        path("announce", () -> get(() -> announce(request))),
        path("scrape", () -> get(() -> extractUri(this::scrape))),
        path("catalogue", () -> get(() -> parameterOptional("name", name -> parameterOptional("offset",
            offset -> parameterOptional("limit", limit -> catalogue(name, offset, limit)))))),
        path("stats", () -> get(this::stats)),
        path("metrics", () -> get(this::metrics)),
        pathPrefix("torrents", () -> concat(
            // Who publishes is settled before a byte of the body is read.
            pathEnd(() -> post(() -> admitted(request, publisher -> withSizeLimit(settings.maxTorrentSize(),
                // The whole body within the request timeout: a body sent a byte at a time cannot hold us.
                () -> toStrictEntity(settings.http().requestTimeout(),
                    () -> entity(Unmarshaller.entityToByteArray(), torrent -> publish(torrent, publisher))))))),
            path(PathMatchers.segment(), file -> get(() -> torrent(file))))),
        web.routes())));
  }

  /** Every route counts against its client's request budget; past it, 429 and nothing else is done. */
  private Route withinRate(HttpRequest http, Supplier<Route> inner) {
    InetAddress client = clientOf(http, Optional.empty()).orElse(null);
    if (client != null && !rates.tryAcquire(AddressKey.of(client), System.nanoTime())) {
      stats.limited(Limit.HTTP_REQUESTS_PER_ADDRESS);
      http.discardEntityBytes(materializer);
      return complete(StatusCodes.TOO_MANY_REQUESTS, "too many requests from your address; slow down\n");
    }
    return inner.get();
  }

  /** The client: the connection's address, or who a trusted proxy says it is (see {@link ClientAddress}). */
  private Optional<InetAddress> clientOf(HttpRequest http, Optional<String> ipParameter) {
    // Never Pekko's extractClientIP, which believes X-Forwarded-For from anyone.
    Optional<InetAddress> connection = http.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress);
    return connection.map(c -> clientAddress.of(c, new ClientAddress.Claims(
        header(http, "X-Forwarded-For"), header(http, "X-Real-IP"), header(http, "Forwarded"), ipParameter)));
  }

  private Route announce(HttpRequest http) {
    HttpAnnounceRequest request;
    try {
      request = HttpTrackerCodec.parseAnnounce(http.getUri().rawQueryString().orElse(""));
    } catch (MalformedMessageException e) {
      return failure(e.getMessage());
    }
    if (request.port() == 0) {
      return failure("port 0 cannot be dialled: announce the port you accept peers on");
    }
    Optional<InetAddress> address = clientOf(http, request.ip());
    if (address.isEmpty()) {
      return failure("cannot tell the client's address");
    }
    Announce announce = new Announce(request.infoHash(), address.get(), request.port(), request.left(),
        request.event(), request.numWant().orElse(-1), Announce.Families.BOTH);
    CompletionStage<Tracker.Answer> answer =
        AskPattern.ask(tracker, replyTo -> new Tracker.Announce(announce, null, replyTo), ASK_TIMEOUT, scheduler);
    return onSuccess(answer, a -> {
      if (a instanceof Tracker.Refused refused) {
        stats.failed(Protocol.HTTP, ErrorKind.REFUSED);
        return bencoded(HttpTrackerCodec.encode(new HttpFailure(refused.reason())));
      }
      Tracker.Announced announced = (Tracker.Announced) a;
      stats.announced(Protocol.HTTP);
      return bencoded(HttpTrackerCodec.encode(response(announced), request.compact(), request.noPeerId()));
    });
  }

  private static Optional<String> header(HttpRequest http, String name) {
    return http.getHeader(name).map(HttpHeader::value);
  }

  private static HttpAnnounceResponse response(Tracker.Announced a) {
    AnnounceResult r = a.result();
    List<HttpAnnounceResponse.Peer> peers = new ArrayList<>(r.peerCount());
    CompactPeers.decode(ByteBuffer.wrap(r.peers4()), StandardProtocolFamily.INET)
        .forEach(p -> peers.add(HttpAnnounceResponse.Peer.of(p)));
    CompactPeers.decode(ByteBuffer.wrap(r.peers6()), StandardProtocolFamily.INET6)
        .forEach(p -> peers.add(HttpAnnounceResponse.Peer.of(p)));
    return new HttpAnnounceResponse(a.interval(), OptionalInt.of(a.minInterval()), r.seeders(), r.leechers(),
        peers, Optional.empty(), Optional.empty());
  }

  private Route scrape(Uri uri) {
    HttpScrapeRequest request;
    try {
      request = HttpTrackerCodec.parseScrape(uri.rawQueryString().orElse(""));
    } catch (MalformedMessageException e) {
      return failure(e.getMessage());
    }
    if (request.infoHashes().isEmpty()) {
      return failure("name at least one info_hash to scrape");
    }
    CompletionStage<Tracker.Scraped> scraped = AskPattern.ask(
        tracker, replyTo -> new Tracker.Scrape(request.infoHashes(), null, replyTo), ASK_TIMEOUT, scheduler);
    return onSuccess(scraped, s -> {
      stats.scraped(Protocol.HTTP);
      Map<InfoHash, ScrapeStats> files = new LinkedHashMap<>();
      for (int i = 0; i < request.infoHashes().size(); i++) {
        files.put(request.infoHashes().get(i), s.stats().get(i));
      }
      return bencoded(HttpTrackerCodec.encode(new HttpScrapeResponse(files)));
    });
  }

  /** {@code ?offset=&limit=}: a page of at most catalogue-max-page-size entries, with the listing's total. */
  private Route catalogue(Optional<String> name, Optional<String> offsetText, Optional<String> limitText) {
    OptionalInt offset = nonNegative(offsetText.orElse("0"));
    OptionalInt asked = nonNegative(limitText.orElse(String.valueOf(settings.cataloguePageSize())));
    if (offset.isEmpty() || asked.isEmpty()) {
      return complete(StatusCodes.BAD_REQUEST, new Problem("offset and limit must be whole numbers from 0"),
          Jackson.marshaller());
    }
    int limit = Math.min(asked.getAsInt(), settings.catalogueMaxPageSize());
    CompletionStage<Tracker.CataloguePage> page = AskPattern.ask(tracker,
        replyTo -> new Tracker.ListCatalogue(name, offset.getAsInt(), limit, replyTo), ASK_TIMEOUT, scheduler);
    return onSuccess(page, p -> completeOK(p, Jackson.marshaller()));
  }

  private static OptionalInt nonNegative(String text) {
    if (!text.matches("[0-9]{1,9}")) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(text));
  }

  /** Runs {@code inner} as the publisher the request's key (or loopback connection) makes it; else refuses. */
  private Route admitted(HttpRequest http, Function<Catalogue.Publisher, Route> inner) {
    Optional<InetAddress> connection = http.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress);
    if (connection.isEmpty()) {
      return complete(StatusCodes.FORBIDDEN, new Problem("cannot tell where the request comes from"), Jackson.marshaller());
    }
    Optional<String> crossSite = crossSite(http);
    if (crossSite.isPresent()) {
      http.discardEntityBytes(materializer);
      return complete(StatusCodes.FORBIDDEN, new Problem(crossSite.get()), Jackson.marshaller());
    }
    Publishers.Admission admission = publishers.admit(bearer(http), connection.get(), System.nanoTime());
    if (admission instanceof Publishers.Admitted admitted) {
      return inner.apply(admitted.publisher());
    }
    Publishers.Refused refused = (Publishers.Refused) admission;
    if (refused.rateLimited()) {
      stats.limited(Limit.PUBLISH_RATE);
    }
    http.discardEntityBytes(materializer);
    return complete(StatusCodes.get(refused.status()), new Problem(refused.message()), Jackson.marshaller());
  }

  /**
   * A publication a browser says comes from another site's page is refused (CSRF), and so is one
   * without a key from a page not loaded from a loopback name (DNS rebinding); see {@link BrowserOrigin}.
   */
  private Optional<String> crossSite(HttpRequest http) {
    Optional<String> site = header(http, "Sec-Fetch-Site");
    Optional<String> origin = header(http, "Origin");
    Optional<String> host = header(http, "Host");
    Optional<String> refusal = BrowserOrigin.refusal(site, origin, host);
    if (refusal.isEmpty() && publishers.keys() == 0 && BrowserOrigin.fromBrowser(site, origin)
        && !BrowserOrigin.loopbackName(host.orElse(""))) {
      return Optional.of("without publish keys, a browser publishes only from a page loaded from a loopback"
          + " address (127.0.0.1 or localhost)");
    }
    return refusal;
  }

  private static Optional<String> bearer(HttpRequest http) {
    return header(http, "Authorization")
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(v -> v.substring(7).trim());
  }

  private Route publish(byte[] torrent, Catalogue.Publisher publisher) {
    CompletionStage<PublishResult> result =
        AskPattern.ask(tracker, replyTo -> new Tracker.Publish(torrent, publisher, replyTo), ASK_TIMEOUT, scheduler);
    return onSuccess(result, r -> {
      if (r instanceof PublishResult.Added added) {
        return complete(StatusCodes.CREATED, Published.of(added.entry()), Jackson.marshaller());
      }
      if (r instanceof PublishResult.AlreadyPresent present) {
        return complete(StatusCodes.OK, Published.of(present.entry()), Jackson.marshaller());
      }
      PublishResult.Refused refused = (PublishResult.Refused) r;
      if (refused.reason() == PublishResult.Reason.FULL) {
        stats.limited(Limit.CATALOGUE_BYTES);
      } else if (refused.reason() == PublishResult.Reason.QUOTA) {
        stats.limited(Limit.PUBLISH_QUOTA);
      }
      StatusCode status = switch (refused.reason()) {
        case TOO_LARGE -> StatusCodes.PAYLOAD_TOO_LARGE;
        case INVALID -> StatusCodes.BAD_REQUEST;
        case FULL -> StatusCodes.INSUFFICIENT_STORAGE;
        case QUOTA -> StatusCodes.FORBIDDEN;
        case NAME_TAKEN -> StatusCodes.CONFLICT;
        case STORAGE_FAILED -> StatusCodes.INTERNAL_SERVER_ERROR;
      };
      return complete(status, new Problem(refused.message()), Jackson.marshaller());
    });
  }

  private Route torrent(String file) {
    if (!file.matches("[0-9a-fA-F]{40}\\.torrent")) {
      return complete(StatusCodes.NOT_FOUND, new Problem("expected /torrents/<40 hex digits>.torrent"), Jackson.marshaller());
    }
    InfoHash hash = InfoHash.fromHex(file.substring(0, 40));
    CompletionStage<Optional<byte[]>> bytes =
        AskPattern.ask(tracker, replyTo -> new Tracker.GetTorrent(hash, replyTo), ASK_TIMEOUT, scheduler);
    return onSuccess(bytes, b -> b.isPresent()
        ? complete(HttpResponse.create().withEntity(TORRENT, b.get()))
        : complete(StatusCodes.NOT_FOUND, new Problem("no torrent " + hash.hex() + " in the catalogue"),
            Jackson.marshaller()));
  }

  private Route stats() {
    CompletionStage<Registry.Totals> totals =
        AskPattern.ask(tracker, Tracker.GetTotals::new, ASK_TIMEOUT, scheduler);
    return onSuccess(totals, t -> {
      TrackerStats.Rates rates = stats.rates();
      return completeOK(new Stats(t.swarms(), t.peers(), t.seeders(), t.leechers(), rates.announcesPerSecond(),
          rates.errorsPerSecond(), stats.announces(), stats.scrapes(), stats.errors(), stats.uptimeSeconds(),
          limits()), Jackson.marshaller());
    });
  }

  private Route metrics() {
    CompletionStage<Registry.Totals> totals =
        AskPattern.ask(tracker, Tracker.GetTotals::new, ASK_TIMEOUT, scheduler);
    CompletionStage<Tracker.CatalogueSize> catalogue =
        AskPattern.ask(tracker, Tracker.GetCatalogueSize::new, ASK_TIMEOUT, scheduler);
    return onSuccess(totals.thenCombine(catalogue, metrics::scrape),
        text -> complete(HttpResponse.create().withEntity(ContentTypes.TEXT_PLAIN_UTF8, text)));
  }

  private Map<String, LimitUse> limits() {
    TrackerSettings.PerAddress a = settings.perAddress();
    Map<String, LimitUse> out = new LinkedHashMap<>();
    for (Limit limit : Limit.values()) {
      Number value = switch (limit) {
        case PEERS -> settings.maxPeers();
        case PEERS_PER_ADDRESS -> a.maxPeers();
        case SWARMS_PER_ADDRESS -> a.maxSwarms();
        case UDP_REQUESTS_PER_ADDRESS -> a.udpRate();
        case HTTP_REQUESTS_PER_ADDRESS -> a.httpRate();
        case HTTP_CONNECTIONS_PER_ADDRESS -> a.httpConnections();
        case HTTP_HEADER_TIMEOUT -> settings.http().headerTimeout().toMillis();
        case CATALOGUE_BYTES -> settings.maxCatalogueBytes();
        // Each key has its own: see publish-keys.
        case PUBLISH_QUOTA, PUBLISH_RATE -> null;
      };
      out.put(limit.statsName(), new LimitUse(value, stats.hits(limit)));
    }
    return out;
  }

  private Route failure(String reason) {
    stats.failed(Protocol.HTTP, ErrorKind.MALFORMED);
    return bencoded(HttpTrackerCodec.encode(new HttpFailure(reason)));
  }

  private Route bencoded(byte[] body) {
    return complete(HttpResponse.create().withEntity(ContentTypes.TEXT_PLAIN_UTF8, body));
  }
}
