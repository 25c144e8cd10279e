package io.swarmshare.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void anEmptyHistogramReportsZeros() {
    LatencyHistogram histogram = new LatencyHistogram();

    assertThat(histogram.count()).isZero();
    assertThat(histogram.percentile(50)).isZero();
    assertThat(histogram.percentile(99)).isZero();
    assertThat(histogram.max()).isZero();
    assertThat(histogram.mean()).isZero();
  }

  @Test
  void smallValuesAreExact() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (int v = 100; v >= 1; v--) {
      histogram.record(v);
    }

    assertThat(histogram.count()).isEqualTo(100);
    assertThat(histogram.percentile(50)).isEqualTo(50);
    assertThat(histogram.percentile(99)).isEqualTo(99);
    assertThat(histogram.percentile(100)).isEqualTo(100);
    assertThat(histogram.percentile(0)).isEqualTo(1);
    assertThat(histogram.max()).isEqualTo(100);
    assertThat(histogram.mean()).isEqualTo(50.5);
  }

  @Test
  void aSingleValueIsEveryPercentileAndNeverRoundedAboveTheMaximum() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(123_457);

    assertThat(histogram.percentile(1)).isEqualTo(123_457);
    assertThat(histogram.percentile(50)).isEqualTo(123_457);
    assertThat(histogram.percentile(99.9)).isEqualTo(123_457);
    assertThat(histogram.max()).isEqualTo(123_457);
  }

  @Test
  void percentilesOfLargeValuesAreWithinOnePercentOfTheExactOnes() {
    Random random = new Random(42);
    LatencyHistogram histogram = new LatencyHistogram();
    long[] values = new long[100_000];
    for (int i = 0; i < values.length; i++) {
      // log-uniform over 1 us .. 10 s, as latencies spread
      values[i] = (long) Math.exp(random.nextDouble() * Math.log(10_000_000));
      histogram.record(values[i]);
    }
    Arrays.sort(values);

    for (double p : new double[] {1, 10, 50, 90, 99, 99.9}) {
      long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
      assertThat((double) histogram.percentile(p))
          .as("p%s", p)
          .isCloseTo(exact, within(Math.max(1, exact * 0.01)));
    }
    assertThat(histogram.max()).isEqualTo(values[values.length - 1]);
    assertThat(histogram.mean())
        .isCloseTo(Arrays.stream(values).average().orElseThrow(), within(1e-6));
  }

  @Test
  void bucketsTileTheValuesWithoutGapsAndStayNarrow() {
    for (int index = 0; index < LatencyHistogram.index(1L << 40); index++) {
      long low = LatencyHistogram.lowestIn(index);
      long high = LatencyHistogram.highestIn(index);
      assertThat(LatencyHistogram.index(low)).isEqualTo(index);
      assertThat(LatencyHistogram.index(high)).isEqualTo(index);
      assertThat(LatencyHistogram.index(high + 1)).isEqualTo(index + 1);
      assertThat(high - low + 1).isLessThanOrEqualTo(Math.max(1, low / 128));
    }
  }

  @Test
  void negativeValuesCountAsZeroAndHugeOnesAreClamped() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(-5);
    histogram.record(Long.MAX_VALUE);

    assertThat(histogram.count()).isEqualTo(2);
    assertThat(histogram.percentile(50)).isZero();
    assertThat(histogram.percentile(100)).isEqualTo(histogram.max()).isPositive();
  }

  @Test
  void resetForgetsEverything() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(10);
    histogram.record(1_000_000);
    histogram.reset();
    histogram.record(7);

    assertThat(histogram.count()).isEqualTo(1);
    assertThat(histogram.percentile(99)).isEqualTo(7);
    assertThat(histogram.max()).isEqualTo(7);
  }

  @Test
  void refusesPercentilesOutsideZeroToHundred() {
    LatencyHistogram histogram = new LatencyHistogram();

    assertThatThrownBy(() -> histogram.percentile(100.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> histogram.percentile(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
