package io.swarmshare.messages.tracker.http;

/** A tracker's refusal: {@code d14:failure reason...e}. */
public record HttpFailure(String reason) implements HttpTrackerReply {}
