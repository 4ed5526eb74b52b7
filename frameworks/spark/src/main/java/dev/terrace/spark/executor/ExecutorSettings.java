package dev.terrace.spark.executor;

import dev.terrace.spark.placement.AgentConstraints;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.network.util.JavaUtils;

/**
 * What the application's Spark configuration asks of its executors on Terrace, read once when the
 * backend starts. Bad values are refused with the key and the reason, before anything is launched.
 *
 * @param cores           {@code spark.executor.cores} (default 1): cpus of each executor task
 * @param heapMb          {@code spark.executor.memory} (default 1g): the executor's -Xmx
 * @param overheadMb      {@code spark.executor.memoryOverhead}, else heap × {@code
 *                        spark.executor.memoryOverheadFactor} (0.10), at least 384 MiB, as Spark
 *                        computes it on YARN and Kubernetes; added to the task's mem
 * @param coresMax        {@code spark.cores.max}: cpus over all executors (unlimited by default)
 * @param initialTarget   executors wanted at start: {@code spark.executor.instances}, or the
 *                        dynamic allocation's initial count when it is on; unlimited otherwise
 * @param role            {@code spark.terrace.role} (default {@code *})
 * @param constraints     {@code spark.terrace.constraints} on agent attributes
 * @param maxAgentFailures {@code spark.terrace.executor.maxAgentFailures} (default 2): executors
 *                        that may fail on one agent before it gets no more of this app's executors
 * @param javaHome        {@code spark.terrace.executor.javaHome}, default the driver's java.home
 * @param classpath       {@code spark.terrace.executor.classpath}, default the driver's classpath
 *                        (host mode: the same paths must exist on every agent), after
 *                        {@code spark.executor.extraClassPath}
 * @param javaOptions     {@code spark.executor.extraJavaOptions}, split on white space
 * @param image           {@code spark.terrace.executor.image}: the image executors run in (its
 *                        own root file system, which must hold {@code javaHome} and {@code
 *                        classpath}), or null for host mode
 */
public record ExecutorSettings(
    int cores,
    long heapMb,
    long overheadMb,
    int coresMax,
    int initialTarget,
    String role,
    AgentConstraints constraints,
    int maxAgentFailures,
    String javaHome,
    String classpath,
    List<String> javaOptions,
    String image) {

  public static final int UNLIMITED = Integer.MAX_VALUE;
  static final long MIN_OVERHEAD_MB = 384;

  /** Reads the settings from a Spark configuration given as {@code key -> value if set}. */
  public static ExecutorSettings from(Function<String, Optional<String>> conf) {
    int cores = positiveInt(conf, "spark.executor.cores", 1);
    long heapMb = sizeMb(conf, "spark.executor.memory", "1g");
    double factor = conf.apply("spark.executor.memoryOverheadFactor").map(v -> parseDouble("spark.executor.memoryOverheadFactor", v)).orElse(0.10);
    long overheadMb = conf.apply("spark.executor.memoryOverhead").isPresent()
        ? sizeMb(conf, "spark.executor.memoryOverhead", "0")
        : Math.max(MIN_OVERHEAD_MB, (long) (heapMb * factor));
    int coresMax = positiveInt(conf, "spark.cores.max", UNLIMITED);
    if (coresMax < cores) {
      throw new IllegalArgumentException("spark.cores.max (" + coresMax + ") is below spark.executor.cores ("
          + cores + "): no executor could ever be launched");
    }
    int target = initialTarget(conf);
    String classpath = conf.apply("spark.terrace.executor.classpath").orElse(System.getProperty("java.class.path"));
    Optional<String> extra = conf.apply("spark.executor.extraClassPath").filter(s -> !s.isBlank());
    if (extra.isPresent()) {
      classpath = extra.get() + ":" + classpath;
    }
    List<String> javaOptions = conf.apply("spark.executor.extraJavaOptions")
        .map(s -> Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList()).orElse(List.of());
    Optional<String> image = conf.apply("spark.terrace.executor.image").map(String::trim).filter(v -> !v.isEmpty());
    if (image.isPresent() && (conf.apply("spark.terrace.executor.javaHome").isEmpty()
        || conf.apply("spark.terrace.executor.classpath").isEmpty())) {
      // The driver's own paths are the host's; in an image they would point at nothing.
      throw new IllegalArgumentException("spark.terrace.executor.image needs spark.terrace.executor.javaHome and"
          + " spark.terrace.executor.classpath: the JVM and Spark's jars inside " + image.get());
    }
    return new ExecutorSettings(cores, heapMb, overheadMb, coresMax, target,
        conf.apply("spark.terrace.role").orElse("*"),
        AgentConstraints.parse(conf.apply("spark.terrace.constraints").orElse("")),
        positiveInt(conf, "spark.terrace.executor.maxAgentFailures", 2),
        conf.apply("spark.terrace.executor.javaHome").orElse(System.getProperty("java.home")),
        classpath, javaOptions, image.orElse(null));
  }

  /** The mem of one executor task: heap plus overhead. */
  public double taskMemMb() {
    return heapMb + overheadMb;
  }

  private static int initialTarget(Function<String, Optional<String>> conf) {
    boolean dynamic = conf.apply("spark.dynamicAllocation.enabled").map(Boolean::parseBoolean).orElse(false);
    Optional<Integer> instances = conf.apply("spark.executor.instances")
        .map(v -> nonNegative("spark.executor.instances", v));
    if (!dynamic) {
      return instances.orElse(UNLIMITED);
    }
    // What Spark's Utils.getDynamicAllocationInitialExecutors takes: the largest of the three.
    int min = conf.apply("spark.dynamicAllocation.minExecutors").map(v -> nonNegative("spark.dynamicAllocation.minExecutors", v)).orElse(0);
    int initial = conf.apply("spark.dynamicAllocation.initialExecutors").map(v -> nonNegative("spark.dynamicAllocation.initialExecutors", v)).orElse(min);
    return Math.max(Math.max(min, initial), instances.orElse(0));
  }

  private static int positiveInt(Function<String, Optional<String>> conf, String key, int dflt) {
    int v = conf.apply(key).map(s -> nonNegative(key, s)).orElse(dflt);
    if (v < 1) {
      throw new IllegalArgumentException(key + " must be at least 1, not " + v);
    }
    return v;
  }

  private static int nonNegative(String key, String value) {
    return nonNegative(key, value, Integer::parseInt, "a whole number");
  }

  private static double parseDouble(String key, String value) {
    return nonNegative(key, value, Double::parseDouble, "a number");
  }

  private static <T extends Number> T nonNegative(String key, String value, Function<String, T> parse, String kind) {
    T v;
    try {
      v = parse.apply(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not " + kind + ": '" + value + "'");
    }
    if (v.doubleValue() < 0) {
      throw new IllegalArgumentException(key + " must not be negative: " + value);
    }
    return v;
  }

  private static long sizeMb(Function<String, Optional<String>> conf, String key, String dflt) {
    String value = conf.apply(key).orElse(dflt);
    try {
      // Spark's own reading of sizes: a bare number is MiB, suffixes k/m/g/t (and kb, mb, ...).
      return JavaUtils.byteStringAsMb(value.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + " is not a size such as 512m or 2g: '" + value + "'");
    }
  }
}
