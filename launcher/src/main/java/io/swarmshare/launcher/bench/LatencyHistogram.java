package io.swarmshare.launcher.bench;

import java.util.Arrays;

/**
 * Latencies in microseconds, counted in log-linear buckets (as HdrHistogram does): exact below
 * 256, then 128 buckets per power of two, so a percentile is off by less than 1% of its value.
 * Fixed size whatever it records, no allocation per value. The maximum and the sum are exact.
 */
final class LatencyHistogram {

  private static final int SUB_BITS = 8;
  private static final int HALF = 1 << (SUB_BITS - 1);
  /** Values are clamped below 2^48 us (about 9 years). */
  private static final int MAX_BITS = 48;
  private static final long MAX_VALUE = (1L << MAX_BITS) - 1;

  private final long[] counts = new long[index(MAX_VALUE) + 1];
  private long count;
  private long sum;
  private long max;

  void record(long micros) {
    long value = Math.min(Math.max(micros, 0), MAX_VALUE);
    counts[index(value)]++;
    count++;
    sum += value;
    max = Math.max(max, value);
  }

  void reset() {
    Arrays.fill(counts, 0);
    count = 0;
    sum = 0;
    max = 0;
  }

  long count() {
    return count;
  }

  long max() {
    return max;
  }

  double mean() {
    return count == 0 ? 0 : (double) sum / count;
  }

  /**
   * The smallest recorded value (to the bucket's precision) that at least {@code percent} of the
   * values do not exceed; 0 when nothing was recorded. Reports a bucket by its highest value,
   * never above the maximum recorded.
   */
  long percentile(double percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("a percentile is 0..100, got " + percent);
    }
    if (count == 0) {
      return 0;
    }
    long wanted = Math.max(1, (long) Math.ceil(percent / 100 * count));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= wanted) {
        return Math.min(highestIn(i), max);
      }
    }
    return max;
  }

  static int index(long value) {
    if (value < 2 * HALF) {
      return (int) value;
    }
    int shift = 63 - Long.numberOfLeadingZeros(value) - SUB_BITS + 1;
    return shift * HALF + (int) (value >>> shift);
  }

  static long lowestIn(int index) {
    if (index < 2 * HALF) {
      return index;
    }
    int shift = index / HALF - 1;
    long sub = index - (long) shift * HALF;
    return sub << shift;
  }

  static long highestIn(int index) {
    return lowestIn(index + 1) - 1;
  }
}
