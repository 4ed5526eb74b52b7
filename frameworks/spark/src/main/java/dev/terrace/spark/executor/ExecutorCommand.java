package dev.terrace.spark.executor;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line of one Spark executor: a JVM running Spark's {@code CoarseGrainedExecutorBackend},
 * which connects back to the driver, registers under its executor id and takes tasks.
 */
public final class ExecutorCommand {
  /**
   * What Spark 3.5 needs to run on Java 17 (the list of {@code
   * org.apache.spark.launcher.JavaModuleOptions}); harmless on Java versions that lack a package.
   */
  public static final List<String> JAVA_17_OPTIONS = List.of(
      "-XX:+IgnoreUnrecognizedVMOptions",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "-Djdk.reflect.useDirectMethodHandle=false");

  static final String MAIN_CLASS = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

  private ExecutorCommand() {}

  /** The argv of executor {@code executorId} on {@code hostname}. */
  public static List<String> argv(ExecutorSettings settings, String driverUrl, String appId,
      String executorId, String hostname) {
    List<String> argv = new ArrayList<>();
    argv.add(settings.javaHome() + "/bin/java");
    argv.add("-Xmx" + settings.heapMb() + "m");
    argv.addAll(JAVA_17_OPTIONS);
    // Every task sees its own sandbox at /mnt/mesos/sandbox, where Spark keeps its block manager's
    // files: the path another executor on the same host reports is not its files here, so
    // shuffle blocks are fetched over the network rather than read from that host's disk.
    argv.add("-Dspark.shuffle.readHostLocalDisk=false");
    argv.addAll(settings.javaOptions());
    argv.add("-cp");
    argv.add(settings.classpath());
    argv.add(MAIN_CLASS);
    argv.addAll(List.of("--driver-url", driverUrl, "--executor-id", executorId, "--hostname", hostname,
        "--cores", Integer.toString(settings.cores()), "--app-id", appId, "--resourceProfileId", "0"));
    return argv;
  }
}
