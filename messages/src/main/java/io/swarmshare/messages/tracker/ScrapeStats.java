package io.swarmshare.messages.tracker;

/**
 * The counts of one swarm in a scrape response, UDP (BEP 15) or HTTP (BEP 48).
 *
 * @param completed how many peers have ever finished the download
 */
public record ScrapeStats(int seeders, int completed, int leechers) {}
