package dev.terrace.spark.examples;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Counts the words of a text file on the executors.
 * {@code terrace spark-submit --class dev.terrace.spark.examples.WordCount FILE}; the file must be
 * readable at the same path on the agents (host mode) or be on a shared file system.
 */
public final class WordCount {
  private WordCount() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: WordCount FILE");
      System.exit(2);
    }
    try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setIfMissing("spark.app.name", "WordCount"))) {
      count(sc, args[0], 4).forEach((word, n) -> System.out.println(word + "\t" + n));
    }
  }

  /** Each word of {@code path} (split on white space) with its count, in word order. */
  public static Map<String, Long> count(JavaSparkContext sc, String path, int partitions) {
    return new TreeMap<>(sc.textFile(path, partitions)
        .flatMap(line -> Arrays.stream(line.trim().split("\\s+")).filter(w -> !w.isEmpty()).iterator())
        .mapToPair(w -> new Tuple2<>(w, 1L))
        .reduceByKey(Long::sum)
        .collectAsMap());
  }
}
