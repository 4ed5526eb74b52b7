package dev.terrace.jobs.state;

/** Where a run of a job stands. */
public enum RunStatus {
  /** No instance launched yet (waiting for offers, a backoff or its dependencies). */
  PENDING,
  /** At least one instance launched and the run has not ended. */
  RUNNING,
  /** Every instance finished with exit status 0. */
  SUCCEEDED,
  /** An instance failed with no retries left. */
  FAILED,
  /** Killed by a user (or replaced by a newer scheduled run). */
  KILLED;

  public boolean isDone() {
    return this == SUCCEEDED || this == FAILED || this == KILLED;
  }
}
