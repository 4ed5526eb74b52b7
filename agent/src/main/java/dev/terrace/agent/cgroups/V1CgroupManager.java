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

  /** cpuacct.stat counts in USER_HZ, which is 100 on every Linux ABI (sysconf(_SC_CLK_TCK)). */
  private static final double USER_HZ = 100.0;
  /** v1 reports "no limit" as a page-rounded LONG_MAX rather than a keyword. */
  private static final long UNLIMITED = 1L << 62;

  @Override
  public ResourceStatistics statistics(String cgroupPath) throws IOException {
    Path cpu = dir("cpu", cgroupPath);
    Path cpuacct = dir("cpuacct", cgroupPath);
    Path memory = dir("memory", cgroupPath);
    Path pids = dir("pids", cgroupPath);
    if ((memory == null || !Files.isDirectory(memory)) && (cpu == null || !Files.isDirectory(cpu))) {
      throw new IOException("no cgroup " + cgroupPath + " (the container is gone)");
    }
    Map<String, Long> acct = cpuacct == null ? Map.of() : CgroupFiles.flatKeyed(cpuacct.resolve("cpuacct.stat"));
    Map<String, Long> cpuStat = cpu == null ? Map.of() : CgroupFiles.flatKeyed(cpu.resolve("cpu.stat"));
    Map<String, Long> memStat = memory == null ? Map.of() : CgroupFiles.flatKeyed(memory.resolve("memory.stat"));
    long limit = memory == null ? -1 : CgroupFiles.single(memory.resolve("memory.limit_in_bytes"));
    long throttledNs = cpuStat.getOrDefault("throttled_time", -1L);
    return new ResourceStatistics(
        acct.containsKey("user") ? acct.get("user") / USER_HZ : -1,
        acct.containsKey("system") ? acct.get("system") / USER_HZ : -1,
        cpu == null ? -1 : cpusLimit(cpu),
        cpuStat.getOrDefault("nr_periods", -1L),
        cpuStat.getOrDefault("nr_throttled", -1L),
        throttledNs < 0 ? -1 : throttledNs / 1e9,
        // total_rss includes child cgroups (the runtime may nest); rss alone is this level.
        memStat.getOrDefault("total_rss", memStat.getOrDefault("rss", -1L)),
        memory == null ? -1 : CgroupFiles.single(memory.resolve("memory.usage_in_bytes")),
        limit >= UNLIMITED ? -1 : limit,
        memory == null ? -1 : CgroupFiles.single(memory.resolve("memory.max_usage_in_bytes")),
        pids == null ? -1 : CgroupFiles.single(pids.resolve("pids.current")));
  }

  /** The CFS quota in cpus; without a quota, the shares (1024 per cpu) as Mesos does. */
  private static double cpusLimit(Path cpu) throws IOException {
    long quota = CgroupFiles.single(cpu.resolve("cpu.cfs_quota_us"));
    long period = CgroupFiles.single(cpu.resolve("cpu.cfs_period_us"));
    if (quota > 0 && period > 0) {
      return (double) quota / period;
    }
    long shares = CgroupFiles.single(cpu.resolve("cpu.shares"));
    return shares > 0 ? shares / 1024.0 : -1;
  }

  /** v1's {@code memory.force_empty}: reclaims what it can, moves the rest to the parent. */
  @Override
  public boolean reclaimMemory(String cgroupPath) {
    Path memory = dir("memory", cgroupPath);
    return memory != null && CgroupFiles.writeQuietly(memory.resolve("memory.force_empty"), "0");
  }

  private Path dir(String controller, String cgroupPath) {
    Path root = layout.v1Hierarchies().get(controller);
    return root == null ? null : resolve(root, cgroupPath);
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
