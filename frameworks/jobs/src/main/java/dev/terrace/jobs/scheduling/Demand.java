package dev.terrace.jobs.scheduling;

import dev.terrace.jobs.spec.JobSpec;
import dev.terrace.jobs.state.Attempt;
import java.util.List;

/**
 * One pending attempt that wants an offer, with the values (hostname or attribute, by constraint
 * field) that the other instances of its run were placed on, for UNIQUE and CLUSTER.
 */
record Demand(JobSpec spec, int run, Attempt attempt, List<java.util.Map<String, String>> siblings) {
  String key() {
    return spec.name() + "." + run + "." + attempt.instance();
  }
}
