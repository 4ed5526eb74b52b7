package dev.terrace.agent.cgroups;

import dev.terrace.agent.rootfs.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts a controller that a hybrid host left on its cgroup2 mount as a v1 hierarchy of its own,
 * i.e. {@code mkdir -p /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup
 * /sys/fs/cgroup/hugetlb}. The kernel moves a controller between versions when it is not in use,
 * and crun only accepts a hybrid host when no controller remains on cgroup2.
 */
public final class V1HierarchyMounter {
  private static final Logger LOG = LoggerFactory.getLogger(V1HierarchyMounter.class);

  private final Path cgroupRoot;

  public V1HierarchyMounter(Path cgroupRoot) {
    this.cgroupRoot = cgroupRoot;
  }

  /** Mounts {@code controller} at {@code <cgroupRoot>/<controller>}. */
  public Path mount(String controller) throws IOException {
    if (!controller.matches("[a-z_]+")) {
      throw new IllegalArgumentException("not a controller name: " + controller);
    }
    Path target = Files.createDirectories(cgroupRoot.resolve(controller));
    Mounts.mount("cgroup", target, "cgroup", controller);
    LOG.info("Mounted the {} cgroup controller as a v1 hierarchy at {}", controller, target);
    return target;
  }
}
