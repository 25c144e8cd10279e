package io.swarmshare.peer.session;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.bencode.BDict;
import io.swarmshare.messages.bencode.BInteger;
import io.swarmshare.messages.bencode.BList;
import io.swarmshare.messages.bencode.BString;
import io.swarmshare.messages.bencode.BValue;
import io.swarmshare.messages.bencode.BencodeDecoder;
import io.swarmshare.messages.bencode.BencodeEncoder;
import io.swarmshare.messages.magnet.MagnetLink;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.MetainfoParser;
import io.swarmshare.peer.bandwidth.TorrentLimits;
import io.swarmshare.peer.storage.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's torrents on disk, so that a node comes back after a crash exactly as it was. Per
 * torrent, under {@code torrents/}: its .torrent file as it was added (or, for one added by its
 * magnet link whose metadata has not come yet, the link, as a .magnet file), and a small state file
 * (id, download directory, stopped or not, dates, lifetime totals, trackers, seeding goals, speed
 * limits, labels, queue position); under {@code resume/}, its resume data. Every file is written whole or not at all
 * ({@link AtomicFile}); a torrent counts only once its state file exists, and that is written
 * after the .torrent, so one added just before a crash is either fully there or absent. A
 * damaged file loses one torrent, with one log line, never the rest. Plain blocking I/O, for the
 * disk pool.
 */
public final class TorrentStore {

  private static final Logger log = LoggerFactory.getLogger(TorrentStore.class);
  private static final int VERSION = 1;

  /**
   * What the store keeps of one torrent besides its .torrent file. A state written before seeding
   * goals, speed limits, labels and queue positions existed reads back with no goals (the
   * session's defaults then), no limits of its own, no labels, and the position
   * {@link #UNPLACED}, after every placed torrent.
   */
  public record State(int id, Path directory, boolean paused, Instant added, Optional<Instant> completed,
      long downloaded, long uploaded, long secondsDownloading, long secondsSeeding, List<List<String>> trackers,
      Optional<SeedingGoals.Goals> goals, TorrentLimits limits, List<String> labels, int queuePosition) {}

  public static final int UNPLACED = Integer.MAX_VALUE;

  /**
   * A torrent read back: its metainfo, or while that has not come the magnet link it was added
   * by (then {@code metainfo} is empty), and its state.
   */
  public record Stored(MagnetLink link, Optional<Metainfo> metainfo, State state) {

    public Stored(Metainfo metainfo, State state) {
      this(new MagnetLink(metainfo.infoHash(), Optional.of(metainfo.info().name()), List.of(), List.of()),
          Optional.of(metainfo), state);
    }

    public InfoHash infoHash() {
      return link.infoHash();
    }
  }

  private final Path torrents;
  private final Path resume;

  public TorrentStore(Path dataDirectory) throws IOException {
    this.torrents = Files.createDirectories(dataDirectory.resolve("torrents"));
    this.resume = Files.createDirectories(dataDirectory.resolve("resume"));
  }

  public Path resumeFile(InfoHash hash) {
    return resume.resolve(hash.hex() + ".resume");
  }

  private Path torrentFile(InfoHash hash) {
    return torrents.resolve(hash.hex() + ".torrent");
  }

  private Path linkFile(InfoHash hash) {
    return torrents.resolve(hash.hex() + ".magnet");
  }

  private Path stateFile(InfoHash hash) {
    return torrents.resolve(hash.hex() + ".state");
  }

  /** Keeps a new torrent: the .torrent first, then its state, which makes it count. */
  public void add(Metainfo metainfo, State state) throws IOException {
    AtomicFile.write(torrentFile(metainfo.infoHash()), metainfo.encode());
    save(metainfo.infoHash(), state);
  }

  /** Keeps a new torrent known by its magnet link alone: the link first, then its state, which makes it count. */
  public void addLink(MagnetLink link, State state) throws IOException {
    AtomicFile.write(linkFile(link.infoHash()), link.format().getBytes(StandardCharsets.UTF_8));
    save(link.infoHash(), state);
  }

  /**
   * Keeps the metadata of a torrent added by its magnet link: the .torrent first, then the link
   * goes, so that a crash between the two leaves both, and the .torrent is what is read back.
   */
  public void metadataArrived(Metainfo metainfo) throws IOException {
    AtomicFile.write(torrentFile(metainfo.infoHash()), metainfo.encode());
    Files.deleteIfExists(linkFile(metainfo.infoHash()));
  }

  public void save(InfoHash hash, State state) throws IOException {
    AtomicFile.write(stateFile(hash), encode(state));
  }

  /** Forgets a torrent: the state first, so that a crash half-way leaves it absent rather than half there. */
  public void remove(InfoHash hash) throws IOException {
    Files.deleteIfExists(stateFile(hash));
    Files.deleteIfExists(torrentFile(hash));
    Files.deleteIfExists(linkFile(hash));
    Files.deleteIfExists(resumeFile(hash));
  }

  /**
   * Every torrent kept, by id. A torrent whose .torrent is damaged is left out with one log line;
   * one whose state alone is damaged is taken up stopped, looking for its data in
   * {@code fallbackDirectory} (where its own directory was is lost with its state), with a new
   * id, its state written anew, and one log line.
   */
  public List<Stored> load(Path fallbackDirectory) throws IOException {
    List<Stored> stored = new ArrayList<>();
    List<Stored> stateless = new ArrayList<>();
    try (Stream<Path> files = Files.list(torrents)) {
      for (Path state : files.filter(p -> p.getFileName().toString().endsWith(".state")).sorted().toList()) {
        String hex = state.getFileName().toString().replace(".state", "");
        Optional<Stored> torrent = torrent(hex);
        if (torrent.isEmpty()) {
          continue;
        }
        try {
          stored.add(new Stored(torrent.get().link(), torrent.get().metainfo(), decode(Files.readAllBytes(state))));
        } catch (MalformedMessageException | IOException e) {
          String name = torrent.get().metainfo().map(m -> m.info().name())
              .orElse(torrent.get().link().displayName().orElse(hex));
          log.warn("the state of the torrent {} ({}) is damaged: {}; taken up stopped, looking for its data in {}",
              hex, Printable.escape(name), e.getMessage(), fallbackDirectory);
          stateless.add(torrent.get());
        }
      }
    }
    int nextId = stored.stream().mapToInt(t -> t.state().id()).max().orElse(0) + 1;
    for (Stored torrent : stateless) {
      List<List<String>> trackers = torrent.metainfo().map(Metainfo::trackerTiers)
          .orElse(torrent.link().trackers().stream().map(List::of).toList());
      State fresh = new State(nextId++, fallbackDirectory, true, Instant.now(), Optional.empty(), 0, 0, 0, 0,
          trackers, Optional.empty(), TorrentLimits.NONE, List.of(), UNPLACED);
      save(torrent.infoHash(), fresh);
      stored.add(new Stored(torrent.link(), torrent.metainfo(), fresh));
    }
    stored.sort((a, b) -> Integer.compare(a.state().id(), b.state().id()));
    return stored;
  }

  /**
   * What is kept of the torrent {@code hex} besides its state: its .torrent, else its magnet link;
   * empty, with one log line, if that is damaged or names another torrent.
   */
  private Optional<Stored> torrent(String hex) {
    Path torrent = torrents.resolve(hex + ".torrent");
    Path link = torrents.resolve(hex + ".magnet");
    Path file = Files.exists(torrent) || !Files.exists(link) ? torrent : link;
    try {
      if (file == link) {
        MagnetLink magnet = MagnetLink.parse(Files.readString(link, StandardCharsets.UTF_8));
        if (!magnet.infoHash().hex().equals(hex)) {
          throw new MalformedMessageException("it names the torrent " + magnet.infoHash().hex());
        }
        return Optional.of(new Stored(magnet, Optional.empty(), null));
      }
      Metainfo metainfo = MetainfoParser.parse(Files.readAllBytes(torrent));
      if (!metainfo.infoHash().hex().equals(hex)) {
        throw new MalformedMessageException("it holds the torrent " + metainfo.infoHash().hex());
      }
      return Optional.of(new Stored(metainfo, null));
    } catch (MalformedMessageException | IOException e) {
      log.warn("left out the torrent {} of {}: {} is damaged: {}", hex, torrents.getParent(), file.getFileName(),
          e.getMessage());
      return Optional.empty();
    }
  }

  /** The torrents in their queue order: by position, then, where two claim one place, by id. */
  public static List<Stored> inQueueOrder(List<Stored> stored) {
    return stored.stream().sorted(Comparator.<Stored>comparingInt(s -> s.state().queuePosition())
        .thenComparingInt(s -> s.state().id())).toList();
  }

  static byte[] encode(State s) {
    List<BValue> tiers = new ArrayList<>();
    for (List<String> tier : s.trackers()) {
      tiers.add(new BList(tier.stream().map(BString::of).toList()));
    }
    BDict.Builder b = BDict.builder()
        .put("version", VERSION)
        .put("id", s.id())
        .put("directory", s.directory().toString())
        .put("paused", s.paused() ? 1 : 0)
        .put("added", s.added().toEpochMilli())
        .put("downloaded", s.downloaded())
        .put("uploaded", s.uploaded())
        .put("seconds downloading", s.secondsDownloading())
        .put("seconds seeding", s.secondsSeeding())
        .put("trackers", new BList(tiers))
        .put("labels", new BList(s.labels().stream().map(BString::of).toList()))
        .put("queue position", s.queuePosition());
    s.completed().ifPresent(c -> b.put("completed", c.toEpochMilli()));
    s.goals().ifPresent(g -> b
        .put("seed ratio mode", g.ratioMode().transmission())
        // Bencode has no fractions: the ratio is kept as its decimal text.
        .put("seed ratio", Double.toString(g.ratio()))
        .put("seed idle mode", g.idleMode().transmission())
        .put("seed idle seconds", g.idle().toSeconds()));
    TorrentLimits l = s.limits();
    b.put("download limit", l.download())
        .put("download limited", l.downloadLimited() ? 1 : 0)
        .put("upload limit", l.upload())
        .put("upload limited", l.uploadLimited() ? 1 : 0)
        .put("honors node limits", l.honorsNodeLimits() ? 1 : 0);
    return BencodeEncoder.encode(b.build());
  }

  static State decode(byte[] bytes) {
    if (!(BencodeDecoder.decode(bytes) instanceof BDict d)) {
      throw new MalformedMessageException("a torrent's state is not a dictionary");
    }
    if (integer(d, "version") != VERSION) {
      throw new MalformedMessageException("a torrent's state of version " + integer(d, "version"));
    }
    List<List<String>> trackers = new ArrayList<>();
    if (d.get("trackers").orElse(null) instanceof BList tiers) {
      for (BValue tier : tiers.items()) {
        if (!(tier instanceof BList urls)) {
          throw new MalformedMessageException("a torrent's state with a tier that is not a list");
        }
        trackers.add(urls.items().stream().map(u -> text(u, "a tracker")).toList());
      }
    }
    long id = integer(d, "id");
    if (id <= 0 || id > Integer.MAX_VALUE) {
      throw new MalformedMessageException("a torrent's state with id " + id);
    }
    Optional<Instant> completed = d.get("completed").isPresent()
        ? Optional.of(Instant.ofEpochMilli(integer(d, "completed"))) : Optional.empty();
    List<String> labels = new ArrayList<>();
    if (d.get("labels").orElse(null) instanceof BList list) {
      list.items().forEach(l -> labels.add(text(l, "a label")));
    }
    long position = d.get("queue position").isPresent() ? integer(d, "queue position") : UNPLACED;
    if (position < 0 || position > UNPLACED) {
      throw new MalformedMessageException("a torrent's state with queue position " + position);
    }
    return new State((int) id, Path.of(text(d.get("directory").orElse(null), "directory")), integer(d, "paused") != 0,
        Instant.ofEpochMilli(integer(d, "added")), completed, integer(d, "downloaded"), integer(d, "uploaded"),
        integer(d, "seconds downloading"), integer(d, "seconds seeding"), List.copyOf(trackers), goals(d),
        limits(d), List.copyOf(labels), (int) position);
  }

  private static TorrentLimits limits(BDict d) {
    if (d.get("download limit").isEmpty()) {
      return TorrentLimits.NONE;
    }
    try {
      return new TorrentLimits(integer(d, "download limit"), integer(d, "download limited") != 0,
          integer(d, "upload limit"), integer(d, "upload limited") != 0, integer(d, "honors node limits") != 0);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("a torrent's state with bad speed limits: " + e.getMessage());
    }
  }

  private static Optional<SeedingGoals.Goals> goals(BDict d) {
    if (d.get("seed ratio mode").isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new SeedingGoals.Goals(SeedingGoals.Mode.ofTransmission(integer(d, "seed ratio mode")),
          Double.parseDouble(text(d.get("seed ratio").orElse(null), "seed ratio")),
          SeedingGoals.Mode.ofTransmission(integer(d, "seed idle mode")),
          Duration.ofSeconds(integer(d, "seed idle seconds"))));
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("a torrent's state with bad seeding goals: " + e.getMessage());
    }
  }

  private static long integer(BDict d, String key) {
    if (d.get(key).orElse(null) instanceof BInteger value) {
      return value.value();
    }
    throw new MalformedMessageException("a torrent's state without '" + key + "'");
  }

  private static String text(BValue value, String what) {
    if (value instanceof BString s && s.utf8().isPresent()) {
      return s.utf8().get();
    }
    throw new MalformedMessageException("a torrent's state whose " + what + " is not text");
  }
}
