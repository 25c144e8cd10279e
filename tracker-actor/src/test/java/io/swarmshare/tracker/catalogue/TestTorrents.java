package io.swarmshare.tracker.catalogue;

import io.swarmshare.messages.bencode.BDict;
import io.swarmshare.messages.bencode.BList;
import io.swarmshare.messages.bencode.BString;
import io.swarmshare.messages.bencode.BValue;
import io.swarmshare.messages.bencode.BencodeEncoder;
import java.util.Arrays;
import java.util.List;

/** Small valid (and deliberately invalid) .torrent files built in memory for the catalogue tests. */
final class TestTorrents {

  static final int PIECE_LENGTH = 16384;

  private TestTorrents() {}

  /** A single-file torrent; a different {@code seed} gives a different info hash. */
  static byte[] single(String name, long length, int seed) {
    return torrent("udp://tracker.example:6969/announce", info(name, length, seed));
  }

  /** The same info dictionary as {@link #single} under another announce URL: same info hash. */
  static byte[] singleWithAnnounce(String name, long length, int seed, String announce) {
    return torrent(announce, info(name, length, seed));
  }

  /** A multi-file torrent, each file 1000 bytes, with the given paths. */
  static byte[] multi(String name, List<List<String>> paths) {
    List<BValue> files = paths.stream()
        .<BValue>map(path -> BDict.builder()
            .put("length", 1000)
            .put("path", new BList(path.stream().<BValue>map(BString::of).toList()))
            .build())
        .toList();
    BDict info = BDict.builder()
        .put("name", name)
        .put("piece length", PIECE_LENGTH)
        .put("pieces", pieces(1000L * paths.size(), 7))
        .put("files", new BList(files))
        .build();
    return torrent("udp://tracker.example:6969/announce", info);
  }

  private static BDict info(String name, long length, int seed) {
    return BDict.builder()
        .put("name", name)
        .put("piece length", PIECE_LENGTH)
        .put("pieces", pieces(length, seed))
        .put("length", length)
        .build();
  }

  private static byte[] pieces(long length, int seed) {
    int count = (int) ((length + PIECE_LENGTH - 1) / PIECE_LENGTH);
    byte[] hashes = new byte[count * 20];
    Arrays.fill(hashes, (byte) seed);
    hashes[0] = (byte) (seed >>> 8);
    hashes[1] = (byte) (seed >>> 16);
    return hashes;
  }

  private static byte[] torrent(String announce, BDict info) {
    return BencodeEncoder.encode(BDict.builder().put("announce", announce).put("info", info).build());
  }
}
