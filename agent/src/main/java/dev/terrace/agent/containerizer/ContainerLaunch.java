package dev.terrace.agent.containerizer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to start one task container.
 *
 * @param containerId unique id, also the runtime's container id and the cgroup leaf name
 * @param sandbox the task's sandbox directory on the host; it becomes the working directory and is
 *     mounted at {@code /mnt/mesos/sandbox}; {@code stdout} and {@code stderr} files go in it
 * @param argv the process to run (a shell command arrives as {@code /bin/sh -c CMD})
 * @param env the full environment of the process
 * @param cpus cpu shares as a fraction of cores; becomes a CFS quota (cpus * period)
 * @param memoryBytes hard memory limit; the kernel OOM-kills above it
 * @param hostname the container's own hostname (uts namespace)
 * @param image image reference, or null to run in (a copy-on-write view of) the host filesystem
 */
public record ContainerLaunch(
    String containerId,
    Path sandbox,
    List<String> argv,
    Map<String, String> env,
    double cpus,
    long memoryBytes,
    String hostname,
    String image) {

  public ContainerLaunch {
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(sandbox, "sandbox");
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv is empty");
    }
  }
}
