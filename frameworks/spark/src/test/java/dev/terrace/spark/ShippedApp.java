package dev.terrace.spark;

import dev.terrace.spark.examples.SparkPi;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A Spark application that the cluster-mode test ships only in a jar served over HTTP: the
 * driver and the executors can load it from nowhere else, so its running proves that both fetched
 * the jar. Prints SparkPi's estimate and a sum computed by a lambda of this class.
 */
public final class ShippedApp {
  private ShippedApp() {}

  public static void main(String[] args) {
    int slices = Integer.parseInt(args[0]);
    try (JavaSparkContext sc = new JavaSparkContext(new SparkConf())) {
      System.out.println("Pi is roughly " + SparkPi.estimate(sc, slices));
      List<Integer> numbers = new ArrayList<>();
      for (int i = 1; i <= 100; i++) {
        numbers.add(i);
      }
      System.out.println("Sum of squares: " + sc.parallelize(numbers, slices).map(n -> n * n).reduce(Integer::sum));
    }
  }
}
