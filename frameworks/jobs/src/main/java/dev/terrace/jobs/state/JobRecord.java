package dev.terrace.jobs.state;

import dev.terrace.jobs.spec.JobSpec;

/**
 * A job as stored: its spec, the number its next run gets, and the last cron time that was acted
 * on (fired or skipped), so that a new leader neither repeats nor invents a scheduled run.
 */
public record JobRecord(JobSpec spec, int nextRun, Long lastFireAt, long createdAt) {
  public JobRecord withSpec(JobSpec s) {
    return new JobRecord(s, nextRun, lastFireAt, createdAt);
  }

  public JobRecord withNextRun(int n) {
    return new JobRecord(spec, n, lastFireAt, createdAt);
  }

  public JobRecord withLastFireAt(Long t) {
    return new JobRecord(spec, nextRun, t, createdAt);
  }
}
