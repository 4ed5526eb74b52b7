package dev.terrace.spark.submit;

import dev.terrace.spark.executor.ExecutorCommand;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code terrace spark-submit}: starts a Spark application's driver in this host's JVM (client
 * mode) with a classpath of the application jar, {@code --jars} and Terrace's Spark classpath
 * (Spark's own {@code spark-submit} refuses master URLs it does not know). The executors, which
 * Terrace starts with the driver's classpath, need the same paths on the agents.
 */
public final class SparkSubmit {
  private SparkSubmit() {}

  public static void main(String[] args) throws Exception {
    SubmitOptions options;
    try {
      options = SubmitOptions.parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("terrace spark-submit: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (options.clusterMode()) {
      int code;
      try {
        code = ClusterSubmit.run(options, System.getProperty("java.home"), System.getProperty("java.class.path"),
            System.out, System.err);
      } catch (IllegalArgumentException e) {
        System.err.println("terrace spark-submit: " + e.getMessage());
        code = 2;
      }
      System.exit(code);
      return;
    }
    Process driver = new ProcessBuilder(driverCommand(options, System.getProperty("java.home"),
        System.getProperty("java.class.path"))).inheritIO().start();
    Runtime.getRuntime().addShutdownHook(new Thread(driver::destroy));
    System.exit(driver.waitFor());
  }

  /** The driver's argv; {@code sparkClasspath} is Terrace's Spark module and its dependencies. */
  static List<String> driverCommand(SubmitOptions options, String javaHome, String sparkClasspath) {
    List<String> jars = new ArrayList<>();
    jars.add(absolute(options.appJar()));
    options.jars().forEach(j -> jars.add(absolute(j)));
    Map<String, String> conf = new LinkedHashMap<>(options.conf());
    if (executorsInImage(conf)) {
      addSparkJars(conf, jars);
    }
    return driverCommand(options, conf, jars, javaHome, sparkClasspath);
  }

  /**
   * The driver's argv with Spark configuration {@code conf} and {@code appJars} (the application
   * jar, then {@code --jars}) as the classpath entries they have where the driver runs.
   */
  static List<String> driverCommand(SubmitOptions options, Map<String, String> conf, List<String> appJars,
      String javaHome, String sparkClasspath) {
    List<String> argv = new ArrayList<>();
    argv.add(javaHome + "/bin/java");
    argv.add("-Xmx" + options.driverMemory());
    argv.addAll(ExecutorCommand.JAVA_17_OPTIONS);
    argv.add("-Dspark.master=" + options.master());
    argv.add("-Dspark.submit.deployMode=client");
    for (Map.Entry<String, String> c : conf.entrySet()) {
      argv.add("-D" + c.getKey() + "=" + c.getValue());
    }
    if (!conf.containsKey("spark.app.name")) {
      argv.add("-Dspark.app.name=" + options.mainClass());
    }
    // Absolute paths: executors start from the driver's classpath in their own sandboxes.
    Set<String> classpath = new LinkedHashSet<>(appJars);
    for (String entry : sparkClasspath.split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        classpath.add(absolute(entry));
      }
    }
    argv.add("-cp");
    argv.add(String.join(File.pathSeparator, classpath));
    argv.add(options.mainClass());
    argv.addAll(options.appArgs());
    return argv;
  }

  /** Whether executors run in an image, which does not hold the host's paths of the jars. */
  static boolean executorsInImage(Map<String, String> conf) {
    return !conf.getOrDefault("spark.terrace.executor.image", "").isBlank();
  }

  /**
   * Adds {@code jars} to {@code spark.jars}, which every executor fetches: from the driver's file
   * server when a jar is a path, straight from the server when it is a URL.
   */
  static void addSparkJars(Map<String, String> conf, List<String> jars) {
    if (jars.isEmpty()) {
      return;
    }
    String existing = conf.get("spark.jars");
    conf.put("spark.jars", (existing == null || existing.isBlank() ? "" : existing + ",") + String.join(",", jars));
  }

  static String absolute(String path) {
    return Path.of(path).toAbsolutePath().normalize().toString();
  }
}
