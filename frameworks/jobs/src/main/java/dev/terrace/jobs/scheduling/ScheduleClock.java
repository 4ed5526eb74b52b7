package dev.terrace.jobs.scheduling;

import dev.terrace.jobs.cron.CronExpression;
import dev.terrace.jobs.spec.JobSpec;
import dev.terrace.jobs.state.JobRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/** The cron arithmetic of a scheduled job: its next fire, and the fire that is due now, if any. */
final class ScheduleClock {
  /** After a long outage only the latest missed fire runs; this bounds the search for it. */
  private static final int MAX_MISSED = 100_000;

  private ScheduleClock() {}

  /** The first cron time after the last one acted on (or after the job was created). */
  static Optional<Long> nextFire(JobRecord job) {
    JobSpec spec = job.spec();
    if (spec.schedule() == null) {
      return Optional.empty();
    }
    CronExpression cron = CronExpression.parse(spec.schedule());
    long from = job.lastFireAt() != null ? job.lastFireAt() : job.createdAt();
    ZonedDateTime after = Instant.ofEpochMilli(from).atZone(ZoneId.of(spec.timeZone()));
    return Optional.of(cron.next(after).toInstant().toEpochMilli());
  }

  /** The latest cron time in (last acted on, now], if any: the fire that is due. */
  static Optional<Long> dueFire(JobRecord job, long now) {
    Optional<Long> next = nextFire(job);
    if (next.isEmpty() || next.get() > now) {
      return Optional.empty();
    }
    CronExpression cron = CronExpression.parse(job.spec().schedule());
    ZoneId zone = ZoneId.of(job.spec().timeZone());
    long due = next.get();
    for (int i = 0; i < MAX_MISSED; i++) {
      long following = cron.next(Instant.ofEpochMilli(due).atZone(zone)).toInstant().toEpochMilli();
      if (following > now) {
        break;
      }
      due = following;
    }
    return Optional.of(due);
  }
}
