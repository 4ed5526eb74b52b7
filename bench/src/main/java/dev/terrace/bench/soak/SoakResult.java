package dev.terrace.bench.soak;

import dev.terrace.common.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A soak run's figures, its verdicts, and the two ways they are printed. */
record SoakResult(SoakOptions options, int masterKills, int agentKills, SoakFramework.Tally tasks,
    long doubleLaunches, long agentOvercommits, long leaderOvercommits, long leaderSamples, long heapStart,
    long heapEnd, double drainSeconds, List<String> examples) {
  private static final long MB = 1024 * 1024;
  /** The heap may grow by half plus 64 MB over the run: more is taken for a leak. */
  private static final double HEAP_FACTOR = 1.5;
  private static final long HEAP_SLACK = 64 * MB;

  long heapBound() {
    return (long) (heapStart * HEAP_FACTOR) + HEAP_SLACK;
  }

  boolean heapWithinBound() {
    return heapEnd <= heapBound();
  }

  long doubleAllocations() {
    return agentOvercommits + leaderOvercommits;
  }

  /** No task lost, launched twice or placed on resources already given out. */
  boolean invariantsHold() {
    return tasks.lost() == 0 && doubleLaunches == 0 && doubleAllocations() == 0;
  }

  String summary() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "soak: %.0f s, %d agents, %d frameworks, %d masters, seed %d%n",
        options.seconds(), options.agents(), options.frameworks(), options.masters(), options.seed()));
    s.append(String.format(Locale.ROOT, "  chaos: %d leading masters killed, %d agents crashed and restarted%n",
        masterKills, agentKills));
    s.append(String.format(Locale.ROOT, "  tasks: %d launched, %d finished, %d ended before reaching an agent %s%n",
        tasks.launched(), tasks.finished(), tasks.failedWithReason(), tasks.endedBeforeReachingAnAgent()));
    s.append(String.format(Locale.ROOT, "  lost: %d (%d with no end heard, %d ran on an agent but ended otherwise)%n",
        tasks.lost(), tasks.outstanding(), tasks.lostUpdates()));
    s.append(String.format(Locale.ROOT, "  double launches: %d; double allocations: %d at agents, %d in %d samples"
        + " of the leader's state%n", doubleLaunches, agentOvercommits, leaderOvercommits, leaderSamples));
    s.append(String.format(Locale.ROOT, "  heap after GC: %d MB after warm-up, %d MB at the end, bound %d MB: %s%n",
        heapStart / MB, heapEnd / MB, heapBound() / MB, heapWithinBound() ? "PASS" : "FAIL"));
    examples.forEach(e -> s.append("  e.g. ").append(e).append('\n'));
    s.append("  invariants: ").append(invariantsHold() ? "PASS" : "FAIL");
    return s.toString();
  }

  String json() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("benchmark", "soak");
    j.put("seconds", options.seconds());
    j.put("agents", options.agents());
    j.put("frameworks", options.frameworks());
    j.put("masters", options.masters());
    j.put("seed", options.seed());
    j.put("master_kills", masterKills);
    j.put("agent_kills", agentKills);
    j.put("launched", tasks.launched());
    j.put("finished", tasks.finished());
    j.put("failed_with_reason", tasks.failedWithReason());
    j.put("failed_by_state_and_reason", tasks.endedBeforeReachingAnAgent());
    j.put("finished_after_another_end", tasks.finishedAfterAnotherEnd());
    j.put("lost", tasks.lost());
    j.put("lost_no_end_heard", tasks.outstanding());
    j.put("lost_updates", tasks.lostUpdates());
    j.put("double_launches", doubleLaunches);
    j.put("double_allocations", doubleAllocations());
    j.put("leader_state_samples", leaderSamples);
    j.put("drain_seconds", Math.round(drainSeconds * 10) / 10.0);
    j.put("heap_mb_start", heapStart / MB);
    j.put("heap_mb_end", heapEnd / MB);
    j.put("heap_mb_bound", heapBound() / MB);
    j.put("heap", heapWithinBound() ? "PASS" : "FAIL");
    j.put("invariants", invariantsHold() ? "PASS" : "FAIL");
    return Json.toString(j);
  }
}
