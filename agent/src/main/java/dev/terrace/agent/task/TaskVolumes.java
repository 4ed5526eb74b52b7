package dev.terrace.agent.task;

import dev.terrace.agent.containerizer.ContainerLaunch.HostVolume;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.TaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code host_path} volumes of a task's {@code ContainerInfo}, as Terrace honours them: the
 * host path is relative and names a directory under the agent's volume directory (created on
 * first use, kept after the task), so a framework can give a task files that outlive it without
 * reaching any other host path. The container path is absolute and outside the kernel's file
 * systems. Pure.
 */
public final class TaskVolumes {
  /** Path segments of letters, digits, dot, dash and underscore; no "." or ".." segment. */
  private static final Pattern RELATIVE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
  private static final List<String> RESERVED = List.of("/proc", "/sys", "/dev");

  private TaskVolumes() {}

  public static List<HostVolume> of(TaskInfo task) {
    List<HostVolume> out = new ArrayList<>();
    if (task.container() != null) {
      for (ContainerInfo.Volume v : task.container().volumes()) {
        if (v.hostPath() != null) {
          out.add(new HostVolume(v.hostPath(), v.containerPath(), v.mode() == ContainerInfo.Volume.Mode.RO));
        }
      }
    }
    return out;
  }

  /** Why the task's volumes cannot be honoured, if they cannot. */
  public static Optional<String> invalid(TaskInfo task) {
    if (task.container() == null) {
      return Optional.empty();
    }
    for (ContainerInfo.Volume v : task.container().volumes()) {
      if (v.hostPath() == null) {
        return Optional.of("only host_path volumes are supported (volume at " + v.containerPath() + ")");
      }
      if (!RELATIVE.matcher(v.hostPath()).matches() || v.hostPath().contains("..")) {
        return Optional.of("host_path '" + v.hostPath() + "' must be a relative path under the agent's volume "
            + "directory (segments of letters, digits, '.', '-', '_'; no '..')");
      }
      String c = v.containerPath();
      if (c == null || !c.startsWith("/") || c.contains("/../") || c.endsWith("/..") || c.equals("/")
          || RESERVED.stream().anyMatch(r -> c.equals(r) || c.startsWith(r + "/"))) {
        return Optional.of("container_path '" + c + "' must be an absolute path outside /, /proc, /sys and /dev");
      }
    }
    return Optional.empty();
  }
}
