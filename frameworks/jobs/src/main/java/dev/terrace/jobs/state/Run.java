package dev.terrace.jobs.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of a job: {@code instances} copies of its command, each tried until it succeeds or its
 * retries are used up. Runs are values; each change returns a new run (which the framework writes
 * to ZooKeeper before acting on it). Times are epoch milliseconds.
 *
 * @param trigger what started it: {@code manual}, {@code schedule} or {@code dependency}
 */
public record Run(
    String job,
    int number,
    String trigger,
    RunStatus status,
    long createdAt,
    Long startedAt,
    Long finishedAt,
    String message,
    List<Attempt> attempts) {

  public Run {
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
  }

  public static Run create(String job, int number, String trigger, int instances, long now) {
    List<Attempt> attempts = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      attempts.add(Attempt.pending(i, 0, now));
    }
    return new Run(job, number, trigger, RunStatus.PENDING, now, null, null, null, attempts);
  }

  /** The newest attempt of each instance, by instance. */
  public Map<Integer, Attempt> current() {
    Map<Integer, Attempt> latest = new LinkedHashMap<>();
    for (Attempt a : attempts) {
      latest.merge(a.instance(), a, (x, y) -> y.attempt() >= x.attempt() ? y : x);
    }
    return latest;
  }

  public Optional<Attempt> attempt(String taskId) {
    return attempts.stream().filter(a -> taskId.equals(a.taskId())).findFirst();
  }

  public List<Attempt> liveAttempts() {
    return attempts.stream().filter(Attempt::isLive).toList();
  }

  /** Pending attempts whose backoff has passed, in instance order. */
  public List<Attempt> launchable(long now) {
    if (status.isDone()) {
      return List.of();
    }
    return current().values().stream()
        .filter(a -> a.isPending() && (a.notBefore() == null || a.notBefore() <= now)).toList();
  }

  public Run launched(Attempt a, String taskId, String agentId, String hostname, long now) {
    Run r = replace(a, a.launched(taskId, agentId, hostname, now));
    return r.withStatus(now);
  }

  /**
   * Records a task update. A failure of an instance with retries left adds its next attempt after
   * a backoff of {@code backoffSeconds * 2^attempt} (at most 5 minutes); with none left the run
   * fails. Returns this run unchanged for a task it does not know or an update after the end.
   */
  public Run update(String taskId, String taskState, boolean terminal, String taskMessage, Integer exitCode,
      int retries, double backoffSeconds, long now) {
    Optional<Attempt> found = attempt(taskId);
    if (found.isEmpty() || found.get().finishedAt() != null) {
      return this;
    }
    Attempt before = found.get();
    boolean started = taskState.equals("TASK_RUNNING");
    Attempt after = before.withTaskState(taskState, taskMessage, exitCode, started, terminal, now);
    if (Boolean.TRUE.equals(before.timedOut()) && terminal) {
      after = new Attempt(after.instance(), after.attempt(), after.state(), after.taskId(), after.agentId(),
          after.hostname(), after.exitCode(), "timed out; " + after.message(), true, after.notBefore(),
          after.launchedAt(), after.startedAt(), after.finishedAt());
    }
    Run r = replace(before, after);
    if (after.failed() && !status.isDone() && after.attempt() < retries) {
      long delay = (long) Math.min(300_000, backoffSeconds * 1000 * Math.pow(2, after.attempt()));
      List<Attempt> more = new ArrayList<>(r.attempts);
      more.add(Attempt.pending(after.instance(), after.attempt() + 1, now + delay));
      r = new Run(job, number, trigger, r.status, createdAt, r.startedAt, r.finishedAt, r.message, more);
    }
    return r.withStatus(now);
  }

  /** Ends the run as killed: pending attempts are cancelled; live tasks must be killed by the caller. */
  public Run kill(String why, long now) {
    if (status.isDone()) {
      return this;
    }
    List<Attempt> list = attempts.stream()
        .map(a -> a.isPending() ? a.cancelled(why, now) : a).toList();
    return new Run(job, number, trigger, RunStatus.KILLED, createdAt, startedAt, now, why, list);
  }

  public Run timedOut(Attempt a) {
    return replace(a, a.markTimedOut());
  }

  private Run replace(Attempt old, Attempt now) {
    List<Attempt> list = new ArrayList<>(attempts);
    list.set(list.indexOf(old), now);
    return new Run(job, number, trigger, status, createdAt, startedAt, finishedAt, message, list);
  }

  /** Derives the status from the current attempts (a done run stays done). */
  private Run withStatus(long now) {
    if (status.isDone()) {
      return this;
    }
    Map<Integer, Attempt> cur = current();
    Long started = startedAt;
    if (started == null && cur.values().stream().anyMatch(a -> a.launchedAt() != null)) {
      started = now;
    }
    Optional<Attempt> failedForGood = cur.values().stream().filter(Attempt::failed).findFirst();
    if (failedForGood.isPresent()) {
      Attempt f = failedForGood.get();
      String why = "instance " + f.instance() + " failed (" + f.state() + ")"
          + (f.message() == null ? "" : ": " + f.message());
      List<Attempt> list = attempts.stream().map(a -> a.isPending() ? a.cancelled("run failed", now) : a).toList();
      return new Run(job, number, trigger, RunStatus.FAILED, createdAt, started, now, why, list);
    }
    if (cur.values().stream().allMatch(Attempt::succeeded)) {
      return new Run(job, number, trigger, RunStatus.SUCCEEDED, createdAt, started, now, null, attempts);
    }
    RunStatus s = started != null ? RunStatus.RUNNING : RunStatus.PENDING;
    return new Run(job, number, trigger, s, createdAt, started, finishedAt, message, attempts);
  }
}
