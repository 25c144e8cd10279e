package io.swarmshare.messages.tracker.udp;

/** A datagram a UDP tracker answers with (BEP 15). */
public sealed interface UdpTrackerResponse
    permits ConnectResponse, AnnounceResponse, ScrapeResponse, ErrorResponse {

  /** The transaction id of the request this answers. */
  int transactionId();
}
