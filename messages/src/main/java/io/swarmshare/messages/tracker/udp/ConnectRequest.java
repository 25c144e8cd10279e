package io.swarmshare.messages.tracker.udp;

/** The first step of BEP 15: asks for a connection id, which later requests must carry. */
public record ConnectRequest(int transactionId) implements UdpTrackerRequest {}
