package io.swarmshare.messages.wire;

import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.bencode.BDict;
import io.swarmshare.messages.bencode.BInteger;
import io.swarmshare.messages.bencode.BString;
import io.swarmshare.messages.bencode.BValue;
import io.swarmshare.messages.bencode.BencodeDecoder;
import io.swarmshare.messages.bencode.BencodeEncoder;
import io.swarmshare.messages.bencode.BencodeException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * BEP 10's extension handshake, the payload of extended message 0: which extensions the sender
 * speaks and the message id it wants each sent under ({@code m}; 0 turns one off), and, among the
 * optional keys, the size of the torrent's info dictionary (BEP 9's {@code metadata_size}), its
 * client's name ({@code v}), its listening port ({@code p}) and how many requests it queues
 * ({@code reqq}). Keys it does not know are ignored, as BEP 10 asks.
 */
public record ExtensionHandshake(Map<String, Integer> extensions, OptionalLong metadataSize, Optional<String> client,
    OptionalInt port, OptionalInt requestQueue) {

  /** BEP 9's extension: the info dictionary, sent in pieces. */
  public static final String UT_METADATA = "ut_metadata";

  /** A handshake is a small dictionary; clients send a few hundred bytes. */
  public static final int MAX_LENGTH = 64 * 1024;
  private static final BencodeDecoder DECODER = new BencodeDecoder(8, 2_000);

  public ExtensionHandshake {
    extensions = Map.copyOf(extensions);
  }

  /** The id the sender wants {@code name} sent under, if it speaks it. */
  public OptionalInt idOf(String name) {
    Integer id = extensions.get(name);
    return id == null || id == 0 ? OptionalInt.empty() : OptionalInt.of(id);
  }

  public ByteBuffer encode() {
    BDict.Builder m = BDict.builder();
    extensions.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> m.put(e.getKey(), e.getValue()));
    BDict.Builder out = BDict.builder().put("m", m.build());
    metadataSize.ifPresent(size -> out.put("metadata_size", size));
    port.ifPresent(p -> out.put("p", p));
    requestQueue.ifPresent(q -> out.put("reqq", q));
    client.ifPresent(v -> out.put("v", v));
    return ByteBuffer.wrap(BencodeEncoder.encode(out.build()));
  }

  public static ExtensionHandshake decode(ByteBuffer payload) {
    if (payload.remaining() > MAX_LENGTH) {
      throw invalid(payload.remaining() + " bytes, more than the " + MAX_LENGTH + " one may have");
    }
    byte[] bytes = new byte[payload.remaining()];
    payload.duplicate().get(bytes);
    BValue root;
    try {
      root = DECODER.decodeAll(bytes);
    } catch (BencodeException e) {
      throw invalid("not bencoded: " + e.getMessage());
    }
    if (!(root instanceof BDict dict)) {
      throw invalid(root.kind() + ", not a dictionary");
    }
    Map<String, Integer> extensions = new LinkedHashMap<>();
    Optional<BValue> m = dict.get("m");
    if (m.isPresent()) {
      if (!(m.get() instanceof BDict names)) {
        throw invalid("'m' is " + m.get().kind() + ", not a dictionary");
      }
      for (Map.Entry<BString, BValue> e : names.entries().entrySet()) {
        // A name we cannot read or an id out of range names nothing we could speak: skipped.
        Optional<String> name = e.getKey().utf8();
        if (name.isPresent() && e.getValue() instanceof BInteger id && id.value() >= 0 && id.value() <= 0xff) {
          extensions.put(name.get(), (int) id.value());
        }
      }
    }
    OptionalLong metadataSize = integer(dict, "metadata_size");
    if (metadataSize.isPresent() && metadataSize.getAsLong() <= 0) {
      throw invalid("metadata_size " + metadataSize.getAsLong() + " is not positive");
    }
    OptionalLong port = integer(dict, "p");
    OptionalLong reqq = integer(dict, "reqq");
    Optional<String> client = dict.get("v").flatMap(v -> v instanceof BString s ? s.utf8() : Optional.empty());
    return new ExtensionHandshake(extensions, metadataSize,
        client,
        port.isPresent() && port.getAsLong() > 0 && port.getAsLong() <= 0xffff
            ? OptionalInt.of((int) port.getAsLong()) : OptionalInt.empty(),
        reqq.isPresent() && reqq.getAsLong() > 0 && reqq.getAsLong() <= Integer.MAX_VALUE
            ? OptionalInt.of((int) reqq.getAsLong()) : OptionalInt.empty());
  }

  private static OptionalLong integer(BDict dict, String key) {
    return dict.get(key).map(v -> v instanceof BInteger i ? OptionalLong.of(i.value()) : OptionalLong.empty())
        .orElse(OptionalLong.empty());
  }

  private static MalformedMessageException invalid(String what) {
    return new MalformedMessageException("an extension handshake: " + what);
  }
}
