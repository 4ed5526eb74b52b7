package dev.terrace.notebooks.state;

/**
 * One user's notebook as the framework keeps it in ZooKeeper: its token (generated once, kept
 * across restarts), whether it should run, and the task that serves it now, if any.
 *
 * @param state STOPPED, STARTING (wanted: waiting for an offer, or launched and not yet answering
 *     its health check), RUNNING (the server answers) or STOPPING (killed, waiting for the task to end)
 * @param taskId the current task, or null when none runs
 * @param agentId the agent that holds the user's working directory once a notebook ran there;
 *     later servers go to the same agent so the files are found again
 * @param runs how many servers were launched; the next task id's suffix
 * @param lastActivity epoch ms of the server's last activity as it reported it, or of the start
 * @param stopReason why the notebook last stopped (idle, by request, failed), or null
 */
public record Notebook(String user, String token, String state, String taskId, String agentId, String hostname,
    Integer port, int runs, Long startedAt, Long lastActivity, String stopReason) {

  public static final String STOPPED = "STOPPED";
  public static final String STARTING = "STARTING";
  public static final String RUNNING = "RUNNING";
  public static final String STOPPING = "STOPPING";

  public static Notebook created(String user, String token) {
    return new Notebook(user, token, STOPPED, null, null, null, null, 0, null, null, null);
  }

  /** Wanted running; a task is launched from the next fitting offer. */
  public Notebook wanted() {
    return new Notebook(user, token, STARTING, null, agentId, hostname, null, runs, null, null, null);
  }

  public Notebook launched(String newTaskId, String newAgentId, String newHostname, int newPort, long now) {
    return new Notebook(user, token, STARTING, newTaskId, newAgentId, newHostname, newPort, runs + 1, now, now, null);
  }

  public Notebook running() {
    return new Notebook(user, token, RUNNING, taskId, agentId, hostname, port, runs, startedAt, lastActivity, null);
  }

  public Notebook active(long at) {
    return new Notebook(user, token, state, taskId, agentId, hostname, port, runs, startedAt, at, stopReason);
  }

  public Notebook stopping(String reason) {
    return new Notebook(user, token, STOPPING, taskId, agentId, hostname, port, runs, startedAt, lastActivity, reason);
  }

  /** The task ended: the working directory stays on {@code agentId}. */
  public Notebook stopped(String reason) {
    return new Notebook(user, token, STOPPED, null, agentId, hostname, null, runs, null, lastActivity, reason);
  }

  public boolean isRunning() {
    return RUNNING.equals(state);
  }
}
