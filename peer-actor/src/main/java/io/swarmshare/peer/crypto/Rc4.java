package io.swarmshare.peer.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.apache.pekko.util.ByteString;

/**
 * One direction of an encrypted connection: RC4 keyed with a 20-byte key, its first 1024 bytes of
 * keystream thrown away, as Message Stream Encryption has it. Encrypting and decrypting are the
 * same operation.
 */
final class Rc4 {

  private static final int DISCARDED = 1024;

  private final Cipher cipher;

  Rc4(byte[] key) {
    try {
      cipher = Cipher.getInstance("ARCFOUR");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java has no RC4 (ARCFOUR) cipher", e);
    }
    cipher.update(new byte[DISCARDED]);
  }

  ByteString apply(ByteString bytes) {
    byte[] array = bytes.toArray();
    try {
      cipher.update(array, 0, array.length, array, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RC4 failed", e);
    }
    return ByteString.fromArrayUnsafe(array);
  }
}
