package io.swarmshare.messages.wire;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.messages.MalformedMessageException;
import java.nio.ByteBuffer;

/**
 * A message of the peer wire protocol (BEP 3, and the extended message of BEP 10), as
 * {@link PeerWireCodec} reads and writes it. A message that could never be valid on the wire
 * (a negative piece index, an empty request) cannot be built.
 *
 * <p>Messages that carry bytes hold a {@link ByteBuffer} view of them, not a copy: a decoded
 * block shares the memory of the frame it came from. They compare by content, so that two
 * messages with equal bytes are equal.
 */
public sealed interface PeerMessage {

  /** A frame of length zero, sent to keep an idle connection open. */
  record KeepAlive() implements PeerMessage {
    public static final KeepAlive INSTANCE = new KeepAlive();
  }

  /** The sender will not answer our requests, and drops those in flight, until it unchokes. */
  record Choke() implements PeerMessage {
    public static final Choke INSTANCE = new Choke();
  }

  /** The sender will now answer our requests. */
  record Unchoke() implements PeerMessage {
    public static final Unchoke INSTANCE = new Unchoke();
  }

  /** The sender wants pieces we have, and so would request them once unchoked. */
  record Interested() implements PeerMessage {
    public static final Interested INSTANCE = new Interested();
  }

  /** The sender wants nothing we have. */
  record NotInterested() implements PeerMessage {
    public static final NotInterested INSTANCE = new NotInterested();
  }

  /** The sender has just verified a piece. */
  record Have(int piece) implements PeerMessage {
    public Have {
      requireNonNegative("piece", piece);
    }
  }

  /**
   * The pieces the sender has. Its right length depends on the torrent, which the codec does not
   * know, so it is checked only when turned into a {@link Bitfield}.
   */
  record BitfieldMessage(ByteBuffer bits) implements PeerMessage {
    public BitfieldMessage {
      bits = bits.slice();
    }

    public static BitfieldMessage of(Bitfield bitfield) {
      return new BitfieldMessage(ByteBuffer.wrap(bitfield.toBytes()));
    }

    /** Throws {@link MalformedMessageException} when the length or the spare bits are wrong. */
    public Bitfield toBitfield(int pieceCount) {
      byte[] bytes = new byte[bits.remaining()];
      bits.get(0, bytes);
      return Bitfield.fromBytes(bytes, pieceCount);
    }

    @Override
    public ByteBuffer bits() {
      return bits.duplicate();
    }

    @Override
    public String toString() {
      return "BitfieldMessage[" + bits.remaining() + " bytes]";
    }
  }

  /** Asks for {@code length} bytes of a piece from offset {@code begin}. */
  record Request(int piece, int begin, int length) implements PeerMessage {
    public Request {
      requireBlock(piece, begin, length);
    }
  }

  /** A block of a piece; {@link #block()} is a view of the received frame, not a copy. */
  record Piece(int piece, int begin, ByteBuffer block) implements PeerMessage {
    public Piece {
      block = block.slice();
      requireNonNegative("piece", piece);
      requireNonNegative("begin", begin);
      requireEndFits(begin, block.remaining());
    }

    /** A view of the block with its own position: reading it leaves this message intact. */
    @Override
    public ByteBuffer block() {
      return block.duplicate();
    }

    public int length() {
      return block.remaining();
    }

    @Override
    public String toString() {
      return "Piece[piece=" + piece + ", begin=" + begin + ", length=" + block.remaining() + "]";
    }
  }

  /** Withdraws a request, typically once another peer delivered the block (endgame). */
  record Cancel(int piece, int begin, int length) implements PeerMessage {
    public Cancel {
      requireBlock(piece, begin, length);
    }
  }

  /** The sender's DHT port (BEP 5). */
  record Port(int port) implements PeerMessage {
    public Port {
      if (port < 0 || port > 0xffff) {
        throw new MalformedMessageException("a port is 0..65535, got " + port);
      }
    }
  }

  /**
   * A BEP 10 message: id 0 is the extension handshake, other ids are those the receiver assigned
   * in its handshake. The payload (usually bencoded) is a view of the received frame.
   */
  record Extended(int extendedId, ByteBuffer payload) implements PeerMessage {
    public Extended {
      if (extendedId < 0 || extendedId > 0xff) {
        throw new MalformedMessageException("an extended message id is 0..255, got " + extendedId);
      }
      payload = payload.slice();
    }

    @Override
    public ByteBuffer payload() {
      return payload.duplicate();
    }

    @Override
    public String toString() {
      return "Extended[extendedId=" + extendedId + ", " + payload.remaining() + " bytes]";
    }
  }

  private static void requireNonNegative(String field, int value) {
    if (value < 0) {
      throw new MalformedMessageException(
          field + " must be 0.." + Integer.MAX_VALUE + ", got " + Integer.toUnsignedString(value));
    }
  }

  private static void requireBlock(int piece, int begin, int length) {
    requireNonNegative("piece", piece);
    requireNonNegative("begin", begin);
    if (length <= 0) {
      throw new MalformedMessageException(
          "a block's length must be 1.." + Integer.MAX_VALUE + ", got "
              + Integer.toUnsignedString(length));
    }
    requireEndFits(begin, length);
  }

  /** Peers do arithmetic on begin + length: keep it in range so that it cannot overflow there. */
  private static void requireEndFits(int begin, int length) {
    if ((long) begin + length > Integer.MAX_VALUE) {
      throw new MalformedMessageException(
          "a block at " + begin + " of " + length + " bytes ends past " + Integer.MAX_VALUE);
    }
  }
}
