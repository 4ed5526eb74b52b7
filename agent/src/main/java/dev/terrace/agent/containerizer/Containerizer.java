package dev.terrace.agent.containerizer;

/**
 * Runs task processes as containers. Every method blocks (mounts, runtime CLI calls, cgroup file
 * I/O) and must be called from the agent's containerizer worker pool, never an event loop.
 *
 * <p>Contract: {@link #launch} either returns a started container or throws, leaving nothing
 * behind (no mount, no cgroup, no runtime state). {@link #destroy} is idempotent and safe to call
 * for a container that already exited or never fully started.
 */
public interface Containerizer extends AutoCloseable {

  /** Creates the container's root filesystem, bundle and cgroup, and starts its first process. */
  LaunchedContainer launch(ContainerLaunch launch) throws ContainerException;

  /** Sends {@code signal} (e.g. 15, 9) to every process of the container; no-op if it is gone. */
  void signal(String containerId, int signal) throws ContainerException;

  /** Kills what is left, removes runtime state, cgroup, mounts and bundle (not the sandbox). */
  void destroy(String containerId);

  /** Which OCI runtime this containerizer uses, e.g. {@code crun} or {@code runc}, for logs. */
  String runtimeName();

  /** Destroys nothing; releases what the containerizer itself holds. */
  @Override
  default void close() {}
}
