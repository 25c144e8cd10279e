package io.swarmshare.peer.crypto;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Optional;
import org.apache.pekko.util.ByteString;

/**
 * The answering side of a Message Stream Encryption handshake, fed the remote's bytes as they
 * come. The remote sends its public key and up to 512 bytes of padding; we send ours
 * ({@link #greeting}); it then sends {@code HASH('req1', S)} as a sync marker, the torrent's
 * obfuscated name {@code HASH('req2', info hash) xor HASH('req3', S)}, and, encrypted with RC4
 * under {@code HASH('keyA', S, info hash)}: the verification constant, the methods it offers
 * (plaintext, RC4), padding, and its initial payload (the BitTorrent handshake, usually). We
 * answer, under {@code HASH('keyB', S, info hash)}, the constant and the method chosen; from then
 * on the connection is plaintext or RC4 both ways. Every length the remote states is bounded by the
 * protocol, so this never holds more than a public key, 532 bytes and 64 KiB of payload beyond one
 * read; anything that does not fit fails with a one-line reason.
 */
final class AnsweringHandshake {

  /**
   * The handshake is done: send {@code reply}, then treat the connection as {@code encrypted}
   * (both ciphers present) or plaintext (both null). {@code received} is what the remote sent
   * past the handshake, its initial payload first, already decrypted.
   */
  record Established(ByteString reply, Rc4 decrypt, Rc4 encrypt, ByteString received) {
    boolean encrypted() {
      return decrypt != null;
    }
  }

  private final TorrentKeys torrents;
  /** Whether to choose RC4 when the remote offers plaintext too. */
  private final boolean preferRc4;
  private final BigInteger privateKey;
  private final ByteString greeting;

  private ByteString buffer = ByteString.emptyByteString();
  private byte[] secret;
  private byte[] sync;
  private InfoHash torrent;
  private Rc4 decrypt;
  private Rc4 encrypt;
  private int offered = -1;
  private int padding = -1;
  private int payloadLength = -1;

  AnsweringHandshake(TorrentKeys torrents, boolean preferRc4, SecureRandom random) {
    this.torrents = torrents;
    this.preferRc4 = preferRc4;
    this.privateKey = Mse.privateKey(random);
    this.greeting = ByteString.fromArrayUnsafe(Mse.publicKey(privateKey)).concat(ByteString.fromArrayUnsafe(
        Mse.padding(random)));
  }

  /** Our public key and padding, sent as soon as the remote is known to speak this protocol. */
  ByteString greeting() {
    return greeting;
  }

  /** The torrent the remote named, once it has. */
  Optional<InfoHash> torrent() {
    return Optional.ofNullable(torrent);
  }

  /** Takes the remote's next bytes: the established connection, or null while more are needed. */
  Established offer(ByteString bytes) {
    buffer = buffer.concat(bytes);
    if (secret == null) {
      if (buffer.size() < Mse.KEY_LENGTH) {
        return null;
      }
      secret = Mse.sharedSecret(buffer.take(Mse.KEY_LENGTH).toArray(), privateKey);
      if (secret == null) {
        throw fail("a public key that is not one");
      }
      sync = Mse.hash("req1", secret);
      buffer = buffer.drop(Mse.KEY_LENGTH);
    }
    if (torrent == null && !findTorrent()) {
      return null;
    }
    if (offered < 0) {
      if (buffer.size() < Mse.VC_LENGTH + 4 + 2) {
        return null;
      }
      ByteBuffer head = take(Mse.VC_LENGTH + 4 + 2);
      byte[] vc = new byte[Mse.VC_LENGTH];
      head.get(vc);
      if (!Mse.allZero(vc)) {
        throw fail("a wrong verification constant (the keys do not match)");
      }
      offered = head.getInt();
      padding = head.getShort() & 0xffff;
      if (padding > Mse.MAX_PADDING) {
        throw fail(padding + " bytes of padding, more than " + Mse.MAX_PADDING);
      }
    }
    if (payloadLength < 0) {
      if (buffer.size() < padding + 2) {
        return null;
      }
      ByteBuffer pad = take(padding + 2);
      payloadLength = pad.getShort(padding) & 0xffff;
    }
    if (buffer.size() < payloadLength) {
      return null;
    }
    ByteString payload = ByteString.fromByteBuffer(take(payloadLength));
    boolean rc4 = choose();
    ByteBuffer answer = ByteBuffer.allocate(Mse.VC_LENGTH + 4 + 2);
    answer.putLong(0).putInt(rc4 ? Mse.RC4 : Mse.PLAINTEXT).putShort((short) 0);
    ByteString reply = encrypt.apply(ByteString.fromArrayUnsafe(answer.array()));
    ByteString rest = rc4 ? decrypt.apply(buffer) : buffer;
    buffer = ByteString.emptyByteString();
    return rc4 ? new Established(reply, decrypt, encrypt, payload.concat(rest))
        : new Established(reply, null, null, payload.concat(rest));
  }

  /** Finds the sync marker and the torrent's name after it; false while more bytes are needed. */
  private boolean findTorrent() {
    int at = indexOf(buffer, sync);
    if (at < 0) {
      if (buffer.size() >= Mse.MAX_PADDING + Mse.HASH_LENGTH) {
        throw fail("no sync marker within " + Mse.MAX_PADDING + " bytes of padding");
      }
      return false;
    }
    if (buffer.size() < at + 2 * Mse.HASH_LENGTH) {
      return false;
    }
    byte[] named = buffer.slice(at + Mse.HASH_LENGTH, at + 2 * Mse.HASH_LENGTH).toArray();
    byte[] req2 = Mse.xor(named, Mse.hash("req3", secret));
    torrent = torrents.find(req2).orElseThrow(() -> fail("a torrent this node does not hold"));
    decrypt = new Rc4(Mse.hash("keyA", secret, torrent.bytes()));
    encrypt = new Rc4(Mse.hash("keyB", secret, torrent.bytes()));
    buffer = buffer.drop(at + 2 * Mse.HASH_LENGTH);
    return true;
  }

  private boolean choose() {
    boolean plaintext = (offered & Mse.PLAINTEXT) != 0;
    boolean rc4 = (offered & Mse.RC4) != 0;
    if (!plaintext && !rc4) {
      throw fail("no method we know offered (0x" + Integer.toHexString(offered) + ")");
    }
    return rc4 && (preferRc4 || !plaintext);
  }

  /** The next {@code n} bytes, decrypted. */
  private ByteBuffer take(int n) {
    ByteString taken = decrypt.apply(buffer.take(n));
    buffer = buffer.drop(n);
    return taken.asByteBuffer();
  }

  private static int indexOf(ByteString haystack, byte[] needle) {
    int last = Math.min(haystack.size(), Mse.MAX_PADDING + Mse.HASH_LENGTH) - needle.length;
    outer:
    for (int i = 0; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack.apply(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static MalformedMessageException fail(String what) {
    return new MalformedMessageException("an encrypted handshake with " + what);
  }
}
