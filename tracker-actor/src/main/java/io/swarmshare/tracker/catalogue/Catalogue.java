package io.swarmshare.tracker.catalogue;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.Printable;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.MetainfoParser;
import io.swarmshare.tracker.catalogue.PublishResult.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracker's durable catalogue: the .torrent files that seeders have published, so that people
 * can list them, fetch one by info hash, and find one by its name. Swarm counts (seeders, leechers,
 * completed) are not here: they are soft state in the registry.
 *
 * <p>What it tracks, and where:
 *
 * <ul>
 *   <li>On disk, one file per torrent, {@code <directory>/<40 lower-case hex info hash>.torrent},
 *       holding exactly the bytes that were published. The file name comes only from the computed
 *       info hash, never from anything the torrent says, so nothing is ever written outside the
 *       directory. Its last-modified time is the publication time.
 *   <li>In memory, an immutable {@link Snapshot} of the {@link Entry entries} (never the torrents'
 *       bytes): by info hash, and sorted by name then info hash.
 * </ul>
 *
 * <p>Durability: a torrent is written to a temporary file in the same directory, flushed to disk,
 * and atomically renamed into place (then the directory is flushed), so a crash leaves either the
 * whole entry or none of it. {@link #open} removes temporary files left by a crash and reloads
 * every stored torrent; a stored file that cannot be used is logged (one WARN line naming the file
 * and why) and skipped, never fatal. Skipped files are left where they are.
 *
 * <p>Thread-safety: every method may be called from any thread. Reads ({@link #list}, {@link
 * #find}, {@link #byExactName}, {@link #size}) read one immutable snapshot through a volatile field,
 * take no lock, and always see a consistent catalogue: an entry is in every view or in none.
 * {@link #publish} is serialized by a lock and swaps in a new snapshot when it adds an entry. It is
 * meant to be called by one actor; HTTP handlers may read meanwhile. {@link #publish}, {@link
 * #torrentBytes} and {@link #open} do blocking file I/O: run them on a blocking dispatcher.
 *
 * <p>Only one {@code Catalogue} should use a directory at a time; nothing locks it across
 * processes.
 */
public final class Catalogue {

  private static final Logger log = LoggerFactory.getLogger(Catalogue.class);

  private static final String SUFFIX = ".torrent";
  private static final Pattern STORED_NAME = Pattern.compile("[0-9a-f]{40}\\.torrent");
  /** Beside each torrent, the name of the key that published it. */
  private static final String PUBLISHER_SUFFIX = ".publisher";
  private static final Pattern PUBLISHER_FILE = Pattern.compile("[0-9a-f]{40}\\.publisher");
  /** Who published a torrent stored before publishers were recorded: this host. */
  public static final String LOCAL = "local";
  /** Temporary files start with a dot, so no stored name (40 hex digits) can look like one. */
  static final String TEMP_PREFIX = ".publishing-";

  static final String TEMP_SUFFIX = ".tmp";
  /** Refusal and log reasons are cut to this many characters: a torrent's text can be huge. */
  private static final int MAX_REASON_LENGTH = 300;

  /** By name ignoring case, then exact name, then info hash: stable and as people expect. */
  static final Comparator<Entry> ORDER =
      Comparator.comparing(Entry::name, String.CASE_INSENSITIVE_ORDER)
          .thenComparing(Entry::name)
          .thenComparing(Entry::infoHash);

  /**
   * What the catalogue accepts: torrents of at most {@code maxTorrentSize} bytes, at most
   * {@code maxEntries} of them and {@code maxTotalBytes} in all, so that no one can fill the disk.
   */
  public record Limits(long maxTorrentSize, int maxEntries, long maxTotalBytes) {

    public Limits {
      if (maxTorrentSize < 1) {
        throw new IllegalArgumentException(
            "the catalogue's largest torrent must be at least 1 byte, got " + maxTorrentSize);
      }
      if (maxEntries < 0) {
        throw new IllegalArgumentException(
            "the catalogue's most entries must not be negative, got " + maxEntries);
      }
      if (maxTotalBytes < 0) {
        throw new IllegalArgumentException(
            "the catalogue's most bytes must not be negative, got " + maxTotalBytes);
      }
    }
  }

  /**
   * Who publishes: a key's name (which owns every name it publishes first) and how many bytes of
   * torrents it may have stored.
   */
  public record Publisher(String name, long quotaBytes) {
    public Publisher {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * One published torrent, as listed: what people choose by. {@code publishedAt} is when it was
   * stored (the file's last-modified time, so it is the same after a restart); {@code publisher}
   * the key that published it; {@code torrentBytes} the size of the stored file.
   */
  public record Entry(
      InfoHash infoHash,
      String name,
      long totalLength,
      int fileCount,
      int pieceLength,
      Instant publishedAt,
      String publisher,
      long torrentBytes) {

    public Entry {
      Objects.requireNonNull(infoHash, "infoHash");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(publishedAt, "publishedAt");
      Objects.requireNonNull(publisher, "publisher");
    }

    static Entry of(Metainfo metainfo, Instant publishedAt, String publisher, long torrentBytes) {
      return new Entry(
          metainfo.infoHash(),
          metainfo.info().name(),
          metainfo.info().totalLength(),
          metainfo.info().files().size(),
          metainfo.info().pieceLength(),
          publishedAt,
          publisher,
          torrentBytes);
    }
  }

  /** One page of a listing, and how many entries the whole listing has. */
  public record Page(List<Entry> entries, int total) {}

  /**
   * Every entry, by info hash and in {@link #ORDER}; each name's owner (the publisher of its
   * earliest entry); bytes stored per publisher and in all. Immutable: replaced, never changed.
   * Read by every listing; only {@link #publish} (under its lock) builds a new one.
   */
  private record Snapshot(Map<InfoHash, Entry> byHash, List<Entry> sorted, Map<String, String> owners,
      Map<String, Long> bytesByPublisher, long totalBytes) {

    static Snapshot of(Collection<Entry> entries) {
      Map<InfoHash, Entry> byHash = new HashMap<>();
      for (Entry e : entries) {
        byHash.put(e.infoHash(), e);
      }
      List<Entry> byAge = new ArrayList<>(byHash.values());
      byAge.sort(Comparator.comparing(Entry::publishedAt).thenComparing(Entry::infoHash));
      Map<String, String> owners = new HashMap<>();
      Map<String, Long> bytes = new HashMap<>();
      long total = 0;
      for (Entry e : byAge) {
        owners.putIfAbsent(e.name(), e.publisher());
        bytes.merge(e.publisher(), e.torrentBytes(), Long::sum);
        total += e.torrentBytes();
      }
      List<Entry> sorted = new ArrayList<>(byHash.values());
      sorted.sort(ORDER);
      return new Snapshot(Collections.unmodifiableMap(byHash), Collections.unmodifiableList(sorted),
          Collections.unmodifiableMap(owners), Collections.unmodifiableMap(bytes), total);
    }

    /** This snapshot with one more entry, whose info hash it does not hold yet. */
    Snapshot with(Entry entry) {
      Map<InfoHash, Entry> byHash = new HashMap<>(this.byHash);
      byHash.put(entry.infoHash(), entry);
      List<Entry> sorted = new ArrayList<>(this.sorted.size() + 1);
      sorted.addAll(this.sorted);
      int at = Collections.binarySearch(sorted, entry, ORDER);
      sorted.add(at < 0 ? -(at + 1) : at, entry);
      Map<String, String> owners = new HashMap<>(this.owners);
      owners.putIfAbsent(entry.name(), entry.publisher());
      Map<String, Long> bytes = new HashMap<>(this.bytesByPublisher);
      bytes.merge(entry.publisher(), entry.torrentBytes(), Long::sum);
      return new Snapshot(Collections.unmodifiableMap(byHash), Collections.unmodifiableList(sorted),
          Collections.unmodifiableMap(owners), Collections.unmodifiableMap(bytes), totalBytes + entry.torrentBytes());
    }
  }

  private final Path directory;
  private final Limits limits;
  private final Clock clock;
  private final Object publishing = new Object();
  private volatile Snapshot snapshot;

  private Catalogue(Path directory, Limits limits, Clock clock, Snapshot snapshot) {
    this.directory = directory;
    this.limits = limits;
    this.clock = clock;
    this.snapshot = snapshot;
  }

  /** Opens (creating it if needed) the catalogue in {@code directory}, timed by the system clock. */
  public static Catalogue open(Path directory, Limits limits) throws IOException {
    return open(directory, limits, Clock.systemUTC());
  }

  /**
   * Opens the catalogue in {@code directory}, creating the directory if needed, removing temporary
   * files left by a crash and loading every stored torrent that still reads. {@code clock} stamps
   * new entries. Throws only when the directory itself cannot be created or listed.
   */
  public static Catalogue open(Path directory, Limits limits, Clock clock) throws IOException {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(clock, "clock");
    Files.createDirectories(directory);
    List<Entry> entries = new ArrayList<>();
    int skipped = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX)) {
          removeLeftover(file);
        } else if (PUBLISHER_FILE.matcher(name).matches()) {
          continue; // read with its torrent
        } else if (STORED_NAME.matcher(name).matches()) {
          Optional<Entry> entry = load(file, limits);
          if (entry.isPresent()) {
            entries.add(entry.get());
          } else {
            skipped++;
          }
        } else if (!Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
          log.warn("catalogue: ignoring {}: not named <40 lower-case hex digits>.torrent", file);
        }
      }
    }
    log.debug("catalogue: {} torrents loaded from {}, {} skipped", entries.size(), directory, skipped);
    if (entries.size() > limits.maxEntries()) {
      log.warn(
          "catalogue: {} holds {} torrents, more than the {} allowed; new ones are refused",
          directory, entries.size(), limits.maxEntries());
    }
    return new Catalogue(directory, limits, clock, Snapshot.of(entries));
  }

  private static void removeLeftover(Path file) {
    try {
      Files.deleteIfExists(file);
      log.info("catalogue: removed {}, left by an interrupted publish", file);
    } catch (IOException e) {
      log.warn("catalogue: could not remove leftover {}: {}", file, oneLine(String.valueOf(e)));
    }
  }

  /** The entry stored in {@code file}, or empty (logged) when the file cannot be used. */
  private static Optional<Entry> load(Path file, Limits limits) {
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return skip(file, "not a regular file");
      }
      long size = Files.size(file);
      if (size > limits.maxTorrentSize()) {
        return skip(
            file, size + " bytes is more than the " + limits.maxTorrentSize() + " a torrent may have");
      }
      Metainfo metainfo = MetainfoParser.parse(Files.readAllBytes(file));
      String expected = metainfo.infoHash().hex() + SUFFIX;
      if (!file.getFileName().toString().equals(expected)) {
        return skip(file, "it holds the torrent with info hash " + metainfo.infoHash().hex());
      }
      Instant publishedAt = Files.getLastModifiedTime(file).toInstant();
      return Optional.of(Entry.of(metainfo, publishedAt, readPublisher(file), size));
    } catch (MalformedMessageException e) {
      return skip(file, e.getMessage());
    } catch (IOException | RuntimeException e) {
      return skip(file, String.valueOf(e));
    }
  }

  /** The publisher recorded beside {@code torrent}; {@link #LOCAL} for one stored before they were. */
  private static String readPublisher(Path torrent) throws IOException {
    String name = torrent.getFileName().toString();
    Path file = torrent.resolveSibling(name.substring(0, name.length() - SUFFIX.length()) + PUBLISHER_SUFFIX);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > 256) {
      return LOCAL;
    }
    String publisher = Files.readString(file, StandardCharsets.UTF_8).strip();
    return publisher.isEmpty() ? LOCAL : publisher;
  }

  private static Optional<Entry> skip(Path file, String why) {
    log.warn("catalogue: skipping {}: {}", file, oneLine(why));
    return Optional.empty();
  }

  /**
   * Adds a torrent to the catalogue for {@code publisher}. Refuses, with a one-line reason and
   * without writing anything: input larger than {@link Limits#maxTorrentSize()} (before parsing
   * it); anything that is not a valid torrent by {@link MetainfoParser}; a new torrent once the
   * catalogue holds {@link Limits#maxEntries()} or would pass {@link Limits#maxTotalBytes()}; one
   * that would take the publisher past its quota; and one whose name another publisher owns (the
   * first to publish a name owns it). A torrent whose info hash is already here is not written
   * again: the result is {@link PublishResult.AlreadyPresent} with the entry stored first.
   */
  public PublishResult publish(byte[] torrent, Publisher publisher) {
    Objects.requireNonNull(torrent, "torrent");
    Objects.requireNonNull(publisher, "publisher");
    if (torrent.length > limits.maxTorrentSize()) {
      return refused(
          Reason.TOO_LARGE,
          "the torrent is " + torrent.length + " bytes, more than the " + limits.maxTorrentSize()
              + " this tracker accepts");
    }
    byte[] bytes = torrent.clone(); // what is parsed is exactly what is stored
    Metainfo metainfo;
    try {
      metainfo = MetainfoParser.parse(bytes);
    } catch (MalformedMessageException e) {
      return refused(Reason.INVALID, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("catalogue: the torrent parser failed unexpectedly", e);
      return refused(Reason.INVALID, "invalid torrent: it could not be read (" + e + ")");
    }
    InfoHash infoHash = metainfo.infoHash();
    synchronized (publishing) {
      Snapshot current = snapshot;
      Entry existing = current.byHash().get(infoHash);
      if (existing != null) {
        return new PublishResult.AlreadyPresent(existing);
      }
      Optional<PublishResult.Refused> refusal = admit(current, metainfo.info().name(), bytes.length, publisher);
      if (refusal.isPresent()) {
        return refusal.get();
      }
      Instant publishedAt;
      try {
        publishedAt = store(infoHash, bytes, publisher.name());
      } catch (IOException | RuntimeException e) {
        // The details (paths, errno) are for the operator's log, not for whoever published.
        log.warn("catalogue: could not store {}: {}", infoHash.hex(), oneLine(String.valueOf(e)));
        return refused(
            Reason.STORAGE_FAILED, "the tracker could not store the torrent; try again later");
      }
      Entry entry = Entry.of(metainfo, publishedAt, publisher.name(), bytes.length);
      snapshot = current.with(entry);
      log.debug("catalogue: added {} ({}) for {}", infoHash.hex(), oneLine(entry.name()), publisher.name());
      return new PublishResult.Added(entry);
    }
  }

  /** Why a new torrent may not be stored, if it may not: the catalogue's room, the publisher's, the name's owner. */
  private Optional<PublishResult.Refused> admit(Snapshot current, String name, long size, Publisher publisher) {
    if (current.sorted().size() >= limits.maxEntries()) {
      return Optional.of(refused(Reason.FULL, "the catalogue is full: it holds " + current.sorted().size()
          + " torrents and this tracker keeps at most " + limits.maxEntries()));
    }
    if (current.totalBytes() + size > limits.maxTotalBytes()) {
      return Optional.of(refused(Reason.FULL, "the catalogue is full: it holds " + current.totalBytes()
          + " bytes of torrents and this tracker keeps at most " + limits.maxTotalBytes()));
    }
    long used = current.bytesByPublisher().getOrDefault(publisher.name(), 0L);
    if (used + size > publisher.quotaBytes()) {
      return Optional.of(refused(Reason.QUOTA, "publisher '" + publisher.name() + "' has " + used
          + " bytes of torrents stored; " + size + " more would pass its quota of " + publisher.quotaBytes()));
    }
    String owner = current.owners().get(name);
    if (owner != null && !owner.equals(publisher.name())) {
      return Optional.of(refused(Reason.NAME_TAKEN, "the name '" + name + "' belongs to publisher '" + owner
          + "', who published it first; publish under another name"));
    }
    return Optional.empty();
  }

  /**
   * Writes {@code bytes} as the entry for {@code infoHash}: temporary file, flush, atomic rename,
   * flush of the directory. Returns the publication time as stored in the file's metadata.
   */
  private Instant store(InfoHash infoHash, byte[] bytes, String publisher) throws IOException {
    // The publisher first: a crash between the two leaves a stray .publisher file, never an
    // unowned torrent.
    writeAtomically(directory.resolve(infoHash.hex() + PUBLISHER_SUFFIX), publisher.getBytes(StandardCharsets.UTF_8));
    Path target = fileFor(infoHash);
    Path temp = Files.createTempFile(directory, TEMP_PREFIX, TEMP_SUFFIX);
    Instant publishedAt;
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        Files.setLastModifiedTime(temp, FileTime.from(clock.instant()));
        out.force(true);
      }
      // Read back: the file system may keep less precision than the clock has, and a reload
      // must give the same entry.
      publishedAt = Files.getLastModifiedTime(temp).toInstant();
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    syncDirectory();
    return publishedAt;
  }

  private void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path temp = Files.createTempFile(directory, TEMP_PREFIX, TEMP_SUFFIX);
    try {
      Files.write(temp, bytes, StandardOpenOption.WRITE);
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        out.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Makes the rename durable. Not every platform can open a directory (Windows cannot). */
  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      log.debug("catalogue: could not flush directory {}: {}", directory, e.toString());
    }
  }

  private Path fileFor(InfoHash infoHash) {
    return directory.resolve(infoHash.hex() + SUFFIX);
  }

  private static PublishResult.Refused refused(Reason reason, String message) {
    return new PublishResult.Refused(reason, oneLine(message));
  }

  /**
   * Every entry whose name contains {@code nameFilter} ignoring case (all of them when empty),
   * sorted by name (ignoring case, then exactly) and then by info hash.
   */
  public List<Entry> list(Optional<String> nameFilter) {
    List<Entry> all = snapshot.sorted();
    if (nameFilter.isEmpty() || nameFilter.get().isEmpty()) {
      return all;
    }
    String needle = nameFilter.get().toLowerCase(Locale.ROOT);
    return all.stream().filter(e -> e.name().toLowerCase(Locale.ROOT).contains(needle)).toList();
  }

  /**
   * Entries {@code offset} to {@code offset + limit} of {@link #list}, and how many it has in all.
   */
  public Page page(Optional<String> nameFilter, int offset, int limit) {
    List<Entry> all = list(nameFilter);
    int from = Math.min(Math.max(0, offset), all.size());
    int to = (int) Math.min(all.size(), (long) from + Math.max(0, limit));
    return new Page(List.copyOf(all.subList(from, to)), all.size());
  }

  /** Bytes of torrents stored, in all. */
  public long totalBytes() {
    return snapshot.totalBytes();
  }

  /** Every entry named exactly {@code name} (case and all), by info hash. */
  public List<Entry> byExactName(String name) {
    Objects.requireNonNull(name, "name");
    return snapshot.sorted().stream().filter(e -> e.name().equals(name)).toList();
  }

  public Optional<Entry> find(InfoHash infoHash) {
    return Optional.ofNullable(snapshot.byHash().get(infoHash));
  }

  /**
   * The stored torrent, byte for byte as published; empty when the catalogue does not hold it (or
   * its file has vanished since, which is logged). Blocking I/O.
   *
   * @throws UncheckedIOException when the file is there but cannot be read
   */
  public Optional<byte[]> torrentBytes(InfoHash infoHash) {
    if (!snapshot.byHash().containsKey(infoHash)) {
      return Optional.empty();
    }
    Path file = fileFor(infoHash);
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      log.warn("catalogue: {} is listed but {} is gone", infoHash.hex(), file);
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
    }
  }

  /** How many torrents the catalogue holds. */
  public int size() {
    return snapshot.sorted().size();
  }

  public Path directory() {
    return directory;
  }

  public Limits limits() {
    return limits;
  }

  /** {@code text} on one line (control characters escaped) and at most a few hundred characters. */
  public static String oneLine(String text) {
    String escaped = Printable.escape(text);
    if (escaped.length() <= MAX_REASON_LENGTH) {
      return escaped;
    }
    int end = MAX_REASON_LENGTH;
    if (Character.isHighSurrogate(escaped.charAt(end - 1))) {
      end--;
    }
    return escaped.substring(0, end) + "...";
  }

}
