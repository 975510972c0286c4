package dev.atrium.identity.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Latency samples of one kind (a whole login, one step of it, a grant), at most {@code capacity} of them. */
final class Latencies {

  private final long[] nanos;
  private final AtomicInteger count = new AtomicInteger();

  Latencies(int capacity) {
    this.nanos = new long[capacity];
  }

  void add(long sampleNanos) {
    int i = count.getAndIncrement();
    if (i < nanos.length) {
      nanos[i] = sampleNanos;
    }
  }

  int count() {
    return Math.min(count.get(), nanos.length);
  }

  /** Count, mean, p50, p90, p99 and max in milliseconds (the nearest-rank percentile). */
  Map<String, Object> summary() {
    int n = count();
    long[] sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("samples", n);
    if (n == 0) {
      return out;
    }
    out.put("mean", round(Arrays.stream(sorted).average().orElse(0) / 1e6));
    out.put("p50", percentile(sorted, 0.50));
    out.put("p90", percentile(sorted, 0.90));
    out.put("p99", percentile(sorted, 0.99));
    out.put("max", round(sorted[n - 1] / 1e6));
    return out;
  }

  private static double percentile(long[] sorted, double quantile) {
    int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return round(sorted[Math.max(0, index)] / 1e6);
  }

  static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  static double round3(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
