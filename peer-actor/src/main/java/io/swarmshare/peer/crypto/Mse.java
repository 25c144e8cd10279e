package io.swarmshare.peer.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * What both sides of Message Stream Encryption (MSE, "protocol encryption", the obfuscation
 * libtorrent, Transmission and most clients offer first) compute: the Diffie-Hellman exchange over
 * the protocol's fixed 768-bit prime with generator 2, and the SHA-1 hashes that derive the sync
 * marker, the torrent's obfuscated name and the two RC4 keys from the shared secret.
 */
final class Mse {

  static final BigInteger PRIME = new BigInteger(
      "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF"
          + "9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563", 16);
  private static final BigInteger GENERATOR = BigInteger.TWO;
  /** A public key or the shared secret, big-endian, padded to the prime's length. */
  static final int KEY_LENGTH = 96;
  /** The longest padding either side may put after its key or inside the handshake. */
  static final int MAX_PADDING = 512;
  static final int HASH_LENGTH = 20;
  /** The verification constant: eight zero bytes, encrypted, that prove both sides have the keys. */
  static final int VC_LENGTH = 8;
  static final int PLAINTEXT = 0x01;
  static final int RC4 = 0x02;

  private Mse() {}

  /** A private key of 160 random bits, as the protocol asks. */
  static BigInteger privateKey(SecureRandom random) {
    return new BigInteger(160, random).setBit(159);
  }

  static byte[] publicKey(BigInteger privateKey) {
    return fixed(GENERATOR.modPow(privateKey, PRIME));
  }

  /** The shared secret S from the remote's public key, or null when that key is not a usable one. */
  static byte[] sharedSecret(byte[] remoteKey, BigInteger privateKey) {
    BigInteger y = new BigInteger(1, remoteKey);
    // 0, 1 and p-1 (and anything at or above p) would give a secret an eavesdropper can guess.
    if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(PRIME.subtract(BigInteger.ONE)) >= 0) {
      return null;
    }
    return fixed(y.modPow(privateKey, PRIME));
  }

  static byte[] hash(String label, byte[]... parts) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    sha1.update(label.getBytes(StandardCharsets.US_ASCII));
    for (byte[] part : parts) {
      sha1.update(part);
    }
    return sha1.digest();
  }

  static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  static byte[] padding(SecureRandom random) {
    byte[] pad = new byte[random.nextInt(MAX_PADDING + 1)];
    random.nextBytes(pad);
    return pad;
  }

  private static byte[] fixed(BigInteger value) {
    byte[] raw = value.toByteArray();
    if (raw.length == KEY_LENGTH) {
      return raw;
    }
    byte[] out = new byte[KEY_LENGTH];
    int copied = Math.min(raw.length, KEY_LENGTH);
    System.arraycopy(raw, raw.length - copied, out, KEY_LENGTH - copied, copied);
    return out;
  }

  static boolean allZero(byte[] bytes) {
    return Arrays.equals(bytes, new byte[bytes.length]);
  }
}
