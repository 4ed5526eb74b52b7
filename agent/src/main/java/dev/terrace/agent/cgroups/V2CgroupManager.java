package dev.terrace.agent.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** cgroup v2: one unified hierarchy, memory counters in memory.events. */
public final class V2CgroupManager implements CgroupManager {
  private final Path root;

  public V2CgroupManager(Path root) {
    this.root = root;
  }

  @Override
  public MemoryEvidence memoryEvidence(String cgroupPath) throws IOException {
    Path dir = V1CgroupManager.resolve(root, cgroupPath);
    // "max" counts hits of memory.max, "oom_kill" the processes killed for it.
    Map<String, Long> events = CgroupFiles.flatKeyed(dir.resolve("memory.events"));
    return new MemoryEvidence(
        events.getOrDefault("oom_kill", -1L),
        events.getOrDefault("max", -1L),
        CgroupFiles.single(dir.resolve("memory.max")),
        CgroupFiles.single(dir.resolve("memory.peak")));
  }

  @Override
  public List<Path> existing(String cgroupPath) {
    Path dir = V1CgroupManager.resolve(root, cgroupPath);
    return Files.isDirectory(dir) ? List.of(dir) : List.of();
  }
}
