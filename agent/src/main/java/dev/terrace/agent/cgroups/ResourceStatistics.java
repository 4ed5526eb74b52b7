package dev.terrace.agent.cgroups;

/**
 * A container's resource usage as its cgroups count it, in the units Mesos' ResourceStatistics
 * uses. A value the host's kernel does not provide is -1 (-1.0), and left out of the JSON.
 *
 * @param cpusUserTimeSecs CPU time in user mode
 * @param cpusSystemTimeSecs CPU time in kernel mode
 * @param cpusLimit the CFS quota in cpus (quota / period), or from the cpu shares when no quota
 * @param cpusNrPeriods CFS enforcement periods that have elapsed
 * @param cpusNrThrottled periods in which the container was throttled
 * @param cpusThrottledTimeSecs total time it was throttled
 * @param memRssBytes anonymous (resident, not page cache) memory
 * @param memTotalBytes memory usage as charged to the cgroup (page cache included)
 * @param memLimitBytes the memory limit, -1 for none
 * @param memMaxBytes peak usage (v1 max_usage_in_bytes, v2 memory.peak)
 * @param processes processes (tasks counted by the pids controller) in the container
 */
public record ResourceStatistics(
    double cpusUserTimeSecs,
    double cpusSystemTimeSecs,
    double cpusLimit,
    long cpusNrPeriods,
    long cpusNrThrottled,
    double cpusThrottledTimeSecs,
    long memRssBytes,
    long memTotalBytes,
    long memLimitBytes,
    long memMaxBytes,
    long processes) {}
