package io.swarmshare.daemon.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.peer.Session;
import java.util.HashSet;
import java.util.Set;

/**
 * The {@code ids} argument of Transmission's torrent methods: absent for every torrent, a number
 * (an id), a string (an info hash, 40 hex digits), or a list of either; and, for
 * {@code torrent-get} alone, the string {@code "recently-active"}, which the caller asks the
 * session for itself ({@link Session.GetRecentlyActive}).
 */
final class RpcIds {

  private RpcIds() {}

  static final String RECENTLY_ACTIVE = "recently-active";

  static boolean recentlyActive(JsonNode ids) {
    return ids != null && ids.isTextual() && ids.textValue().equals(RECENTLY_ACTIVE);
  }

  static Session.Selection selection(JsonNode ids) {
    if (ids == null || ids.isNull()) {
      return Session.Selection.everything();
    }
    Set<Integer> numbers = new HashSet<>();
    Set<InfoHash> hashes = new HashSet<>();
    if (ids.isArray()) {
      ids.forEach(id -> one(id, numbers, hashes));
    } else {
      one(ids, numbers, hashes);
    }
    return new Session.Selection(false, Set.copyOf(numbers), Set.copyOf(hashes));
  }

  private static void one(JsonNode id, Set<Integer> numbers, Set<InfoHash> hashes) {
    if (id.isIntegralNumber() && id.canConvertToInt()) {
      numbers.add(id.intValue());
    } else if (id.isTextual() && id.textValue().equals(RECENTLY_ACTIVE)) {
      throw new TransmissionRpc.RpcError("ids 'recently-active' is only supported by torrent-get, on its own");
    } else if (id.isTextual()) {
      try {
        hashes.add(InfoHash.fromHex(id.textValue()));
      } catch (MalformedMessageException | IllegalArgumentException e) {
        throw new TransmissionRpc.RpcError("invalid torrent id " + id.textValue() + ": not an id nor an info hash");
      }
    } else {
      throw new TransmissionRpc.RpcError("invalid torrent id " + id + ": not an id nor an info hash");
    }
  }
}
