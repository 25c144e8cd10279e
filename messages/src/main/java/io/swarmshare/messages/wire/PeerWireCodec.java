package io.swarmshare.messages.wire;

import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.wire.PeerMessage.BitfieldMessage;
import io.swarmshare.messages.wire.PeerMessage.Cancel;
import io.swarmshare.messages.wire.PeerMessage.Choke;
import io.swarmshare.messages.wire.PeerMessage.Extended;
import io.swarmshare.messages.wire.PeerMessage.Have;
import io.swarmshare.messages.wire.PeerMessage.Interested;
import io.swarmshare.messages.wire.PeerMessage.KeepAlive;
import io.swarmshare.messages.wire.PeerMessage.NotInterested;
import io.swarmshare.messages.wire.PeerMessage.Piece;
import io.swarmshare.messages.wire.PeerMessage.Port;
import io.swarmshare.messages.wire.PeerMessage.Request;
import io.swarmshare.messages.wire.PeerMessage.Unchoke;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Frames of the peer wire protocol after the handshake (BEP 3): a 4-byte big-endian length, then
 * a message id and its fields. {@link #decode} reads a frame's payload (what a framing stage
 * such as Pekko's {@code Framing.simpleFramingProtocol} hands on); {@link #nextFrame} cuts frames
 * out of a raw byte stream. Both refuse frames longer than the configured maximum, so a peer
 * cannot make us allocate what it announces. Reads big-endian whatever a buffer's byte order.
 * Thread-safe.
 */
public final class PeerWireCodec {

  /** The block size every client uses; asking for more gets a peer dropped. Policy, not codec. */
  public static final int BLOCK_SIZE = 16 * 1024;

  /** A 4-byte length prefix comes before every message. */
  public static final int LENGTH_PREFIX = 4;

  /** Id, index and begin precede a piece's block. */
  private static final int PIECE_HEADER = 9;

  /**
   * The least maximum that still lets a 16 KiB block through; not enough for a BEP 9 metadata
   * piece, which adds a bencoded header to its 16 KiB.
   */
  public static final int MIN_MAX_FRAME_LENGTH = PIECE_HEADER + BLOCK_SIZE;

  /**
   * 1 MiB of payload plus a piece header. A bitfield is the largest message a well-behaved peer
   * sends unasked, and this fits one for 8 million pieces (2 TiB in 256 KiB pieces); it also lets
   * through blocks of up to 1 MiB, should our policy ever accept those from old clients.
   */
  public static final int DEFAULT_MAX_FRAME_LENGTH = (1 << 20) + PIECE_HEADER;

  private static final int CHOKE = 0;
  private static final int UNCHOKE = 1;
  private static final int INTERESTED = 2;
  private static final int NOT_INTERESTED = 3;
  private static final int HAVE = 4;
  private static final int BITFIELD = 5;
  private static final int REQUEST = 6;
  private static final int PIECE = 7;
  private static final int CANCEL = 8;
  private static final int PORT = 9;
  private static final int EXTENDED = 20;

  private final int maxFrameLength;

  public PeerWireCodec() {
    this(DEFAULT_MAX_FRAME_LENGTH);
  }

  /** @param maxFrameLength the longest payload accepted, not counting the length prefix */
  public PeerWireCodec(int maxFrameLength) {
    if (maxFrameLength < MIN_MAX_FRAME_LENGTH) {
      throw new IllegalArgumentException(
          "the maximum frame length must be at least " + MIN_MAX_FRAME_LENGTH
              + " to carry a block, got " + maxFrameLength);
    }
    this.maxFrameLength = maxFrameLength;
  }

  public int maxFrameLength() {
    return maxFrameLength;
  }

  /**
   * Cuts the next frame out of a stream of frames and returns its payload, a view of the stream's
   * bytes, moving the position past the frame. Returns empty and leaves the position alone while
   * the frame is incomplete; throws as soon as its length prefix announces too much.
   */
  public Optional<ByteBuffer> nextFrame(ByteBuffer stream) {
    if (stream.remaining() < LENGTH_PREFIX) {
      return Optional.empty();
    }
    int start = stream.position();
    long length = Integer.toUnsignedLong(stream.slice(start, LENGTH_PREFIX).getInt());
    if (length > maxFrameLength) {
      throw new MalformedMessageException(
          "a frame announces " + length + " bytes, more than the " + maxFrameLength + " allowed");
    }
    if (stream.remaining() < LENGTH_PREFIX + length) {
      return Optional.empty();
    }
    ByteBuffer payload = stream.slice(start + LENGTH_PREFIX, (int) length);
    stream.position(start + LENGTH_PREFIX + (int) length);
    return Optional.of(payload);
  }

  /**
   * Reads the payload of one frame: all the bytes remaining in {@code payload}, whose position is
   * left alone. Blocks and extended payloads in the result are views of these bytes.
   */
  public PeerMessage decode(ByteBuffer payload) {
    ByteBuffer in = payload.slice();
    int length = in.remaining();
    if (length > maxFrameLength) {
      throw new MalformedMessageException(
          "a frame of " + length + " bytes is more than the " + maxFrameLength + " allowed");
    }
    if (length == 0) {
      return KeepAlive.INSTANCE;
    }
    int id = in.get() & 0xff;
    return switch (id) {
      case CHOKE -> withoutFields("choke", length, Choke.INSTANCE);
      case UNCHOKE -> withoutFields("unchoke", length, Unchoke.INSTANCE);
      case INTERESTED -> withoutFields("interested", length, Interested.INSTANCE);
      case NOT_INTERESTED -> withoutFields("not interested", length, NotInterested.INSTANCE);
      case HAVE -> {
        requireLength("have", length, 5);
        yield new Have(in.getInt());
      }
      case BITFIELD -> new BitfieldMessage(in);
      case REQUEST -> {
        requireLength("request", length, 13);
        yield new Request(in.getInt(), in.getInt(), in.getInt());
      }
      case PIECE -> {
        requireAtLeast("piece", length, PIECE_HEADER);
        yield new Piece(in.getInt(), in.getInt(), in);
      }
      case CANCEL -> {
        requireLength("cancel", length, 13);
        yield new Cancel(in.getInt(), in.getInt(), in.getInt());
      }
      case PORT -> {
        requireLength("port", length, 3);
        yield new Port(in.getShort() & 0xffff);
      }
      case EXTENDED -> {
        requireAtLeast("extended", length, 2);
        yield new Extended(in.get() & 0xff, in);
      }
      default -> throw new MalformedMessageException(
          "unknown peer message id " + id + " in a frame of " + length + " bytes");
    };
  }

  /**
   * Writes a message as a whole frame, length prefix included, ready to be read. The one copy of
   * a block's bytes is the one into this frame.
   */
  public ByteBuffer encode(PeerMessage message) {
    if (message instanceof KeepAlive) {
      return frame(0).flip();
    } else if (message instanceof Choke) {
      return frame(1).put((byte) CHOKE).flip();
    } else if (message instanceof Unchoke) {
      return frame(1).put((byte) UNCHOKE).flip();
    } else if (message instanceof Interested) {
      return frame(1).put((byte) INTERESTED).flip();
    } else if (message instanceof NotInterested) {
      return frame(1).put((byte) NOT_INTERESTED).flip();
    } else if (message instanceof Have have) {
      return frame(5).put((byte) HAVE).putInt(have.piece()).flip();
    } else if (message instanceof BitfieldMessage bitfield) {
      ByteBuffer bits = bitfield.bits();
      return frame(1 + bits.remaining()).put((byte) BITFIELD).put(bits).flip();
    } else if (message instanceof Request request) {
      return block(REQUEST, request.piece(), request.begin(), request.length());
    } else if (message instanceof Piece piece) {
      ByteBuffer block = piece.block();
      return frame(PIECE_HEADER + block.remaining())
          .put((byte) PIECE).putInt(piece.piece()).putInt(piece.begin()).put(block).flip();
    } else if (message instanceof Cancel cancel) {
      return block(CANCEL, cancel.piece(), cancel.begin(), cancel.length());
    } else if (message instanceof Port port) {
      return frame(3).put((byte) PORT).putShort((short) port.port()).flip();
    } else if (message instanceof Extended extended) {
      ByteBuffer payload = extended.payload();
      return frame(2 + payload.remaining())
          .put((byte) EXTENDED).put((byte) extended.extendedId()).put(payload).flip();
    }
    throw new IllegalArgumentException("not a peer wire message: " + message);
  }

  private static ByteBuffer frame(int payloadLength) {
    return ByteBuffer.allocate(LENGTH_PREFIX + payloadLength).putInt(payloadLength);
  }

  private static ByteBuffer block(int id, int piece, int begin, int length) {
    return frame(13).put((byte) id).putInt(piece).putInt(begin).putInt(length).flip();
  }

  private static PeerMessage withoutFields(String name, int length, PeerMessage message) {
    requireLength(name, length, 1);
    return message;
  }

  private static void requireLength(String name, int length, int expected) {
    if (length != expected) {
      throw new MalformedMessageException(
          name + " message: expected " + expected + " bytes with its id, got " + length);
    }
  }

  private static void requireAtLeast(String name, int length, int minimum) {
    if (length < minimum) {
      throw new MalformedMessageException(
          name + " message: expected at least " + minimum + " bytes with its id, got " + length);
    }
  }
}
