package dev.terrace.agent.containerizer;

/**
 * How a container's first process ended.
 *
 * @param exitCode the exit status as a shell reports it (128 + signal after a signal)
 * @param signal the terminating signal, or 0 when the process exited on its own
 * @param memoryLimitExceeded true when the kernel OOM-killed it for exceeding its memory limit
 * @param message a human-readable summary for the task status
 */
public record ContainerExit(int exitCode, int signal, boolean memoryLimitExceeded, String message) {}
