package dev.terrace.jobs.state;

/**
 * One try of one instance of a run: first {@value #PENDING} (not launched; not before
 * {@code notBefore}, epoch ms), then the state of its task as the agent reports it. Times are epoch
 * milliseconds. {@code timedOut} marks a kill the framework made because the run timeout passed.
 */
public record Attempt(
    int instance,
    int attempt,
    String state,
    String taskId,
    String agentId,
    String hostname,
    Integer exitCode,
    String message,
    Boolean timedOut,
    Long notBefore,
    Long launchedAt,
    Long startedAt,
    Long finishedAt) {

  public static final String PENDING = "PENDING";
  /** A pending attempt that will never launch: its run ended first. */
  public static final String CANCELLED = "CANCELLED";

  public static Attempt pending(int instance, int attempt, long notBefore) {
    return new Attempt(instance, attempt, PENDING, null, null, null, null, null, null, notBefore,
        null, null, null);
  }

  public boolean isPending() {
    return PENDING.equals(state);
  }

  /** Launched and not yet ended. */
  public boolean isLive() {
    return taskId != null && finishedAt == null;
  }

  public boolean succeeded() {
    return "TASK_FINISHED".equals(state);
  }

  /** Ended any other way than TASK_FINISHED (cancelled attempts never ran, so they did not fail). */
  public boolean failed() {
    return finishedAt != null && !succeeded() && !CANCELLED.equals(state);
  }

  Attempt launched(String task, String agent, String host, long now) {
    return new Attempt(instance, attempt, "TASK_STAGING", task, agent, host, null, null, null,
        notBefore, now, null, null);
  }

  Attempt withTaskState(String newState, String newMessage, Integer newExitCode, boolean started,
      boolean ended, long now) {
    return new Attempt(instance, attempt, newState, taskId, agentId, hostname,
        newExitCode != null ? newExitCode : exitCode, newMessage != null ? newMessage : message,
        timedOut, notBefore, launchedAt, startedAt == null && started ? Long.valueOf(now) : startedAt,
        ended ? Long.valueOf(now) : finishedAt);
  }

  Attempt cancelled(String why, long now) {
    return new Attempt(instance, attempt, CANCELLED, taskId, agentId, hostname, exitCode, why, timedOut,
        notBefore, launchedAt, startedAt, now);
  }

  Attempt markTimedOut() {
    return new Attempt(instance, attempt, state, taskId, agentId, hostname, exitCode, message, true,
        notBefore, launchedAt, startedAt, finishedAt);
  }
}
