package dev.terrace.agent.containerizer;

import dev.terrace.agent.cgroups.ResourceStatistics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs task processes as containers. Every method blocks (mounts, runtime CLI calls, cgroup file
 * I/O) and must be called from the agent's containerizer worker pool, never an event loop.
 *
 * <p>Contract: {@link #launch} either returns a started container or throws, leaving nothing
 * behind (no mount, no cgroup, no runtime state). {@link #destroy} is idempotent and safe to call
 * for a container that already exited or never fully started.
 *
 * <p>Containers outlive the agent (a crash, {@code kill -9}, an upgrade): a restarted agent calls
 * {@link #destroyOrphans} once, then {@link #recover} for each container its checkpoints name,
 * before it launches anything new.
 */
public interface Containerizer extends AutoCloseable {

  /** Creates the container's root filesystem, bundle and cgroup, and starts its first process. */
  LaunchedContainer launch(ContainerLaunch launch) throws ContainerException;

  /**
   * Re-attaches to a container that an earlier run of the agent launched as {@code launch} (the
   * same launch, rebuilt from the task's checkpoint). Contract:
   *
   * <ul>
   *   <li>Still running: returns it; its exit future completes when its first process exits, with
   *       the same exit code and memory-limit evidence as for a container launched by this run.
   *   <li>Exited while the agent was down: returns it with the exit future already complete, from
   *       the exit status its monitor recorded and the cgroup's memory evidence if still there.
   *   <li>Gone (no exit status recorded, and no runtime state, or nothing left that could ever
   *       record its exit, or its launch never got as far as starting it): returns empty. The
   *       caller reports the task as failed and calls {@link #destroy} to remove what is left.
   * </ul>
   *
   * <p>Either way the container is then the caller's as if launched: {@link #signal} and
   * {@link #destroy} work on it, and destroy (after its exit, as usual) leaves nothing behind.
   *
   * @throws ContainerException when the containerizer cannot tell (e.g. the runtime CLI fails);
   *     the caller treats it like a gone container
   */
  Optional<LaunchedContainer> recover(ContainerLaunch launch) throws ContainerException;

  /**
   * Destroys every container of this containerizer (of this agent's work dir) that {@code known}
   * does not name: orphans of a crash between their launch and the checkpoint that records them,
   * or whose checkpoint could not be read. Returns the ids destroyed. Call once at start, before
   * {@link #recover} and any launch.
   */
  List<String> destroyOrphans(Set<String> known);

  /** Sends {@code signal} (e.g. 15, 9) to every process of the container; no-op if it is gone. */
  void signal(String containerId, int signal) throws ContainerException;

  /**
   * Runs {@code argv} inside the running container {@code containerId} (its namespaces, root
   * filesystem and cgroup, as {@code runc exec} does) with the container's environment plus
   * {@code env}, waits for it and returns its exit code. Output is discarded. Contract:
   *
   * <ul>
   *   <li>A process that runs longer than {@code timeout} is killed and this throws; so the call
   *       never blocks much longer than {@code timeout}.
   *   <li>It throws when the command cannot be started (no such executable, the container is
   *       gone); a started command that fails returns its non-zero exit code.
   *   <li>It never changes the container: its exit future, its first process, its limits.
   * </ul>
   *
   * Used for COMMAND health checks, so it must be safe to call again and again.
   */
  int exec(String containerId, List<String> argv, Map<String, String> env, Duration timeout)
      throws ContainerException;

  /**
   * Starts {@code argv} inside the running container {@code containerId}, as {@link #exec} does,
   * but with its stdin, stdout and stderr piped to the returned session, for an interactive
   * {@code terrace exec}. Returns once the command is started; the caller drains its output on
   * threads of its own and kills it when the client goes away. It never changes the container.
   *
   * <p>With a {@code terminal}, the command runs on a terminal of that size instead of pipes: its
   * stdout and stderr both come through {@link ExecSession#stdout}, stdin is its keyboard, and
   * {@link ExecSession#resize} changes the window size.
   *
   * @param terminal the size of the terminal the command wants, or null for plain pipes; a
   *     containerizer that cannot give one throws
   * @throws ContainerException when the command cannot be started (no such container, no TTY)
   */
  default ExecSession startExec(String containerId, List<String> argv, Map<String, String> env,
      TerminalSize terminal) throws ContainerException {
    throw new ContainerException("streaming exec is not supported by " + runtimeName());
  }

  /**
   * The container's resource usage from its cgroups, or empty when this containerizer cannot
   * account for it (no cgroups, e.g. plain host processes). Throws when the container is gone.
   */
  default Optional<ResourceStatistics> statistics(String containerId) throws ContainerException {
    return Optional.empty();
  }

  /** Kills what is left, removes runtime state, cgroup, mounts and bundle (not the sandbox). */
  void destroy(String containerId);

  /**
   * Where {@code containerId}'s writes outside its sandbox land on the host (overlay upper
   * directories), so that they count against the task's disk; empty when it has none.
   */
  default List<java.nio.file.Path> writableLayers(String containerId) {
    return List.of();
  }

  /** The images this containerizer caches, when it runs images at all. */
  default Optional<dev.terrace.agent.image.ImageService> images() {
    return Optional.empty();
  }

  /** Reports the time of each step of every launch from now on to {@code observer}. */
  default void observe(LaunchObserver observer) {
  }

  /** Which OCI runtime this containerizer uses, e.g. {@code crun} or {@code runc}, for logs. */
  String runtimeName();

  /** Destroys nothing; releases what the containerizer itself holds. */
  @Override
  default void close() {}
}
