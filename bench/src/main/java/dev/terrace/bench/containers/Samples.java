package dev.terrace.bench.containers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Durations in milliseconds and their percentiles. */
final class Samples {
  private final List<Double> millis = new ArrayList<>();

  /** Adds the time since {@code startNanos}. */
  void since(long startNanos) {
    millis.add((System.nanoTime() - startNanos) / 1e6);
  }

  /** Adds a duration given in nanoseconds. */
  void addNanos(long nanos) {
    millis.add(nanos / 1e6);
  }

  boolean isEmpty() {
    return millis.isEmpty();
  }

  double p(int percentile) {
    if (millis.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    int i = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return round(sorted.get(Math.max(0, i)));
  }

  static double round(double v) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.2f", v));
  }
}
