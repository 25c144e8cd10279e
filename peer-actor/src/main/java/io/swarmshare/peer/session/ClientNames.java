package io.swarmshare.peer.session;

import io.swarmshare.messages.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client a peer id names, by the Azureus-style convention most clients follow
 * ({@code -XXvvvv-}: two letters for the client, four for its version): "libtorrent 2.0.8.0",
 * "Transmission 3.0.0.0"; and by the older Shadow-style one ({@code Tvvv--}: one letter for the
 * client, up to five for its version, dashes after), "BitTornado 0.3.18". An id of another shape,
 * or a Shadow-style letter not in its table, is shown by its printable prefix, never raw bytes.
 */
public final class ClientNames {

  private static final Map<String, String> CLIENTS = Map.ofEntries(
      Map.entry("AZ", "Vuze"), Map.entry("BI", "BiglyBT"), Map.entry("BT", "BitTorrent"), Map.entry("DE", "Deluge"),
      Map.entry("FD", "Free Download Manager"), Map.entry("KT", "KTorrent"), Map.entry("LT", "libtorrent"),
      Map.entry("lt", "rTorrent"), Map.entry("qB", "qBittorrent"), Map.entry("SS", "swarmshare"),
      Map.entry("TR", "Transmission"), Map.entry("UT", "\u00b5Torrent"), Map.entry("UM", "\u00b5Torrent Mac"),
      Map.entry("WW", "WebTorrent"));

  /** Shadow's table: only these letters are read as a client, so a random id is rarely taken for one. */
  private static final Map<Character, String> SHADOW_CLIENTS = Map.of(
      'A', "ABC", 'O', "Osprey Permaseed", 'Q', "BTQueue", 'R', "Tribler", 'S', "Shadow", 'T', "BitTornado",
      'U', "UPnP NAT Bit Torrent");
  private static final Pattern AZUREUS = Pattern.compile("-([A-Za-z]{2})([0-9A-Za-z]{4})-");
  /** The letter, the version digits, then at least two dashes of padding (random bytes may follow). */
  private static final Pattern SHADOW = Pattern.compile("([A-Z])([0-9A-Za-z.]{1,5}?)--");

  private ClientNames() {}

  public static String of(PeerId id) {
    String ascii = new String(id.bytes(), 0, 8, StandardCharsets.ISO_8859_1);
    Matcher azureus = AZUREUS.matcher(ascii);
    if (azureus.matches()) {
      String client = CLIENTS.get(azureus.group(1));
      return (client == null ? azureus.group(1) : client) + " " + versionOf(azureus.group(2));
    }
    Matcher shadow = SHADOW.matcher(ascii);
    if (shadow.lookingAt() && SHADOW_CLIENTS.containsKey(shadow.group(1).charAt(0))) {
      return SHADOW_CLIENTS.get(shadow.group(1).charAt(0)) + " " + versionOf(shadow.group(2));
    }
    StringBuilder printable = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      char c = (char) (id.bytes()[i] & 0xff);
      printable.append(c >= 0x21 && c < 0x7f ? c : '?');
    }
    return printable.toString();
  }

  private static String versionOf(String digits) {
    return String.join(".", digits.chars().mapToObj(c -> version((char) c)).toList());
  }

  /** One version digit: 0-9, a letter standing for 10 and up (A-Z 10-35, a-z 36-61), or '.' for 62. */
  private static String version(char c) {
    if (Character.isDigit(c)) {
      return String.valueOf(c);
    }
    if (c == '.') {
      return "62";
    }
    return String.valueOf(Character.isUpperCase(c) ? c - 'A' + 10 : c - 'a' + 36);
  }
}
