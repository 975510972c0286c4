package dev.atrium.netdisk.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Medians and spreads of per-round figures, percentiles of latencies, rounding for the results file. */
final class Stats {

  private Stats() {
  }

  /** median, min, max and the spread (max - min) / median of some per-round figures. */
  static Map<String, Object> spread(Collection<Double> values) {
    List<Double> sorted = new ArrayList<>(values.stream().filter(v -> v != null && !v.isNaN()).toList());
    sorted.sort(null);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rounds", sorted.size());
    if (sorted.isEmpty()) {
      return out;
    }
    double median = median(sorted);
    out.put("median", round3(median));
    out.put("min", round3(sorted.getFirst()));
    out.put("max", round3(sorted.getLast()));
    out.put("spreadPercent", median == 0 ? null : round(100 * (sorted.getLast() - sorted.getFirst()) / median));
    return out;
  }

  static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Count, p50, p90, p99 and max of latencies in milliseconds (nearest rank). */
  static Map<String, Object> latencies(Collection<Double> millis) {
    List<Double> sorted = new ArrayList<>(millis);
    sorted.sort(null);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("samples", sorted.size());
    if (sorted.isEmpty()) {
      return out;
    }
    out.put("p50", round(percentile(sorted, 0.50)));
    out.put("p90", round(percentile(sorted, 0.90)));
    out.put("p99", round(percentile(sorted, 0.99)));
    out.put("max", round(sorted.getLast()));
    return out;
  }

  static double percentile(List<Double> sorted, double quantile) {
    int index = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
    return sorted.get(Math.max(0, index));
  }

  static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  static double round3(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
