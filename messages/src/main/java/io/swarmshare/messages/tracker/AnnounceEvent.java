package io.swarmshare.messages.tracker;

import io.swarmshare.messages.MalformedMessageException;

/**
 * Why a peer announces: the {@code event} of an announce, with its code in UDP announces
 * (BEP 15) and its name in HTTP ones (BEP 3). A regular re-announce carries no event.
 */
public enum AnnounceEvent {
  NONE(0, ""),
  COMPLETED(1, "completed"),
  STARTED(2, "started"),
  STOPPED(3, "stopped");

  private final int udpCode;
  private final String httpName;

  AnnounceEvent(int udpCode, String httpName) {
    this.udpCode = udpCode;
    this.httpName = httpName;
  }

  public int udpCode() {
    return udpCode;
  }

  /** The value of the {@code event} query parameter; empty for {@link #NONE}, which omits it. */
  public String httpName() {
    return httpName;
  }

  /**
   * BEP 21's {@code paused} (code 4, name "paused"), which libtorrent 2 sends for a paused
   * torrent, is read as a regular announce, as that BEP asks of trackers that do not track it.
   */
  private static final int PAUSED_CODE = 4;
  private static final String PAUSED_NAME = "paused";

  public static AnnounceEvent fromUdpCode(int code) {
    if (code == PAUSED_CODE) {
      return NONE;
    }
    for (AnnounceEvent event : values()) {
      if (event.udpCode == code) {
        return event;
      }
    }
    throw new MalformedMessageException(
        "unknown announce event code " + Integer.toUnsignedString(code));
  }

  /** Reads an {@code event} parameter; an empty one is {@link #NONE}. Case matters, as in BEP 3. */
  public static AnnounceEvent fromHttpName(String name) {
    if (name.equals(PAUSED_NAME)) {
      return NONE;
    }
    for (AnnounceEvent event : values()) {
      if (event.httpName.equals(name)) {
        return event;
      }
    }
    throw new MalformedMessageException("unknown announce event \"" + name + "\"");
  }
}
