package io.swarmshare.peer.session;

import io.swarmshare.messages.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The client a peer id names, by the Azureus-style convention most clients follow
 * ({@code -XXvvvv-}: two letters for the client, four for its version): "libtorrent 2.0.8.0",
 * "Transmission 3.0.0.0". An id of another shape, or of a client not in the table, is shown by
 * its printable prefix, never raw bytes.
 */
public final class ClientNames {

  private static final Map<String, String> CLIENTS = Map.ofEntries(
      Map.entry("AZ", "Vuze"), Map.entry("BI", "BiglyBT"), Map.entry("BT", "BitTorrent"), Map.entry("DE", "Deluge"),
      Map.entry("FD", "Free Download Manager"), Map.entry("KT", "KTorrent"), Map.entry("LT", "libtorrent"),
      Map.entry("lt", "rTorrent"), Map.entry("qB", "qBittorrent"), Map.entry("SS", "swarmshare"),
      Map.entry("TR", "Transmission"), Map.entry("UT", "\u00b5Torrent"), Map.entry("UM", "\u00b5Torrent Mac"),
      Map.entry("WW", "WebTorrent"));

  private ClientNames() {}

  public static String of(PeerId id) {
    String ascii = new String(id.bytes(), 0, 8, StandardCharsets.ISO_8859_1);
    if (ascii.matches("-[A-Za-z]{2}[0-9A-Za-z]{4}-")) {
      String client = CLIENTS.get(ascii.substring(1, 3));
      String version = String.join(".", ascii.substring(3, 7).chars().mapToObj(c -> version((char) c)).toList());
      return (client == null ? ascii.substring(1, 3) : client) + " " + version;
    }
    StringBuilder printable = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      char c = (char) (id.bytes()[i] & 0xff);
      printable.append(c >= 0x21 && c < 0x7f ? c : '?');
    }
    return printable.toString();
  }

  /** One version digit: 0-9, or a letter standing for 10 and up. */
  private static String version(char c) {
    if (Character.isDigit(c)) {
      return String.valueOf(c);
    }
    return String.valueOf(Character.isUpperCase(c) ? c - 'A' + 10 : c - 'a' + 36);
  }
}
