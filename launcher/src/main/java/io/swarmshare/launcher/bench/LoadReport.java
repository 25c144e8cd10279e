package io.swarmshare.launcher.bench;

import java.util.Locale;

/**
 * What one run measured, over its measured phase only (after the warm-up). Printed as one line of
 * {@code key=value} pairs, which people can read and scripts can pick apart.
 *
 * @param announces announce responses that passed every check
 * @param errorResponses error responses (action 3) to connects or announces
 * @param invalid responses that failed a check, or that answered nothing we sent
 * @param timeouts requests unanswered after the timeout, each then sent again
 * @param late responses to requests that had already timed out and been sent again
 * @param unreachable ICMP port unreachable reports: nothing listens at the target
 * @param sendFailures requests the socket would not take (buffer full), left to time out
 * @param acknowledged in a fill, the peers whose started announce was answered
 * @param failed in a fill, the peers given up on after the retries
 */
record LoadReport(
    String mode,
    int window,
    double seconds,
    long announces,
    long connects,
    long errorResponses,
    long invalid,
    long timeouts,
    long late,
    long unreachable,
    long sendFailures,
    long p50Micros,
    long p90Micros,
    long p99Micros,
    long maxMicros,
    double meanMicros,
    int peers,
    long acknowledged,
    long failed) {

  long errors() {
    return errorResponses + invalid + unreachable;
  }

  double rate() {
    return seconds <= 0 ? 0 : announces / seconds;
  }

  String line() {
    return String.format(
        Locale.ROOT,
        "mode=%s window=%d seconds=%.3f announces=%d rate=%.1f p50_us=%d p90_us=%d p99_us=%d"
            + " max_us=%d mean_us=%.1f errors=%d error_responses=%d invalid=%d timeouts=%d"
            + " late=%d unreachable=%d send_failures=%d connects=%d peers=%d acknowledged=%d"
            + " failed=%d",
        mode, window, seconds, announces, rate(), p50Micros, p90Micros, p99Micros, maxMicros,
        meanMicros, errors(), errorResponses, invalid, timeouts, late, unreachable, sendFailures,
        connects, peers, acknowledged, failed);
  }
}
