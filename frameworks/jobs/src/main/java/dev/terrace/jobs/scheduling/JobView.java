package dev.terrace.jobs.scheduling;

import dev.terrace.jobs.spec.JobSpec;
import dev.terrace.jobs.state.Run;
import java.util.List;
import java.util.Map;

/**
 * A job as the API shows it: its spec, schedule times (epoch ms), its runs newest first, and for
 * each waiting instance (key {@code <job>.<run>.<instance>}) why it is not running yet.
 */
public record JobView(JobSpec spec, Long nextFireAt, Long lastFireAt, List<Run> runs,
    Map<String, List<String>> pendingReasons) {

  /** The one-line summary {@code GET /v1/jobs} lists. */
  public record Summary(String name, String schedule, String image, String command, Long nextFireAt,
      Integer lastRun, String lastStatus, int activeRuns) {}

  public Summary summary() {
    Run last = runs.isEmpty() ? null : runs.get(0);
    int active = (int) runs.stream().filter(r -> !r.status().isDone()).count();
    return new Summary(spec.name(), spec.schedule(), spec.image(), spec.command(), nextFireAt,
        last == null ? null : last.number(), last == null ? null : last.status().name(), active);
  }
}
