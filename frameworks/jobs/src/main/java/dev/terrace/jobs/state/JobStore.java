package dev.terrace.jobs.state;

import dev.terrace.sdk.ha.ZkStateStore;
import dev.terrace.sdk.ha.ZkStateStore.Write;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Jobs and their runs in the framework's ZooKeeper state: {@code jobs/<name>} and
 * {@code runs/<name>/<number, 10 digits>}. Every write is fenced (see {@link ZkStateStore}), and a
 * new run is written together with its job's record so that a fire is never half recorded.
 */
public final class JobStore {
  private final ZkStateStore store;

  public JobStore(ZkStateStore store) {
    this.store = store;
  }

  public Map<String, JobRecord> loadJobs() {
    Map<String, JobRecord> jobs = new LinkedHashMap<>();
    for (JobRecord r : store.readAll("jobs", JobRecord.class)) {
      jobs.put(r.spec().name(), r);
    }
    return jobs;
  }

  public TreeMap<Integer, Run> loadRuns(String job) {
    TreeMap<Integer, Run> runs = new TreeMap<>();
    for (Run r : store.readAll("runs/" + job, Run.class)) {
      runs.put(r.number(), r);
    }
    return runs;
  }

  public void save(JobRecord job) {
    store.put(jobKey(job.spec().name()), job);
  }

  public void save(Run run) {
    store.put(runKey(run), run);
  }

  /** The job and any number of its (or other jobs') runs, all together or not at all. */
  public void save(JobRecord job, List<Run> runs) {
    List<Write> writes = new ArrayList<>();
    writes.add(Write.put(jobKey(job.spec().name()), job));
    runs.forEach(r -> writes.add(Write.put(runKey(r), r)));
    store.write(writes);
  }

  /** Forgets a job and its whole history. */
  public void delete(String job) {
    store.write(List.of(Write.delete("runs/" + job), Write.delete(jobKey(job))));
  }

  /** Removes old runs of a job from the history. */
  public void deleteRuns(List<Run> runs) {
    if (!runs.isEmpty()) {
      store.write(runs.stream().map(r -> Write.delete(runKey(r))).toList());
    }
  }

  private static String jobKey(String name) {
    return "jobs/" + name;
  }

  private static String runKey(Run r) {
    return "runs/" + r.job() + "/" + String.format("%010d", r.number());
  }
}
