package dev.terrace.agent.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** cgroup v1 (and hybrid): memory lives in its own hierarchy, one directory per controller. */
public final class V1CgroupManager implements CgroupManager {
  private final CgroupLayout layout;

  public V1CgroupManager(CgroupLayout layout) {
    this.layout = layout;
  }

  @Override
  public MemoryEvidence memoryEvidence(String cgroupPath) throws IOException {
    Path memoryRoot = layout.v1Hierarchies().get("memory");
    if (memoryRoot == null) {
      return new MemoryEvidence(-1, -1, -1, -1);
    }
    Path dir = resolve(memoryRoot, cgroupPath);
    // memory.oom_control has "oom_kill N" since Linux 4.13.
    Map<String, Long> oom = CgroupFiles.flatKeyed(dir.resolve("memory.oom_control"));
    return new MemoryEvidence(
        oom.getOrDefault("oom_kill", -1L),
        CgroupFiles.single(dir.resolve("memory.failcnt")),
        CgroupFiles.single(dir.resolve("memory.limit_in_bytes")),
        CgroupFiles.single(dir.resolve("memory.max_usage_in_bytes")));
  }

  @Override
  public List<Path> existing(String cgroupPath) {
    // Includes the cgroup2 mount of a hybrid host, where runc may create the path as well.
    return layout.hierarchyRoots().stream()
        .map(root -> resolve(root, cgroupPath))
        .filter(Files::isDirectory)
        .toList();
  }

  static Path resolve(Path root, String cgroupPath) {
    String relative = cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
    Path dir = root.resolve(relative).normalize();
    if (!dir.startsWith(root) || relative.isEmpty()) {
      throw new IllegalArgumentException("cgroup path escapes its hierarchy: " + cgroupPath);
    }
    return dir;
  }
}
