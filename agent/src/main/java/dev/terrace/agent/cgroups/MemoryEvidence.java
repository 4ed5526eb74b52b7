package dev.terrace.agent.cgroups;

/**
 * What a container's memory cgroup says about how it ended, read before the cgroup is removed.
 *
 * @param oomKills processes the kernel OOM-killed in this cgroup, or -1 when the kernel does not
 *     count them (v1 before Linux 4.13)
 * @param failcnt times the limit was hit (v1 memory.failcnt, v2 memory.events "max"), or -1
 * @param limitBytes the limit in force, or -1 for none
 * @param maxUsageBytes the peak usage, or -1 when unknown (v2 before Linux 5.19)
 */
public record MemoryEvidence(long oomKills, long failcnt, long limitBytes, long maxUsageBytes) {

  /** True when the kernel killed a process for exceeding the limit. */
  public boolean limitExceeded() {
    if (oomKills >= 0) {
      return oomKills > 0;
    }
    // Old v1 kernels lack the counter: a hit limit with usage at the limit is the best evidence.
    return failcnt > 0 && limitBytes > 0 && maxUsageBytes >= limitBytes;
  }
}
