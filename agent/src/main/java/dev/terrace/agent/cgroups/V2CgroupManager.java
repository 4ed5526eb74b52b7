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
  public ResourceStatistics statistics(String cgroupPath) throws IOException {
    Path dir = V1CgroupManager.resolve(root, cgroupPath);
    if (!Files.isDirectory(dir)) {
      throw new IOException("no cgroup " + cgroupPath + " (the container is gone)");
    }
    // v2 counts cpu in microseconds; "anon" is the resident memory Mesos calls rss.
    Map<String, Long> cpuStat = CgroupFiles.flatKeyed(dir.resolve("cpu.stat"));
    Map<String, Long> memStat = CgroupFiles.flatKeyed(dir.resolve("memory.stat"));
    return new ResourceStatistics(
        micros(cpuStat.get("user_usec")),
        micros(cpuStat.get("system_usec")),
        cpusLimit(dir),
        cpuStat.getOrDefault("nr_periods", -1L),
        cpuStat.getOrDefault("nr_throttled", -1L),
        micros(cpuStat.get("throttled_usec")),
        memStat.getOrDefault("anon", -1L),
        CgroupFiles.single(dir.resolve("memory.current")),
        CgroupFiles.single(dir.resolve("memory.max")),
        CgroupFiles.single(dir.resolve("memory.peak")),
        CgroupFiles.single(dir.resolve("pids.current")));
  }

  private static double micros(Long value) {
    return value == null ? -1 : value / 1e6;
  }

  /** cpu.max is "QUOTA PERIOD" or "max PERIOD"; without a quota, cpu.weight (100 per cpu). */
  private static double cpusLimit(Path dir) throws IOException {
    Path max = dir.resolve("cpu.max");
    if (Files.exists(max)) {
      String[] f = Files.readString(max).trim().split("\\s+");
      if (f.length == 2 && !f[0].equals("max")) {
        return Double.parseDouble(f[0]) / Double.parseDouble(f[1]);
      }
    }
    // crun and runc map cpu shares to weight non-linearly; the weight is only a rough figure.
    long weight = CgroupFiles.single(dir.resolve("cpu.weight"));
    return weight > 0 ? weight / 100.0 : -1;
  }

  /**
   * v2's {@code memory.reclaim} (Linux 5.19+) asked for everything the cgroup holds; v2 has no
   * {@code force_empty}, and older kernels have neither (false then).
   */
  @Override
  public boolean reclaimMemory(String cgroupPath) {
    Path dir = V1CgroupManager.resolve(root, cgroupPath);
    try {
      long current = CgroupFiles.single(dir.resolve("memory.current"));
      return current <= 0
          || CgroupFiles.writeQuietly(dir.resolve("memory.reclaim"), Long.toString(current));
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public List<Path> existing(String cgroupPath) {
    Path dir = V1CgroupManager.resolve(root, cgroupPath);
    return Files.isDirectory(dir) ? List.of(dir) : List.of();
  }
}
