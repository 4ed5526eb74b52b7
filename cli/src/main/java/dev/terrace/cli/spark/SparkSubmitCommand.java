package dev.terrace.cli.spark;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code terrace spark-submit}: runs a Spark application on Terrace. The CLI does not link Spark
 * (its hundred-odd jars would land in every master's and agent's classpath); it starts Terrace's
 * Spark launcher ({@code dev.terrace.spark.submit.SparkSubmit} in frameworks/spark) on the Spark
 * module's classpath, which starts the driver.
 */
@Command(
    name = "spark-submit",
    description = {"Run a Spark application on Terrace: executors as tasks, the driver here (client mode)",
        "or as a task too (--deploy-mode cluster: APP_JAR on a path the agent can read, or an http(s) URL).",
        "Takes spark-submit's options: --master, --class, --name, --conf K=V, --jars, --executor-memory,",
        "--executor-cores, --total-executor-cores, --num-executors, --driver-memory, --driver-cores,",
        "--deploy-mode client|cluster; then APP_JAR [ARGS]."},
    footer = {"", "Example: terrace spark-submit --master terrace://127.0.0.1:5050 \\",
        "  --class dev.terrace.spark.examples.SparkPi frameworks/spark/target/terrace-spark.jar 10"})
public class SparkSubmitCommand implements Callable<Integer> {
  static final String LAUNCHER = "dev.terrace.spark.submit.SparkSubmit";

  @Option(names = "--spark-classpath", paramLabel = "CP", defaultValue = "${env:TERRACE_SPARK_CLASSPATH}",
      description = "Classpath of Terrace's Spark module and Spark (env TERRACE_SPARK_CLASSPATH; default "
          + "frameworks/spark/target/terrace-spark.jar and frameworks/spark/target/lib/* of this checkout).")
  String sparkClasspath;

  /** Everything else, in order: spark-submit's options, APP_JAR and its arguments, for the launcher. */
  @Unmatched
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    String classpath = sparkClasspath != null ? sparkClasspath : checkoutClasspath();
    if (classpath == null) {
      System.err.println("terrace spark-submit: Terrace's Spark module is not built; run "
          + "`mvn -pl frameworks/spark -am package -DskipTests` or set TERRACE_SPARK_CLASSPATH");
      return 2;
    }
    List<String> argv = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath, LAUNCHER));
    if (!args.contains("--master")) {
      String master = System.getenv("TERRACE_MASTER");
      argv.addAll(List.of("--master", master != null ? master : "http://127.0.0.1:5050"));
    }
    argv.addAll(args);
    Process launcher = new ProcessBuilder(argv).inheritIO().start();
    Runtime.getRuntime().addShutdownHook(new Thread(launcher::destroy));
    return launcher.waitFor();
  }

  /** The Spark module built in the checkout this CLI runs from (cli/target/terrace-cli.jar). */
  static String checkoutClasspath() throws Exception {
    Path cliJar = Path.of(SparkSubmitCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path checkout = cliJar.getParent().getParent().getParent();
    Path target = checkout.resolve("frameworks/spark/target");
    Path jar = target.resolve("terrace-spark.jar");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(target.resolve("lib"))) {
      return null;
    }
    return jar + File.pathSeparator + target.resolve("lib") + File.separator + "*";
  }
}
