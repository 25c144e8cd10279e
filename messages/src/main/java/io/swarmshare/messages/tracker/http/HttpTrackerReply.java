package io.swarmshare.messages.tracker.http;

/** What an HTTP tracker answers: the response asked for, or a {@code failure reason}. */
public sealed interface HttpTrackerReply permits HttpAnnounceResponse, HttpScrapeResponse, HttpFailure {}
