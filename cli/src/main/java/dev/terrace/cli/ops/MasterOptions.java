package dev.terrace.cli.ops;

import picocli.CommandLine.Option;

/** The options every operator command takes: where the master is, and JSON for scripts. */
public final class MasterOptions {
  @Option(names = "--master", defaultValue = "${env:TERRACE_MASTER:-http://127.0.0.1:5050}",
      description = "http://host:port or zk://host:port/path (env TERRACE_MASTER, default ${DEFAULT-VALUE}).")
  public String master;

  @Option(names = "--json", description = "Print the master's JSON instead of a table (for scripts).")
  public boolean json;
}
