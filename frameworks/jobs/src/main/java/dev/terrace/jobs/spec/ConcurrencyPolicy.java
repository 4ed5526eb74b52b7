package dev.terrace.jobs.spec;

/** What a scheduled fire does while an earlier run of the job is still active. */
public enum ConcurrencyPolicy {
  /** Start another run alongside. */
  ALLOW,
  /** Skip this fire. */
  FORBID,
  /** Kill the active runs and start a new one. */
  REPLACE
}
