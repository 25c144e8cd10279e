package io.swarmshare.messages.tracker.udp;

import java.util.Objects;

/** The tracker refuses a request; the message is for a human. */
public record ErrorResponse(int transactionId, String message) implements UdpTrackerResponse {

  public ErrorResponse {
    Objects.requireNonNull(message, "message");
  }
}
