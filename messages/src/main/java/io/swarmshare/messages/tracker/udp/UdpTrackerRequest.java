package io.swarmshare.messages.tracker.udp;

/** A datagram a client sends to a UDP tracker (BEP 15). */
public sealed interface UdpTrackerRequest permits ConnectRequest, AnnounceRequest, ScrapeRequest {

  /** The client's tag for this exchange, echoed in the response so it can match the two. */
  int transactionId();
}
