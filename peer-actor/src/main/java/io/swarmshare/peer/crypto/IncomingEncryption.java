package io.swarmshare.peer.crypto;

import java.util.Locale;

/**
 * What a node does with a remote that opens with an encrypted handshake (Message Stream
 * Encryption), {@code swarmshare.peer.incoming-encryption}: answer it and continue in plaintext
 * when the remote allows that, answer it and continue in RC4 whenever the remote offers RC4, or
 * refuse it. Plaintext handshakes are answered whatever this says.
 */
public enum IncomingEncryption {
  PLAINTEXT, RC4, REFUSE;

  public static IncomingEncryption parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "swarmshare.peer.incoming-encryption must be plaintext, rc4 or refuse, got \"" + text + "\"");
    }
  }
}
