package dev.terrace.agent.containerizer;

/**
 * Where each container launch spent its time, step by step: the agent's metrics and the
 * containers benchmark read them, so that a slow launch shows which part was slow.
 */
public interface LaunchObserver {
  /**
   * The steps of a launch, in order; a task without an image has no IMAGE step, one on the
   * host's network no NETWORK step.
   */
  enum Step {
    /** Resolving the image (cached, imported, or pulled and unpacked). */
    IMAGE,
    /** Joining a CNI network (bridge mode only): namespace, plugins, port mappings. */
    NETWORK,
    /** The container's root filesystem: the overlay of its layers, or of the host's. */
    ROOTFS,
    /** The OCI bundle: spec, user, volumes, config.json and the stdio files. */
    BUNDLE,
    /** The monitor and the runtime, until the task's process runs. */
    RUNTIME
  }

  LaunchObserver NONE = (step, nanos) -> { };

  /** {@code step} of one launch took {@code nanos}; called on the launching thread. */
  void step(Step step, long nanos);
}
