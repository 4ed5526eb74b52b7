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
    Duration launchTimeout, List<String> argv) {

  public RunSpec {
    Objects.requireNonNull(master, "master");
    env = env == null ? Map.of() : Map.copyOf(env);
    argv = List.copyOf(argv);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("no command to run");
    }
    if (!(cpus > 0) || !(memMb > 0)) {
      throw new IllegalArgumentException("--cpus and --mem must be positive");
    }
  }
}
