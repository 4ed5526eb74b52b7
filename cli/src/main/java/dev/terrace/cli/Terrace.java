package dev.terrace.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code terrace} command. */
@Command(
    name = "terrace",
    mixinStandardHelpOptions = true,
    version = "terrace 0.1.0",
    description = "Terrace: a cluster manager in the lineage of Apache Mesos.",
    subcommands = {
      LocalCommand.class,
      MasterCommand.class,
      AgentCommand.class,
      ZkCommand.class,
      RunCommand.class,
      PsCommand.class,
      LogsCommand.class,
      ExecCommand.class,
      dev.terrace.cli.image.ImageCommand.class,
      JobCommand.class,
      ServiceCommand.class,
      NotebookCommand.class,
      dev.terrace.cli.ops.KillCommand.class,
      dev.terrace.cli.ops.AgentsCommand.class,
      dev.terrace.cli.ops.FrameworksCommand.class,
      dev.terrace.cli.ops.TopCommand.class,
      dev.terrace.cli.ops.MaintenanceCommand.class,
      dev.terrace.cli.ops.QuotaCommand.class,
      dev.terrace.cli.ops.WeightsCommand.class,
      dev.terrace.cli.ops.ExplainCommand.class,
      dev.terrace.cli.spark.SparkSubmitCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Terrace implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  public static void main(String[] args) {
    // `run` and `exec` speak for themselves on stderr; component logs would drown the task's output.
    boolean quiet = args.length > 0 && (args[0].equals("run") || args[0].equals("exec"));
    if (quiet && System.getenv("TERRACE_LOG_LEVEL") == null) {
      System.setProperty("TERRACE_LOG_LEVEL", "WARN");
    }
    System.exit(new CommandLine(new Terrace()).execute(args));
  }
}
