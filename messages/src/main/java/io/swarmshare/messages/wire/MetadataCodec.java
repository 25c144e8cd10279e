package io.swarmshare.messages.wire;

import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.bencode.BDict;
import io.swarmshare.messages.bencode.BInteger;
import io.swarmshare.messages.bencode.BValue;
import io.swarmshare.messages.bencode.BencodeDecoder;
import io.swarmshare.messages.bencode.BencodeEncoder;
import io.swarmshare.messages.bencode.BencodeException;
import io.swarmshare.messages.wire.MetadataMessage.Data;
import io.swarmshare.messages.wire.MetadataMessage.Reject;
import io.swarmshare.messages.wire.MetadataMessage.Request;
import java.nio.ByteBuffer;

/** Reads and writes BEP 9's {@link MetadataMessage}s: a bencoded dictionary, for data followed by the piece. */
public final class MetadataCodec {

  /** The dictionary of a message is a handful of integers; the rest of a frame is a piece's bytes. */
  private static final BencodeDecoder DECODER = new BencodeDecoder(2, 16);

  private MetadataCodec() {}

  public static ByteBuffer encode(MetadataMessage message) {
    int type = message instanceof Request ? 0 : message instanceof Data ? 1 : 2;
    BDict.Builder dict = BDict.builder().put("msg_type", type).put("piece", message.piece());
    if (message instanceof Data data) {
      byte[] head = BencodeEncoder.encode(dict.put("total_size", data.totalSize()).build());
      ByteBuffer bytes = data.bytes();
      return ByteBuffer.allocate(head.length + bytes.remaining()).put(head).put(bytes).flip();
    }
    return ByteBuffer.wrap(BencodeEncoder.encode(dict.build()));
  }

  public static MetadataMessage decode(ByteBuffer payload) {
    byte[] bytes = new byte[payload.remaining()];
    payload.duplicate().get(bytes);
    BValue head;
    try {
      head = DECODER.decodePrefix(bytes);
    } catch (BencodeException e) {
      throw invalid("not a bencoded dictionary: " + e.getMessage());
    }
    if (!(head instanceof BDict dict)) {
      throw invalid(head.kind() + ", not a dictionary");
    }
    long type = integer(dict, "msg_type");
    long piece = integer(dict, "piece");
    if (piece < 0 || piece > Integer.MAX_VALUE) {
      throw invalid("piece " + piece + " is out of range");
    }
    int end = head.span().orElseThrow().end();
    if (type != 1 && end != bytes.length) {
      throw invalid((bytes.length - end) + " bytes after a message that carries none");
    }
    return switch ((int) type) {
      case 0 -> new Request((int) piece);
      case 1 -> {
        long total = integer(dict, "total_size");
        int length = bytes.length - end;
        if (total <= 0) {
          throw invalid("total_size " + total + " is not positive");
        }
        if (length > MetadataMessage.PIECE_LENGTH) {
          throw invalid("a piece of " + length + " bytes, more than " + MetadataMessage.PIECE_LENGTH);
        }
        yield new Data((int) piece, total, ByteBuffer.wrap(bytes, end, length));
      }
      case 2 -> new Reject((int) piece);
      default -> throw invalid("unknown msg_type " + type);
    };
  }

  private static long integer(BDict dict, String key) {
    BValue value = dict.get(key).orElseThrow(() -> invalid("no '" + key + "'"));
    if (!(value instanceof BInteger i)) {
      throw invalid("'" + key + "' is " + value.kind() + ", not an integer");
    }
    return i.value();
  }

  private static MalformedMessageException invalid(String what) {
    return new MalformedMessageException("a ut_metadata message: " + what);
  }
}
