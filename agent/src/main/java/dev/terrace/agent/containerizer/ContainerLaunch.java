package dev.terrace.agent.containerizer;

import dev.terrace.agent.network.NetworkRequest;
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
 * @param useImageCommand the task gave no command line of its own: run the image's Entrypoint
 *     followed by {@code argv} (possibly empty) or, when {@code argv} is empty, by its Cmd
 * @param network the CNI network to join in a network namespace of its own, or null to share the
 *     host's network (host mode)
 * @param user the task's own user ({@code CommandInfo.user}, already allowed by the master's
 *     {@code run_tasks} ACL), resolved in the container's root filesystem; null: the image's
 *     {@code User}, else root
 * @param userNamespace run in a user namespace of its own, its ids mapped to an unprivileged host
 *     range ({@link dev.terrace.agent.spec.UserNamespace}), so that its root is not the host's
 * @param volumes host directories bound into the container (Mesos {@code host_path} volumes)
 * @param forcePull ask the registry for the image again even when it is cached (Mesos
 *     {@code Image.cached: false}, Docker {@code force_pull_image}); by default a cached image is
 *     used as it is, as Mesos does, so a launch makes no registry round trip
 */
public record ContainerLaunch(
    String containerId,
    Path sandbox,
    List<String> argv,
    Map<String, String> env,
    double cpus,
    long memoryBytes,
    String hostname,
    String image,
    boolean useImageCommand,
    NetworkRequest network,
    String user,
    boolean userNamespace,
    List<HostVolume> volumes,
    boolean forcePull) {

  /**
   * A directory of the agent's volumes bound into the container: {@code hostPath} is relative to
   * the agent's volume directory (so a task can never name an arbitrary host path), and outlives
   * the task, so the next task given the same path finds the files again.
   */
  public record HostVolume(String hostPath, String containerPath, boolean readOnly) {
    public HostVolume {
      Objects.requireNonNull(hostPath, "hostPath");
      Objects.requireNonNull(containerPath, "containerPath");
    }
  }

  public ContainerLaunch {
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(sandbox, "sandbox");
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    if (useImageCommand && image == null) {
      throw new IllegalArgumentException("useImageCommand needs an image");
    }
    if (argv.isEmpty() && !useImageCommand) {
      throw new IllegalArgumentException("argv is empty");
    }
  }

  /** A launch whose argv is the whole command line. */
  public ContainerLaunch(String containerId, Path sandbox, List<String> argv,
      Map<String, String> env, double cpus, long memoryBytes, String hostname, String image) {
    this(containerId, sandbox, argv, env, cpus, memoryBytes, hostname, image, false);
  }

  /** A launch on the host's network. */
  public ContainerLaunch(String containerId, Path sandbox, List<String> argv,
      Map<String, String> env, double cpus, long memoryBytes, String hostname, String image,
      boolean useImageCommand) {
    this(containerId, sandbox, argv, env, cpus, memoryBytes, hostname, image, useImageCommand, null);
  }

  /** A launch running as the image's user (or root), without host volumes. */
  public ContainerLaunch(String containerId, Path sandbox, List<String> argv,
      Map<String, String> env, double cpus, long memoryBytes, String hostname, String image,
      boolean useImageCommand, NetworkRequest network) {
    this(containerId, sandbox, argv, env, cpus, memoryBytes, hostname, image, useImageCommand,
        network, null, false, List.of(), false);
  }

  /** The same launch on {@code request}'s network (null: the host's). */
  public ContainerLaunch withNetwork(NetworkRequest request) {
    return new ContainerLaunch(containerId, sandbox, argv, env, cpus, memoryBytes, hostname, image,
        useImageCommand, request, user, userNamespace, volumes, forcePull);
  }

  /** The same launch running as {@code newUser} (null or empty: the image's user, else root). */
  public ContainerLaunch withUser(String newUser) {
    return new ContainerLaunch(containerId, sandbox, argv, env, cpus, memoryBytes, hostname, image,
        useImageCommand, network, newUser == null || newUser.isEmpty() ? null : newUser,
        userNamespace, volumes, forcePull);
  }

  /** The same launch in a user namespace of its own, or not. */
  public ContainerLaunch withUserNamespace(boolean inUserNamespace) {
    return new ContainerLaunch(containerId, sandbox, argv, env, cpus, memoryBytes, hostname, image,
        useImageCommand, network, user, inUserNamespace, volumes, forcePull);
  }

  /** The same launch with the process {@code argv} and {@code env} (image config merged in). */
  public ContainerLaunch withProcess(List<String> newArgv, Map<String, String> newEnv) {
    return new ContainerLaunch(containerId, sandbox, newArgv, newEnv, cpus, memoryBytes, hostname,
        image, false, network, user, userNamespace, volumes, forcePull);
  }

  /** The same launch with {@code newVolumes}. */
  public ContainerLaunch withVolumes(List<HostVolume> newVolumes) {
    return new ContainerLaunch(containerId, sandbox, argv, env, cpus, memoryBytes, hostname, image,
        useImageCommand, network, user, userNamespace, newVolumes, forcePull);
  }

  /** The same launch, asking the registry for its image again even when it is cached, or not. */
  public ContainerLaunch withForcePull(boolean pullAgain) {
    return new ContainerLaunch(containerId, sandbox, argv, env, cpus, memoryBytes, hostname, image,
        useImageCommand, network, user, userNamespace, volumes, pullAgain);
  }
}
