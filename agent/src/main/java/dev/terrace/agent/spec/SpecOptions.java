package dev.terrace.agent.spec;

import java.util.Objects;

/**
 * Host-dependent choices for {@link OciSpecGenerator}, decided once at agent start so that the
 * generator itself stays pure.
 *
 * @param cgroupParent absolute cgroup path under which each container gets a leaf named after its
 *     id; absolute because without it runc nests the container under the agent's own cgroup while
 *     crun does not
 * @param nofileLimit RLIMIT_NOFILE (soft and hard) for the task; must not exceed the host's hard
 *     limit, since a container cannot raise an rlimit without CAP_SYS_RESOURCE
 * @param cgroupNamespace whether to give the task its own cgroup namespace (so
 *     /proc/self/cgroup shows "/" rather than the host path)
 */
public record SpecOptions(String cgroupParent, long nofileLimit, boolean cgroupNamespace) {

  public static final String DEFAULT_CGROUP_PARENT = "/terrace";

  public SpecOptions {
    Objects.requireNonNull(cgroupParent, "cgroupParent");
    if (!cgroupParent.startsWith("/")) {
      throw new IllegalArgumentException("cgroupParent must be absolute: " + cgroupParent);
    }
    if (nofileLimit <= 0) {
      throw new IllegalArgumentException("nofileLimit must be positive: " + nofileLimit);
    }
  }

  /** Defaults for a host whose hard NOFILE limit is {@code hostNofileHard}. */
  public static SpecOptions defaults(long hostNofileHard) {
    return new SpecOptions(DEFAULT_CGROUP_PARENT, hostNofileHard, true);
  }

  /** The container's cgroup path, {@code <cgroupParent>/<containerId>}. */
  public String cgroupsPath(String containerId) {
    return (cgroupParent.endsWith("/") ? cgroupParent : cgroupParent + "/") + containerId;
  }
}
