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
 * @param network the CNI network to run on (null: the host's, unless ports are published, which
 *     then go to the default network {@code terrace})
 * @param ports the {@code -p} ports to publish from the host into the task
 */
public record RunSpec(String master, double cpus, double memMb, String name, Map<String, String> env,
    Duration launchTimeout, List<String> argv, String image, String network,
    List<PublishedPort> ports) {

  /** A task in the host's filesystem (no image). */
  public RunSpec(String master, double cpus, double memMb, String name, Map<String, String> env,
      Duration launchTimeout, List<String> argv) {
    this(master, cpus, memMb, name, env, launchTimeout, argv, null);
  }

  /** A task on the host's network. */
  public RunSpec(String master, double cpus, double memMb, String name, Map<String, String> env,
      Duration launchTimeout, List<String> argv, String image) {
    this(master, cpus, memMb, name, env, launchTimeout, argv, image, null, List.of());
  }

  /** The network the task joins, or null for the host's. */
  public String effectiveNetwork() {
    return network != null ? network
        : ports.isEmpty() ? null : dev.terrace.common.network.TaskNetworkRules.DEFAULT_NETWORK;
  }

  public RunSpec {
    Objects.requireNonNull(master, "master");
    env = env == null ? Map.of() : Map.copyOf(env);
    argv = argv == null ? List.of() : List.copyOf(argv);
    ports = ports == null ? List.of() : List.copyOf(ports);
    if (network != null && network.isBlank()) {
      throw new IllegalArgumentException("--network needs a network name");
    }
    if (argv.isEmpty() && image == null) {
      throw new IllegalArgumentException("no command to run (give one after --, or an --image)");
    }
    if (!(cpus > 0) || !(memMb > 0)) {
      throw new IllegalArgumentException("--cpus and --mem must be positive");
    }
  }
}
