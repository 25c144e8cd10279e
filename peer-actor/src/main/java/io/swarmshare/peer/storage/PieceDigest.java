package io.swarmshare.peer.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A piece's SHA-1, fed with its blocks as they are written, so that a piece downloaded in order is
 * verified without reading it back. Only the blocks that continue what was hashed so far count;
 * anything after a gap is read back from disk by {@link TorrentStorage#verify(int, PieceDigest)}.
 * Thread-safe: writes run on the blocking dispatcher.
 */
public final class PieceDigest {

  private final MessageDigest sha1;
  private int hashed;

  public PieceDigest() {
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }

  /** The block at {@code begin} of the piece; hashed if it starts where the hashed bytes end. */
  public synchronized void written(int begin, ByteBuffer block) {
    if (begin == hashed) {
      hashed += block.remaining();
      sha1.update(block.duplicate());
    }
  }

  /** How many bytes from the start of the piece are hashed. */
  synchronized int hashed() {
    return hashed;
  }

  /** Continues the hash with bytes read back from disk. */
  synchronized void update(ByteBuffer bytes) {
    hashed += bytes.remaining();
    sha1.update(bytes);
  }

  synchronized byte[] digest() {
    return sha1.digest();
  }
}
