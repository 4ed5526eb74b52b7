package dev.terrace.spark.examples;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Spark's classic example: estimates pi by throwing points at the unit square, spread over the
 * executors. {@code terrace spark-submit --class dev.terrace.spark.examples.SparkPi [slices]}.
 */
public final class SparkPi {
  private SparkPi() {}

  /** Points per slice; the estimate's error shrinks with their number. */
  static final int POINTS_PER_SLICE = 100_000;

  public static void main(String[] args) {
    int slices = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setIfMissing("spark.app.name", "SparkPi"))) {
      System.out.println("Pi is roughly " + estimate(sc, slices));
    }
  }

  /** Pi from {@code slices} tasks of {@link #POINTS_PER_SLICE} random points each. */
  public static double estimate(JavaSparkContext sc, int slices) {
    List<Integer> seeds = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      seeds.add(i);
    }
    long inside = sc.parallelize(seeds, slices).map(seed -> {
      java.util.Random random = new java.util.Random(seed);
      long hits = 0;
      for (int i = 0; i < POINTS_PER_SLICE; i++) {
        double x = random.nextDouble() * 2 - 1;
        double y = random.nextDouble() * 2 - 1;
        if (x * x + y * y <= 1) {
          hits++;
        }
      }
      return hits;
    }).reduce(Long::sum);
    return 4.0 * inside / ((long) slices * POINTS_PER_SLICE);
  }
}
