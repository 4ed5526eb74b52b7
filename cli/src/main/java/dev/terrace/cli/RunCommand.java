package dev.terrace.cli;

import dev.terrace.cli.run.RunSpec;
import dev.terrace.cli.run.TaskRunner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code terrace run}: run one command on the cluster as if it ran here. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Run one command as a task on the cluster and follow it.",
        "State changes go to stderr,",
        "the task's stdout and stderr are copied to ours as they are written, and the task's exit",
        "code becomes ours (125 when it could not be launched).",
        "One CMD word runs under /bin/sh -c; several run as an argv without a shell."},
    footer = {"", "Every option's default can be set with the TERRACE_* variable named with it.",
        "Example: terrace run --cpus 1 --mem 256 -- python3 -c 'print(42)'"})
public class RunCommand implements Callable<Integer> {

  @Option(names = "--master", paramLabel = "URL",
      defaultValue = "${env:TERRACE_MASTER:-http://127.0.0.1:5050}",
      description = "Master: http://host:port or zk://host:port[,host:port]/path "
          + "(env TERRACE_MASTER, default ${DEFAULT-VALUE}).")
  String master;

  @Option(names = "--cpus", paramLabel = "N", defaultValue = "${env:TERRACE_CPUS:-0.1}",
      description = "CPUs for the task (env TERRACE_CPUS, default ${DEFAULT-VALUE}).")
  double cpus;

  @Option(names = "--mem", paramLabel = "MB", defaultValue = "${env:TERRACE_MEM:-32}",
      description = "Memory for the task in MB (env TERRACE_MEM, default ${DEFAULT-VALUE}).")
  double mem;

  @Option(names = "--name", paramLabel = "NAME", defaultValue = "${env:TERRACE_NAME}",
      description = "Task name (env TERRACE_NAME, default the program's name).")
  String name;

  // Split only at a comma that starts another NAME=, so TERRACE_ENV can hold several pairs while
  // a value such as "-Da=1,-Db=2" stays whole.
  @Option(names = "--env", paramLabel = "K=V", split = ",(?=[A-Za-z_][A-Za-z0-9_]*=)",
      defaultValue = "${env:TERRACE_ENV}",
      description = "Environment variable for the task; repeatable "
          + "(env TERRACE_ENV: K=V pairs separated by commas).")
  Map<String, String> env = new LinkedHashMap<>();

  @Option(names = "--timeout-seconds", paramLabel = "N",
      defaultValue = "${env:TERRACE_TIMEOUT_SECONDS:-60}",
      description = "How long to wait for the master and a fitting offer before giving up with 125; "
          + "0 waits for ever. Does not limit the task's run time "
          + "(env TERRACE_TIMEOUT_SECONDS, default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--image", paramLabel = "REF", defaultValue = "${env:TERRACE_IMAGE}",
      description = "Run in this container image ([registry/][namespace/]repo[:tag][@digest]); "
          + "without CMD the image's own entrypoint runs (env TERRACE_IMAGE).")
  String image;

  @Option(names = "--job", paramLabel = "NAME",
      description = "Submit through the jobs framework as job NAME (created or updated), so the run is kept in its history.")
  String job;

  @Option(names = "--jobs", paramLabel = "URL", defaultValue = "${env:TERRACE_JOBS:-http://127.0.0.1:5060}",
      description = "The jobs framework for --job (env TERRACE_JOBS, default ${DEFAULT-VALUE}).")
  String jobsUrl;
  @Option(names = "--network", paramLabel = "NAME", defaultValue = "${env:TERRACE_NETWORK}",
      description = "Run on this CNI network of the agent (its own network namespace and address;"
          + " every agent has the bridge network 'terrace') instead of the host's (env TERRACE_NETWORK).")
  String network;

  @Option(names = {"-p", "--publish"}, paramLabel = "[HOST_PORT:]CONTAINER_PORT[/udp]",
      description = "Forward a host port to a container port; without HOST_PORT any free port of"
          + " the offer is taken and printed. Repeatable; implies --network terrace when none is given.")
  List<String> publish = new java.util.ArrayList<>();

  @Parameters(arity = "0..*", paramLabel = "CMD", description = "The command, after --.")
  List<String> command;

  /** The parsed options as the runner's input; package-visible for tests. */
  RunSpec toSpec() {
    if (timeoutSeconds < 0) {
      throw new IllegalArgumentException("--timeout-seconds must not be negative");
    }
    return new RunSpec(master, cpus, mem, name, env, Duration.ofSeconds(timeoutSeconds), command,
        image, network, publish.stream().map(dev.terrace.cli.run.PublishedPort::parse).toList());
  }

  @Override
  public Integer call() {
    if ((command == null || command.isEmpty()) && image == null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "Missing the command to run (after --), or an --image whose own command runs");
    }
    RunSpec runSpec;
    try {
      runSpec = toSpec();
    } catch (IllegalArgumentException e) {
      System.err.println("terrace: " + e.getMessage());
      return 125;
    }
    quietSdkLogs();
    if (job != null) {
      return new JobRunThrough(jobsUrl, job).run(command, image, cpus, mem, runSpec.env());
    }
    return new TaskRunner(runSpec, System.out, System.err).run();
  }

  /**
   * Our stdout is the task's stdout and our stderr carries "terrace:" messages; the SDK's own
   * progress logging (which logback's default setup even prints to stdout) would corrupt both.
   */
  private static void quietSdkLogs() {
    if (LoggerFactory.getLogger("dev.terrace.sdk") instanceof ch.qos.logback.classic.Logger sdk) {
      sdk.setLevel(ch.qos.logback.classic.Level.ERROR);
    }
  }
}
