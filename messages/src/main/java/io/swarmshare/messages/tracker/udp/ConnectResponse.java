package io.swarmshare.messages.tracker.udp;

/**
 * Hands the client a connection id. Being able to send it back proves that the client receives
 * at the address it sends from, so that announces cannot be spoofed.
 */
public record ConnectResponse(int transactionId, long connectionId) implements UdpTrackerResponse {}
