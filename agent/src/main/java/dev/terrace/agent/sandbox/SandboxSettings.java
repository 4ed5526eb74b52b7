package dev.terrace.agent.sandbox;

import java.time.Duration;

/**
 * How an agent keeps task sandboxes.
 *
 * @param logMaxSize rotate a task's stdout or stderr once it is larger than this
 * @param logMaxFiles files per stream, the live one included ({@code stdout}, {@code stdout.1},
 *     ...)
 * @param gcDelay how long a finished task's sandbox stays before it is removed
 * @param gcDiskHeadroom when less than this fraction of the work dir's disk is free, sandboxes
 *     scheduled for removal go early, oldest first
 * @param checkInterval how often logs are measured and the schedule is looked at
 */
public record SandboxSettings(
    long logMaxSize, int logMaxFiles, Duration gcDelay, double gcDiskHeadroom,
    Duration checkInterval) {
  public SandboxSettings {
    if (logMaxSize <= 0 || logMaxFiles < 1) {
      throw new IllegalArgumentException("--log-max-size must be positive and --log-max-files"
          + " at least 1");
    }
    if (gcDelay.isNegative() || gcDiskHeadroom < 0 || gcDiskHeadroom >= 1) {
      throw new IllegalArgumentException("--sandbox-gc-delay cannot be negative and the disk"
          + " headroom is a fraction in [0, 1)");
    }
  }

  /** 10 MiB x 5 files per stream; sandboxes kept a week (Mesos' --gc_delay), 10% headroom. */
  public static SandboxSettings defaults() {
    return new SandboxSettings(10L << 20, 5, Duration.ofDays(7), 0.1, Duration.ofSeconds(1));
  }

  public SandboxSettings withLogs(long maxSize, int maxFiles) {
    return new SandboxSettings(maxSize, maxFiles, gcDelay, gcDiskHeadroom, checkInterval);
  }

  public SandboxSettings withGc(Duration delay, double diskHeadroom) {
    return new SandboxSettings(logMaxSize, logMaxFiles, delay, diskHeadroom, checkInterval);
  }

  public SandboxSettings withCheckInterval(Duration interval) {
    return new SandboxSettings(logMaxSize, logMaxFiles, gcDelay, gcDiskHeadroom, interval);
  }
}
