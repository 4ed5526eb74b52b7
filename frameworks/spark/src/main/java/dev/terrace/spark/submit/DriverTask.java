package dev.terrace.spark.submit;

import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.Environment;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.spark.executor.OfferedResources;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.network.util.JavaUtils;

/**
 * The Terrace task that runs a Spark driver in cluster mode: the same JVM command as client mode
 * ({@link SparkSubmit#driverCommand}), run by an agent in host mode, with {@code spark.driver.cores}
 * cpus and {@code --driver-memory} plus overhead of mem. Jars given as http(s) URLs are fetched
 * into the task's sandbox by the agent ({@code CommandInfo.uris}) and are also put in {@code
 * spark.jars}, so each executor fetches them as well; other jars are absolute paths that must exist
 * on the agent, as Spark's Java classpath must (and go to {@code spark.jars} too when executors run
 * in an image, which lacks the agent's paths).
 */
public final class DriverTask {
  public static final TaskId TASK_ID = TaskId.of("spark-driver");
  static final long MIN_OVERHEAD_MB = 384;

  private final SubmitOptions options;
  private final String javaHome;
  private final String sparkClasspath;
  private final double cpus;
  private final long memMb;

  /**
   * @param javaHome       the JVM the agent runs the driver with
   * @param sparkClasspath Terrace's Spark module and its dependencies, as paths on the agent
   */
  public DriverTask(SubmitOptions options, String javaHome, String sparkClasspath) {
    this.options = options;
    this.javaHome = javaHome;
    this.sparkClasspath = sparkClasspath;
    this.cpus = positive("spark.driver.cores", options.conf().getOrDefault("spark.driver.cores", "1"));
    long heapMb = sizeMb("--driver-memory", options.driverMemory());
    String overhead = options.conf().get("spark.driver.memoryOverhead");
    // As Spark computes it on YARN and Kubernetes: 10% of the heap, at least 384 MiB.
    this.memMb = heapMb + (overhead != null ? sizeMb("spark.driver.memoryOverhead", overhead)
        : Math.max(MIN_OVERHEAD_MB, heapMb / 10));
  }

  public double cpus() {
    return cpus;
  }

  public long memMb() {
    return memMb;
  }

  /** Whether {@code offer} has room for the driver. */
  public boolean fits(Offer offer) {
    OfferedResources offered = new OfferedResources(offer.resources());
    return offered.has("cpus", cpus) && offered.has("mem", memMb);
  }

  /** The driver task on {@code offer}, which must {@link #fits fit} it. */
  public TaskInfo build(Offer offer) {
    OfferedResources offered = new OfferedResources(offer.resources());
    List<Resource> resources = new ArrayList<>(offered.take("cpus", cpus));
    resources.addAll(offered.take("mem", memMb));

    boolean inImage = SparkSubmit.executorsInImage(options.conf());
    List<CommandInfo.Uri> uris = new ArrayList<>();
    List<String> classpathJars = new ArrayList<>();
    List<String> executorJars = new ArrayList<>();
    List<String> jars = new ArrayList<>();
    jars.add(options.appJar());
    jars.addAll(options.jars());
    for (int i = 0; i < jars.size(); i++) {
      String jar = jars.get(i);
      if (!isRemote(jar)) {
        classpathJars.add(SparkSubmit.absolute(jar));
        if (inImage) {
          executorJars.add(SparkSubmit.absolute(jar));
        }
        continue;
      }
      // A relative classpath entry: the driver's working directory is its sandbox.
      String inSandbox = "jars/" + i + "-" + fileName(jar);
      uris.add(new CommandInfo.Uri(jar, false, false, false, inSandbox));
      classpathJars.add(inSandbox);
      executorJars.add(withoutFragment(jar));
    }
    Map<String, String> conf = new LinkedHashMap<>(options.conf());
    // The task's own hostname resolves nowhere; the agent's address does (host network).
    conf.putIfAbsent("spark.driver.host", offer.hostname());
    SparkSubmit.addSparkJars(conf, executorJars);
    List<String> argv = SparkSubmit.driverCommand(options, conf, classpathJars, javaHome, sparkClasspath);
    CommandInfo command = new CommandInfo(uris, Environment.of(Map.of(
        "SPARK_LOCAL_IP", offer.hostname(), "SPARK_LOCAL_HOSTNAME", offer.hostname())),
        false, argv.get(0), argv, null);
    String appName = conf.getOrDefault("spark.app.name", options.mainClass());
    return TaskInfo.command("spark driver (" + appName + ")", TASK_ID, offer.agentId(), resources, command);
  }

  static boolean isRemote(String jar) {
    return jar.startsWith("http://") || jar.startsWith("https://");
  }

  private static String fileName(String url) {
    String path = URI.create(withoutFragment(url)).getPath();
    String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    return name.isEmpty() ? "app.jar" : name;
  }

  /** The URL without the fetcher's {@code #sha256=} digest, which Spark would take for a file name. */
  private static String withoutFragment(String url) {
    int hash = url.indexOf('#');
    return hash < 0 ? url : url.substring(0, hash);
  }

  private static double positive(String key, String value) {
    try {
      double v = Double.parseDouble(value.trim());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(key + " must be a number above 0, not '" + value + "'");
  }

  private static long sizeMb(String key, String value) {
    try {
      return JavaUtils.byteStringAsMb(value.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + " is not a size such as 512m or 2g: '" + value + "'");
    }
  }
}
