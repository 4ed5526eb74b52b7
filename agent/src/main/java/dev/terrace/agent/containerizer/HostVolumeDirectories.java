package dev.terrace.agent.containerizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's volume directory: each host volume of a launch names a directory under it by a
 * relative path; the directory is created on first use and kept after the task, so the next task
 * given the same path finds its files.
 */
final class HostVolumeDirectories {
  private HostVolumeDirectories() {}

  /** {@code launch} with its volumes' host paths made absolute under {@code volumesRoot} (created). */
  static ContainerLaunch resolve(Path volumesRoot, ContainerLaunch launch) throws IOException {
    if (launch.volumes().isEmpty()) {
      return launch;
    }
    Path root = volumesRoot.toAbsolutePath().normalize();
    Files.createDirectories(root);
    List<ContainerLaunch.HostVolume> resolved = new ArrayList<>();
    for (ContainerLaunch.HostVolume v : launch.volumes()) {
      Path host = root.resolve(v.hostPath()).normalize();
      if (!host.startsWith(root) || host.equals(root)) {
        throw new IOException("host volume '" + v.hostPath() + "' is not under " + root);
      }
      // One segment at a time, never through a symbolic link: a task that planted a link in a
      // volume must not get a later task (or this agent) to reach outside the volume directory.
      Path p = root;
      for (Path segment : root.relativize(host)) {
        p = p.resolve(segment);
        if (Files.isSymbolicLink(p)) {
          throw new IOException("host volume '" + v.hostPath() + "' goes through a symbolic link at " + p);
        }
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectory(p);
        }
      }
      resolved.add(new ContainerLaunch.HostVolume(host.toString(), v.containerPath(), v.readOnly()));
    }
    return launch.withVolumes(resolved);
  }
}
