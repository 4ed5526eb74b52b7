package dev.terrace.cli.run;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code terrace run} was asked to do, free of command-line parsing.
 *
 * @param launchTimeout how long to wait for the task to be launched (subscription plus a fitting
 *     offer); zero waits for ever. It does not limit how long the task runs.
 */
public record RunSpec(String master, double cpus, double memMb, String name, Map<String, String> env,
    Duration launchTimeout, List<String> argv, String image) {

  /** A task in the host's filesystem (no image). */
  public RunSpec(String master, double cpus, double memMb, String name, Map<String, String> env,
      Duration launchTimeout, List<String> argv) {
    this(master, cpus, memMb, name, env, launchTimeout, argv, null);
  }

  public RunSpec {
    Objects.requireNonNull(master, "master");
    env = env == null ? Map.of() : Map.copyOf(env);
    argv = argv == null ? List.of() : List.copyOf(argv);
    if (argv.isEmpty() && image == null) {
      throw new IllegalArgumentException("no command to run (give one after --, or an --image)");
    }
    if (!(cpus > 0) || !(memMb > 0)) {
      throw new IllegalArgumentException("--cpus and --mem must be positive");
    }
  }
}
