package io.swarmshare.messages.wire;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The 68 bytes that open every peer connection (BEP 3). It is not length-prefixed, so it is read
 * before the framing of {@link PeerWireCodec} takes over. The reserved bytes are kept verbatim:
 * each bit announces an extension, and bits we do not know must still round-trip.
 */
public record Handshake(byte[] reserved, InfoHash infoHash, PeerId peerId) {

  public static final int LENGTH = 68;
  public static final String PROTOCOL = "BitTorrent protocol";
  public static final int RESERVED_LENGTH = 8;

  private static final byte[] PSTR = PROTOCOL.getBytes(StandardCharsets.US_ASCII);

  public Handshake {
    Objects.requireNonNull(infoHash, "infoHash");
    Objects.requireNonNull(peerId, "peerId");
    if (reserved.length != RESERVED_LENGTH) {
      throw new MalformedMessageException(
          "a handshake has " + RESERVED_LENGTH + " reserved bytes, got " + reserved.length);
    }
    reserved = reserved.clone();
  }

  /** A handshake that announces no extension. */
  public static Handshake of(InfoHash infoHash, PeerId peerId) {
    return new Handshake(new byte[RESERVED_LENGTH], infoHash, peerId);
  }

  /** This handshake with reserved bit 20 set: we speak the extension protocol (BEP 10). */
  public Handshake withExtensionProtocol() {
    byte[] bits = reserved.clone();
    bits[5] |= 0x10;
    return new Handshake(bits, infoHash, peerId);
  }

  @Override
  public byte[] reserved() {
    return reserved.clone();
  }

  /** Reserved bit 20: the extension protocol of BEP 10. */
  public boolean supportsExtensions() {
    return (reserved[5] & 0x10) != 0;
  }

  /** The last reserved bit: the peer runs a DHT node (BEP 5) and may send a port message. */
  public boolean supportsDht() {
    return (reserved[7] & 0x01) != 0;
  }

  /** Reserved bit 62: the fast extension (BEP 6). */
  public boolean supportsFastExtension() {
    return (reserved[7] & 0x04) != 0;
  }

  /** The 68 bytes, ready to be read. */
  public ByteBuffer encode() {
    ByteBuffer out = ByteBuffer.allocate(LENGTH);
    out.put((byte) PSTR.length).put(PSTR).put(reserved).put(infoHash.bytes()).put(peerId.bytes());
    return out.flip();
  }

  /**
   * Reads a handshake at the buffer's position and, only if it is valid, moves the position past
   * it, so that frames that follow in the same buffer stay there to be read.
   */
  public static Handshake decode(ByteBuffer in) {
    int start = in.position();
    if (in.remaining() > 0 && in.get(start) != PSTR.length) {
      throw new MalformedMessageException(
          "a handshake starts with the byte 19 (the length of \"" + PROTOCOL + "\"), got "
              + (in.get(start) & 0xff));
    }
    if (in.remaining() < LENGTH) {
      throw new MalformedMessageException(
          "a handshake is " + LENGTH + " bytes, got only " + in.remaining());
    }
    byte[] pstr = new byte[PSTR.length];
    in.get(start + 1, pstr);
    if (!Arrays.equals(pstr, PSTR)) {
      throw new MalformedMessageException(
          "a handshake names the protocol \"" + PROTOCOL + "\" at offset 1, got "
              + HexFormat.of().formatHex(pstr));
    }
    byte[] reserved = new byte[RESERVED_LENGTH];
    byte[] infoHash = new byte[InfoHash.LENGTH];
    byte[] peerId = new byte[PeerId.LENGTH];
    in.position(start + 1 + PSTR.length);
    in.get(reserved).get(infoHash).get(peerId);
    return new Handshake(reserved, InfoHash.of(infoHash), PeerId.of(peerId));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Handshake other
        && Arrays.equals(reserved, other.reserved)
        && infoHash.equals(other.infoHash)
        && peerId.equals(other.peerId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(reserved), infoHash, peerId);
  }

  @Override
  public String toString() {
    return "Handshake[reserved=" + HexFormat.of().formatHex(reserved)
        + ", infoHash=" + infoHash + ", peerId=" + peerId + "]";
  }
}
