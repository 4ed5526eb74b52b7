package dev.terrace.spark.submit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@code terrace spark-submit}: spark-submit's own options (the ones that mean
 * something on Terrace), then the application jar and its arguments.
 */
public record SubmitOptions(
    String master,
    String mainClass,
    String appJar,
    List<String> appArgs,
    List<String> jars,
    Map<String, String> conf,
    String driverMemory,
    boolean clusterMode) {

  static final String USAGE = String.join("\n",
      "usage: terrace spark-submit --master terrace://HOST:PORT|terrace://zk://HOST:2181/terrace",
      "         --class MAIN [--name NAME] [--conf KEY=VALUE]... [--jars JAR,...]",
      "         [--executor-memory SIZE] [--executor-cores N] [--total-executor-cores N]",
      "         [--num-executors N] [--driver-memory SIZE] [--driver-cores N]",
      "         [--deploy-mode client|cluster] APP_JAR [APP_ARGS...]",
      "Executors run as Terrace tasks; the driver runs here (client mode, the default) or as a",
      "Terrace task (cluster mode: APP_JAR must be a path the agent can read, or an http(s) URL).");

  /** Parses {@code args}; a wrong one is refused with what is wrong and the usage. */
  public static SubmitOptions parse(List<String> args) {
    String master = null;
    String mainClass = null;
    String driverMemory = "1g";
    boolean cluster = false;
    List<String> jars = new ArrayList<>();
    Map<String, String> conf = new LinkedHashMap<>();
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("--")) {
      String option = args.get(i);
      if (i + 1 >= args.size()) {
        throw invalid(option + " needs a value");
      }
      String value = args.get(i + 1);
      switch (option) {
        case "--master" -> master = terraceUrl(value);
        case "--class" -> mainClass = value;
        case "--name" -> conf.put("spark.app.name", value);
        case "--conf" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw invalid("--conf takes KEY=VALUE, not '" + value + "'");
          }
          conf.put(value.substring(0, eq), value.substring(eq + 1));
        }
        case "--jars" -> jars.addAll(List.of(value.split(",")));
        case "--executor-memory" -> conf.put("spark.executor.memory", value);
        case "--executor-cores" -> conf.put("spark.executor.cores", value);
        case "--total-executor-cores" -> conf.put("spark.cores.max", value);
        case "--num-executors" -> conf.put("spark.executor.instances", value);
        case "--driver-memory" -> driverMemory = value;
        case "--driver-cores" -> conf.put("spark.driver.cores", value);
        case "--deploy-mode" -> cluster = switch (value) {
          case "client" -> false;
          case "cluster" -> true;
          default -> throw invalid("--deploy-mode is client or cluster, not '" + value + "'");
        };
        default -> throw invalid("unknown option " + option);
      }
      i += 2;
    }
    if (master == null) {
      throw invalid("--master is required");
    }
    if (mainClass == null) {
      throw invalid("--class is required");
    }
    if (i >= args.size()) {
      throw invalid("the application jar is missing");
    }
    return new SubmitOptions(master, mainClass, args.get(i), List.copyOf(args.subList(i + 1, args.size())),
        List.copyOf(jars), conf, driverMemory, cluster);
  }

  /** Accepts what an operator has at hand: a terrace:// URL, the master's http:// URL or a zk:// URL. */
  static String terraceUrl(String master) {
    if (master.startsWith("terrace://")) {
      return master;
    }
    if (master.startsWith("http://")) {
      return "terrace://" + master.substring("http://".length());
    }
    if (master.startsWith("zk://")) {
      return "terrace://" + master;
    }
    throw invalid("--master must be terrace://HOST:PORT, terrace://zk://HOST:2181/PATH, http://HOST:PORT"
        + " or zk://HOST:2181/PATH, not '" + master + "'");
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException(why + "\n" + USAGE);
  }
}
