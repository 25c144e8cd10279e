package io.swarmshare.peer.storage;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.bencode.BDict;
import io.swarmshare.messages.bencode.BInteger;
import io.swarmshare.messages.bencode.BList;
import io.swarmshare.messages.bencode.BString;
import io.swarmshare.messages.bencode.BValue;
import io.swarmshare.messages.bencode.BencodeDecoder;
import io.swarmshare.messages.bencode.BencodeEncoder;
import io.swarmshare.messages.bencode.BencodeException;
import io.swarmshare.messages.metainfo.FileLayout.Segment;
import io.swarmshare.messages.metainfo.Info;
import java.util.ArrayList;
import java.util.List;

/**
 * What a torrent knew of its data on disk when it last saved (libtorrent's and Transmission's
 * fast resume): the verified pieces, and per file its size and modification time then. A piece
 * is trusted on the next start without being hashed only if it was verified and every file it
 * lies in is unchanged; a file that changed, or vanished, has its pieces checked again.
 * Stored bencoded, like theirs.
 */
public record ResumeData(Bitfield verified, List<FileStamp> files) {

  /** A file's size and modification time in milliseconds; -1 and 0 for a file that does not exist. */
  public record FileStamp(long size, long modifiedMillis) {

    public static final FileStamp ABSENT = new FileStamp(-1, 0);
  }

  private static final int VERSION = 1;

  /** The pieces to take as verified without hashing them, given the files as they are {@code now}. */
  public Bitfield trusted(Info info, List<FileStamp> now) {
    Bitfield trusted = new Bitfield(info.pieceCount());
    if (now.size() != files.size() || verified.pieceCount() != info.pieceCount()) {
      return trusted;
    }
    boolean[] unchanged = new boolean[files.size()];
    for (int i = 0; i < unchanged.length; i++) {
      unchanged[i] = files.get(i).equals(now.get(i)) && (now.get(i).size() >= 0 || info.files().get(i).length() == 0);
    }
    for (int piece = verified.nextSet(0); piece >= 0; piece = verified.nextSet(piece + 1)) {
      boolean ok = true;
      for (Segment s : info.layout().segments(info.pieceOffset(piece), info.pieceSize(piece))) {
        ok &= unchanged[s.fileIndex()];
      }
      if (ok) {
        trusted.set(piece);
      }
    }
    return trusted;
  }

  public byte[] encode() {
    List<BValue> stamps = new ArrayList<>(files.size());
    for (FileStamp f : files) {
      stamps.add(new BList(List.of(new BInteger(f.size()), new BInteger(f.modifiedMillis()))));
    }
    return BencodeEncoder.encode(BDict.builder()
        .put("version", VERSION)
        .put("piece count", verified.pieceCount())
        .put("pieces", verified.toBytes())
        .put("files", new BList(stamps))
        .build());
  }

  /** Reads what {@link #encode} wrote, for the torrent {@code info}; anything else is malformed. */
  public static ResumeData decode(byte[] bytes, Info info) throws MalformedMessageException {
    try {
      if (!(BencodeDecoder.decode(bytes) instanceof BDict dict)) {
        throw new MalformedMessageException("resume data is not a dictionary");
      }
      if (integer(dict, "version") != VERSION) {
        throw new MalformedMessageException("resume data of version " + integer(dict, "version"));
      }
      long pieceCount = integer(dict, "piece count");
      if (pieceCount != info.pieceCount()) {
        throw new MalformedMessageException("resume data for " + pieceCount + " pieces, not " + info.pieceCount());
      }
      if (!(dict.get("pieces").orElse(null) instanceof BString pieces)) {
        throw new MalformedMessageException("resume data without pieces");
      }
      Bitfield verified = Bitfield.fromBytes(pieces.bytes(), info.pieceCount());
      if (!(dict.get("files").orElse(null) instanceof BList stamps) || stamps.items().size() != info.files().size()) {
        throw new MalformedMessageException("resume data without one stamp per file");
      }
      List<FileStamp> files = new ArrayList<>();
      for (BValue stamp : stamps.items()) {
        if (!(stamp instanceof BList pair) || pair.items().size() != 2
            || !(pair.items().get(0) instanceof BInteger size) || !(pair.items().get(1) instanceof BInteger time)) {
          throw new MalformedMessageException("resume data with a file stamp that is not [size, time]");
        }
        files.add(new FileStamp(size.value(), time.value()));
      }
      return new ResumeData(verified, List.copyOf(files));
    } catch (BencodeException e) {
      throw new MalformedMessageException("resume data is not bencoded: " + e.getMessage());
    }
  }

  private static long integer(BDict dict, String key) throws MalformedMessageException {
    if (dict.get(key).orElse(null) instanceof BInteger value) {
      return value.value();
    }
    throw new MalformedMessageException("resume data without '" + key + "'");
  }
}
