package io.swarmshare.peer.crypto;

import io.swarmshare.messages.InfoHash;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import org.apache.pekko.util.ByteString;

/** The dialling side of Message Stream Encryption, as far as the tests need it to talk to ours. */
public final class TestInitiator {

  private final SecureRandom random = new SecureRandom();
  private final BigInteger privateKey = Mse.privateKey(random);
  private Rc4 encrypt;
  private Rc4 decrypt;

  /** Step 1: our public key and {@code padding} random bytes. */
  public byte[] hello(int padding) {
    byte[] pad = new byte[padding];
    random.nextBytes(pad);
    return concat(Mse.publicKey(privateKey), pad);
  }

  /**
   * Step 3, once the answerer's public key is known: the sync marker, the torrent's obfuscated
   * name, and, encrypted, the constant, the methods offered, {@code padding} zero bytes and the
   * initial payload.
   */
  public byte[] request(byte[] theirKey, InfoHash torrent, int offered, int padding, byte[] payload) {
    byte[] secret = Mse.sharedSecret(theirKey, privateKey);
    encrypt = new Rc4(Mse.hash("keyA", secret, torrent.bytes()));
    decrypt = new Rc4(Mse.hash("keyB", secret, torrent.bytes()));
    ByteBuffer body = ByteBuffer.allocate(Mse.VC_LENGTH + 4 + 2 + padding + 2 + payload.length);
    body.putLong(0).putInt(offered).putShort((short) padding).put(new byte[padding]).putShort((short) payload.length)
        .put(payload);
    return concat(Mse.hash("req1", secret), Mse.xor(Mse.hash("req2", torrent.bytes()), Mse.hash("req3", secret)),
        encrypt.apply(ByteString.fromArrayUnsafe(body.array())).toArray());
  }

  /** The method the answerer chose, from its step 4 (the constant, the choice, no padding). */
  public int chosen(byte[] reply) {
    ByteBuffer answer = decrypt.apply(ByteString.fromArrayUnsafe(reply)).asByteBuffer();
    byte[] vc = new byte[Mse.VC_LENGTH];
    answer.get(vc);
    if (!Mse.allZero(vc)) {
      throw new AssertionError("a wrong verification constant in the reply");
    }
    int chosen = answer.getInt();
    if (answer.getShort() != 0) {
      throw new AssertionError("padding in the reply");
    }
    return chosen;
  }

  public byte[] encrypt(byte[] bytes) {
    return encrypt.apply(ByteString.fromArray(bytes)).toArray();
  }

  public byte[] decrypt(byte[] bytes) {
    return decrypt.apply(ByteString.fromArray(bytes)).toArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static byte[] first(byte[] bytes, int n) {
    return Arrays.copyOf(bytes, n);
  }
}
