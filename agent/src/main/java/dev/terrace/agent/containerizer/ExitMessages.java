package dev.terrace.agent.containerizer;

import dev.terrace.agent.cgroups.MemoryEvidence;

/** Turns an exit code and the cgroup's evidence into a {@link ContainerExit}, worded as Mesos. */
public final class ExitMessages {
  private ExitMessages() {}

  /**
   * @param exitCode as conmon reports it: the status, or 128 + signal when the first process was
   *     killed by a signal
   * @param signalled whether the agent signalled the container; without that (or an OOM kill) a
   *     status above 128 cannot be told apart from a program that exits with it
   * @param memory the cgroup's memory evidence, or null when it could not be read
   * @param requestedBytes the memory limit the task asked for
   */
  public static ContainerExit of(
      int exitCode, boolean signalled, MemoryEvidence memory, long requestedBytes) {
    boolean oom = memory != null && memory.limitExceeded();
    int signal = exitCode > 128 && exitCode <= 128 + 64 && (signalled || oom) ? exitCode - 128 : 0;
    String message;
    if (oom) {
      message = "Memory limit exceeded: Requested: " + bytes(requestedBytes)
          + (memory.maxUsageBytes() >= 0 ? " Maximum Used: " + bytes(memory.maxUsageBytes()) : "");
    } else if (signal > 0) {
      message = "Command terminated by signal " + signal;
    } else {
      message = "Command exited with status " + exitCode;
    }
    return new ContainerExit(exitCode, signal, oom, message);
  }

  /** Bytes in the largest unit that divides them exactly, as Mesos prints them ("32MB"). */
  static String bytes(long n) {
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    int unit = 0;
    while (unit < units.length - 1 && n != 0 && n % 1024 == 0) {
      n /= 1024;
      unit++;
    }
    return n + units[unit];
  }
}
