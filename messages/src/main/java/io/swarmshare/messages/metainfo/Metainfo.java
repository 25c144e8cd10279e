package io.swarmshare.messages.metainfo;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.bencode.BDict;
import io.swarmshare.messages.bencode.BInteger;
import io.swarmshare.messages.bencode.BList;
import io.swarmshare.messages.bencode.BString;
import io.swarmshare.messages.bencode.BValue;
import io.swarmshare.messages.bencode.BencodeEncoder;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A v1 .torrent file (BEP 3, BEP 12 announce-list, BEP 19 url-list, BEP 27 private). Read one
 * with {@link MetainfoParser}; write one with {@link #encode()}. The info hash is computed from the
 * {@code info} dictionary's bytes exactly as they were read, which {@link #infoBytes()} keeps.
 */
public final class Metainfo {

  private static final BString INFO_KEY = BString.of("info");

  private final Info info;
  private final byte[] infoBytes;
  private final InfoHash infoHash;
  private final Optional<String> announce;
  private final List<List<String>> announceList;
  private final Optional<String> comment;
  private final Optional<String> createdBy;
  private final Optional<Instant> creationDate;
  private final List<String> urlList;

  Metainfo(
      Info info,
      byte[] infoBytes,
      Optional<String> announce,
      List<List<String>> announceList,
      Optional<String> comment,
      Optional<String> createdBy,
      Optional<Instant> creationDate,
      List<String> urlList) {
    this.info = info;
    this.infoBytes = infoBytes;
    this.infoHash = InfoHash.of(sha1(infoBytes));
    this.announce = announce;
    this.announceList = announceList.stream().map(List::copyOf).toList();
    this.comment = comment;
    this.createdBy = createdBy;
    this.creationDate = creationDate;
    this.urlList = List.copyOf(urlList);
  }

  /** A new torrent for {@code info}, as created here: the info bytes are its canonical encoding. */
  public static Metainfo of(
      Info info,
      List<String> trackers,
      Optional<String> comment,
      Optional<String> createdBy,
      Optional<Instant> creationDate) {
    List<List<String>> tiers =
        trackers.size() > 1 ? trackers.stream().map(List::of).toList() : List.of();
    return new Metainfo(
        info,
        BencodeEncoder.encode(encodeInfo(info)),
        trackers.stream().findFirst(),
        tiers,
        comment,
        createdBy,
        creationDate,
        List.of());
  }

  public InfoHash infoHash() {
    return infoHash;
  }

  public Info info() {
    return info;
  }

  public byte[] infoBytes() {
    return infoBytes.clone();
  }

  public Optional<String> announce() {
    return announce;
  }

  public List<List<String>> announceList() {
    return announceList;
  }

  /** The tracker tiers to use: announce-list when present (BEP 12), else the single announce. */
  public List<List<String>> trackerTiers() {
    if (!announceList.isEmpty()) {
      return announceList;
    }
    return announce.map(url -> List.of(List.of(url))).orElse(List.of());
  }

  public Optional<String> comment() {
    return comment;
  }

  public Optional<String> createdBy() {
    return createdBy;
  }

  public Optional<Instant> creationDate() {
    return creationDate;
  }

  public List<String> urlList() {
    return urlList;
  }

  /** The whole .torrent file, with the info dictionary written back byte for byte. */
  public byte[] encode() {
    BDict.Builder top = BDict.builder();
    announce.ifPresent(a -> top.put("announce", a));
    if (!announceList.isEmpty()) {
      top.put(
          "announce-list",
          new BList(announceList.stream().map(tier -> new BList(strings(tier))).toList()));
    }
    comment.ifPresent(c -> top.put("comment", c));
    createdBy.ifPresent(c -> top.put("created by", c));
    creationDate.ifPresent(d -> top.put("creation date", d.getEpochSecond()));
    if (!urlList.isEmpty()) {
      top.put("url-list", new BList(strings(urlList)));
    }
    // The info dictionary goes in as the bytes it was read from, in its sorted place.
    top.put("info", new BInteger(0));
    ByteArrayOutputStream out = new ByteArrayOutputStream(infoBytes.length + 1024);
    out.write('d');
    for (Map.Entry<BString, BValue> e : top.build().entries().entrySet()) {
      out.writeBytes(BencodeEncoder.encode(e.getKey()));
      if (e.getKey().equals(INFO_KEY)) {
        out.writeBytes(infoBytes);
      } else {
        out.writeBytes(BencodeEncoder.encode(e.getValue()));
      }
    }
    out.write('e');
    return out.toByteArray();
  }

  /** The canonical info dictionary: the keys mktorrent writes, in bencode's sorted order. */
  static BDict encodeInfo(Info info) {
    BDict.Builder dict = BDict.builder();
    dict.put("name", info.name());
    dict.put("piece length", info.pieceLength());
    dict.put("pieces", info.pieceHashes());
    if (info.isPrivate()) {
      dict.put("private", 1);
    }
    if (info.singleFile()) {
      dict.put("length", info.files().get(0).length());
    } else {
      List<BValue> files = new ArrayList<>();
      for (FileEntry f : info.files()) {
        files.add(
            BDict.builder()
                .put("length", f.length())
                .put("path", new BList(strings(f.path())))
                .build());
      }
      dict.put("files", new BList(files));
    }
    return dict.build();
  }

  private static List<BValue> strings(List<String> values) {
    return values.stream().<BValue>map(BString::of).toList();
  }

  private static byte[] sha1(byte[] bytes) {
    return PieceHasher.newSha1().digest(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Metainfo other
        && Arrays.equals(infoBytes, other.infoBytes)
        && announce.equals(other.announce)
        && announceList.equals(other.announceList)
        && comment.equals(other.comment)
        && createdBy.equals(other.createdBy)
        && creationDate.equals(other.creationDate)
        && urlList.equals(other.urlList);
  }

  @Override
  public int hashCode() {
    return infoHash.hashCode();
  }

  @Override
  public String toString() {
    return "Metainfo[" + info.name() + ", " + infoHash + "]";
  }
}
