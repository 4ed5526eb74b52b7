package dev.terrace.jobs.scheduling;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.Filters;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.scheduler.Call;
import dev.terrace.jobs.spec.JobSpec;
import dev.terrace.jobs.spec.JobSpecValidator;
import dev.terrace.jobs.state.Attempt;
import dev.terrace.jobs.state.JobRecord;
import dev.terrace.jobs.state.JobStore;
import dev.terrace.jobs.state.Run;
import dev.terrace.jobs.state.RunStatus;
import dev.terrace.sdk.Scheduler;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.sdk.ha.LeaderActor;
import dev.terrace.sdk.http.HaInstance;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's brain: owns every job and run in memory (loaded from the {@link JobStore} when it
 * takes over) and changes them on one thread of its own, the actor. Scheduler events, API calls
 * and the periodic tick (cron fires, timeouts, retries) all queue there, so nothing is locked.
 *
 * <p>Every change is written to ZooKeeper before it is acted on (a launch, a kill, an answer):
 * a new leader that reads the store knows every task that may exist, and reconciles those with the
 * master when it subscribes. A write refused because another instance leads ends this one's reign
 * ({@code onFenced}).
 */
public final class JobsController implements Scheduler, HaInstance.Reign {
  private static final Logger LOG = LoggerFactory.getLogger(JobsController.class);
  private static final Pattern EXIT_STATUS = Pattern.compile("exited with status (\\d+)");
  /** Finished runs kept per job; older ones leave the history. */
  static final int HISTORY = 50;
  private static final long KILL_RESEND_MS = 5_000;
  private static final java.util.Set<TaskState> LIVE = java.util.Set.of(TaskState.TASK_STAGING,
      TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
  private static final long REVIVE_EVERY_MS = 2_000;

  private final LeaderActor actor;
  private final Clock clock;
  private final JobStore store;
  private final JobSpecValidator validator;
  private final Duration tick;
  private SchedulerClient client;
  private final Map<String, JobRecord> jobs = new TreeMap<>();
  private final Map<String, TreeMap<Integer, Run>> runs = new HashMap<>();
  /** Why each waiting instance ({@link Demand#key()}) is not placed, from the last look. */
  private final Map<String, List<String>> pendingReasons = new HashMap<>();
  /** hostname and attributes of agents seen in offers, by agent id, for UNIQUE and CLUSTER. */
  private final Map<String, Map<String, String>> agentFields = new HashMap<>();
  private final Map<String, Long> killSentAt = new HashMap<>();
  private volatile MasterInfo masterInfo;
  private volatile FrameworkId frameworkId;
  private long lastOffersAt;
  private long lastReviveAt;

  public JobsController(JobStore store, JobSpecValidator validator, Clock clock, Duration tick,
      Runnable onFenced) {
    this.store = store;
    this.validator = validator;
    this.clock = clock;
    this.tick = tick;
    this.actor = new LeaderActor("terrace-jobs", onFenced);
  }

  /** Loads the state (blocking, on the actor) and starts the tick; then {@code client} subscribes. */
  public void start(SchedulerClient schedulerClient) {
    this.client = schedulerClient;
    call(() -> {
      jobs.putAll(store.loadJobs());
      for (String name : jobs.keySet()) {
        runs.put(name, store.loadRuns(name));
      }
      LOG.info("Jobs framework leads with {} jobs", jobs.size());
      return null;
    }).join();
    actor.every(tick, this::tick);
    schedulerClient.start();
  }

  /** Stops acting at once (deposed or closing); the tasks keep running for the next leader. */
  @Override
  public void stop() {
    actor.stop();
    if (client != null) {
      client.close();
    }
  }

  public Optional<FrameworkId> frameworkId() {
    return Optional.ofNullable(frameworkId);
  }

  public Optional<MasterInfo> masterInfo() {
    return Optional.ofNullable(masterInfo);
  }

  // ---- API: each runs on the actor and completes with a snapshot or a JobsException ----

  public CompletableFuture<JobView> putJob(JobSpec submitted) {
    return call(() -> {
      JobSpec spec = submitted.withDefaults();
      Map<String, JobSpec> others = new HashMap<>();
      jobs.forEach((n, r) -> {
        if (!n.equals(spec.name())) {
          others.put(n, r.spec());
        }
      });
      List<String> problems = validator.problems(spec, others);
      if (!problems.isEmpty()) {
        throw new JobsException(400, String.join("; ", problems));
      }
      JobRecord existing = jobs.get(spec.name());
      JobRecord rec = existing != null ? existing.withSpec(spec) : new JobRecord(spec, 1, null, now());
      store.save(rec);
      jobs.put(spec.name(), rec);
      runs.computeIfAbsent(spec.name(), n -> new TreeMap<>());
      return view(rec);
    });
  }

  public CompletableFuture<Run> startRun(String name) {
    return call(() -> createRun(job(name), "manual", null, List.of()));
  }

  public CompletableFuture<List<Run>> kill(String name) {
    return call(() -> killActive(job(name), "killed by user"));
  }

  public CompletableFuture<Void> delete(String name) {
    return call(() -> {
      job(name);
      List<String> dependents = jobs.values().stream()
          .filter(r -> r.spec().dependencies().contains(name)).map(r -> r.spec().name()).toList();
      if (!dependents.isEmpty()) {
        throw new JobsException(409, "jobs " + dependents + " depend on " + name + "; remove them first");
      }
      List<Attempt> live = runs.get(name).values().stream().flatMap(r -> r.liveAttempts().stream()).toList();
      store.delete(name);
      jobs.remove(name);
      runs.remove(name);
      live.forEach(this::sendKill);
      return null;
    });
  }

  public CompletableFuture<List<JobView>> list() {
    return call(() -> jobs.values().stream().map(this::view).toList());
  }

  public CompletableFuture<JobView> show(String name) {
    return call(() -> view(job(name)));
  }

  // ---- Scheduler callbacks (SDK thread): queued to the actor ----

  @Override
  public void subscribed(FrameworkId id, MasterInfo master) {
    frameworkId = id;
    masterInfo = master;
    guardedAsync(() -> {
      // Every task an earlier leader (or this one) may have launched: the master says where each
      // stands, and unknown ones come back TASK_UNKNOWN/TASK_LOST and are retried.
      List<Call.Reconcile.ReconcileTask> tasks = new ArrayList<>();
      for (TreeMap<Integer, Run> byNumber : runs.values()) {
        for (Run r : byNumber.values()) {
          for (Attempt a : r.liveAttempts()) {
            tasks.add(new Call.Reconcile.ReconcileTask(TaskId.of(a.taskId()),
                a.agentId() == null ? null : AgentId.of(a.agentId())));
          }
        }
      }
      LOG.info("Subscribed as {}; reconciling {} tasks", id, tasks.size());
      if (!tasks.isEmpty()) {
        quietly("reconcile", client.reconcile(tasks));
      }
      revive(now());
    });
  }

  @Override
  public void offers(List<Offer> offers) {
    guardedAsync(() -> placeOn(offers));
  }

  @Override
  public void update(TaskStatus status) {
    guardedAsync(() -> updated(status));
  }

  @Override
  public void error(String message) {
    LOG.error("The master refused the jobs framework: {}", message);
  }

  // ---- the actor's work ----

  private void placeOn(List<Offer> offers) {
    long now = now();
    lastOffersAt = now;
    offers.forEach(o -> agentFields.put(o.agentId().value(), Placement.fields(o)));
    List<Demand> demands = demands(now);
    Placement.Result result = Placement.place(demands, offers);
    demands.forEach(d -> pendingReasons.remove(d.key()));
    pendingReasons.putAll(result.refusals());
    Map<Offer, List<TaskInfo>> launches = new LinkedHashMap<>();
    for (Placement.Assignment a : result.assignments()) {
      Demand d = a.demand();
      Run run = runs.get(d.spec().name()).get(d.run());
      String taskId = TaskFactory.taskId(d.spec().name(), d.run(), d.attempt().instance(), d.attempt().attempt());
      Run launched = run.launched(d.attempt(), taskId, a.offer().agentId().value(), a.offer().hostname(), now);
      store.save(launched); // before the launch: a task the store does not name must never exist
      runs.get(d.spec().name()).put(d.run(), launched);
      launches.computeIfAbsent(a.offer(), o -> new ArrayList<>())
          .add(TaskFactory.task(d.spec(), d.run(), d.attempt().instance(), d.attempt().attempt(), a.offer()));
    }
    // Decline for a short while when work waits (a backoff ends soon, or offers may change), long when idle.
    double refuse = demands.size() > result.assignments().size() || hasWaitingWork(now) ? 2 : 30;
    // Tasks whose launch never reached the master fail their attempts (and retry, if they may).
    dev.terrace.sdk.OfferAnswers.send(client, offers, launches, refuse, this::update);
  }

  private void updated(TaskStatus status) {
    Optional<TaskFactory.TaskRef> ref = TaskFactory.parse(status.taskId().value());
    Run run = ref.flatMap(r -> Optional.ofNullable(runs.get(r.job())).map(m -> m.get(r.run()))).orElse(null);
    if (run == null) {
      // A task of ours the state does not know (its service or job was removed, or it was
      // replaced while its agent was away): kill it once it shows up live, at most every few s.
      if (LIVE.contains(status.state())) {
        killUnknown(status);
      }
      return;
    }
    JobSpec spec = jobs.get(run.job()).spec();
    long now = now();
    Run after = run.update(status.taskId().value(), status.state().name(), status.state().isTerminal(),
        status.message(), exitCode(status), spec.retries(), spec.retryBackoffSeconds(), now);
    if (after.equals(run)) {
      return;
    }
    store.save(after);
    runs.get(run.job()).put(run.number(), after);
    if (after.status() == RunStatus.FAILED || after.status() == RunStatus.KILLED) {
      after.liveAttempts().forEach(this::sendKill);
    }
    if (after.status() == RunStatus.SUCCEEDED && run.status() != RunStatus.SUCCEEDED) {
      LOG.info("Run {} of job {} succeeded", after.number(), after.job());
      triggerDependents(after.job());
    }
    if (!after.launchable(Long.MAX_VALUE).isEmpty()) {
      revive(now);
    }
  }

  private void tick() {
    long now = now();
    for (JobRecord rec : List.copyOf(jobs.values())) {
      ScheduleClock.dueFire(rec, now).ifPresent(due -> fire(rec, due));
    }
    for (TreeMap<Integer, Run> byNumber : runs.values()) {
      for (Run r : List.copyOf(byNumber.values())) {
        timeouts(r, now);
        if (r.status().isDone()) {
          r.liveAttempts().forEach(this::sendKill); // resent until the task ends
        }
      }
    }
    if (hasWaitingWork(now) && now - lastOffersAt > REVIVE_EVERY_MS) {
      revive(now);
    }
    pruneHistory();
  }

  private void fire(JobRecord rec, long due) {
    JobSpec spec = rec.spec();
    List<Run> active = runs.get(spec.name()).values().stream().filter(r -> !r.status().isDone()).toList();
    if (!active.isEmpty() && spec.concurrencyPolicy() == dev.terrace.jobs.spec.ConcurrencyPolicy.FORBID) {
      LOG.info("Job {}: skipping the fire at {}: run {} is still active (FORBID)", spec.name(),
          java.time.Instant.ofEpochMilli(due), active.get(0).number());
      JobRecord skipped = rec.withLastFireAt(due);
      store.save(skipped);
      jobs.put(spec.name(), skipped);
      return;
    }
    List<Run> replaced = new ArrayList<>();
    if (spec.concurrencyPolicy() == dev.terrace.jobs.spec.ConcurrencyPolicy.REPLACE) {
      active.forEach(r -> replaced.add(r.kill("replaced by a newer scheduled run", now())));
    }
    createRun(rec, "schedule", due, replaced);
    replaced.forEach(r -> r.liveAttempts().forEach(this::sendKill));
  }

  /** Writes a new run (with the job's next number, and {@code fireAt} as its last fire) and {@code alsoSave}. */
  private Run createRun(JobRecord rec, String trigger, Long fireAt, List<Run> alsoSave) {
    long now = now();
    Run run = Run.create(rec.spec().name(), rec.nextRun(), trigger, rec.spec().instances(), now);
    JobRecord next = rec.withNextRun(rec.nextRun() + 1);
    if (fireAt != null) {
      next = next.withLastFireAt(fireAt);
    }
    List<Run> writes = new ArrayList<>(alsoSave);
    writes.add(run);
    store.save(next, writes);
    jobs.put(next.spec().name(), next);
    TreeMap<Integer, Run> byNumber = runs.computeIfAbsent(next.spec().name(), n -> new TreeMap<>());
    writes.forEach(r -> byNumber.put(r.number(), r));
    LOG.info("Job {}: run {} created ({})", run.job(), run.number(), trigger);
    revive(now);
    return run;
  }

  private List<Run> killActive(JobRecord rec, String why) {
    List<Run> killed = runs.get(rec.spec().name()).values().stream().filter(r -> !r.status().isDone())
        .map(r -> r.kill(why, now())).toList();
    if (!killed.isEmpty()) {
      store.save(rec, killed);
      killed.forEach(r -> runs.get(r.job()).put(r.number(), r));
      killed.forEach(r -> r.liveAttempts().forEach(this::sendKill));
    }
    return killed;
  }

  private void timeouts(Run r, long now) {
    Double limit = jobs.get(r.job()).spec().timeoutSeconds();
    if (limit == null || r.status().isDone()) {
      return;
    }
    for (Attempt a : r.liveAttempts()) {
      if (a.startedAt() != null && !Boolean.TRUE.equals(a.timedOut()) && now - a.startedAt() > limit * 1000) {
        LOG.info("Task {} ran longer than {} s; killing it", a.taskId(), limit);
        Run marked = runs.get(r.job()).get(r.number()).timedOut(a);
        store.save(marked);
        runs.get(r.job()).put(r.number(), marked);
        sendKill(a);
      }
    }
  }

  private void triggerDependents(String parent) {
    for (JobRecord rec : List.copyOf(jobs.values())) {
      JobSpec spec = rec.spec();
      if (spec.dependencies().contains(parent) && dependencyWait(spec).isEmpty()
          && runs.get(spec.name()).values().stream().allMatch(r -> r.status().isDone())) {
        createRun(rec, "dependency", null, List.of());
      }
    }
  }

  /** Why a job with dependencies must wait, or empty when each dependency's latest run succeeded. */
  private Optional<String> dependencyWait(JobSpec spec) {
    for (String dep : spec.dependencies()) {
      TreeMap<Integer, Run> depRuns = runs.getOrDefault(dep, new TreeMap<>());
      if (depRuns.isEmpty()) {
        return Optional.of("waiting for job " + dep + " to succeed (it has not run)");
      }
      Run latest = depRuns.lastEntry().getValue();
      if (latest.status() != RunStatus.SUCCEEDED) {
        return Optional.of("waiting for job " + dep + " to succeed (its run " + latest.number() + " is "
            + latest.status() + ")");
      }
    }
    return Optional.empty();
  }

  /** The attempts that want an offer now, oldest runs first; those that must wait get a reason. */
  private List<Demand> demands(long now) {
    List<Run> active = new ArrayList<>();
    runs.values().forEach(m -> m.values().stream().filter(r -> !r.status().isDone()).forEach(active::add));
    active.sort(Comparator.comparingLong(Run::createdAt).thenComparing(Run::number));
    List<Demand> out = new ArrayList<>();
    for (Run r : active) {
      JobSpec spec = jobs.get(r.job()).spec();
      Optional<String> wait = spec.dependencies().isEmpty() ? Optional.empty() : dependencyWait(spec);
      List<Map<String, String>> siblings = r.liveAttempts().stream()
          .map(a -> agentFields.getOrDefault(a.agentId(), Map.of("hostname", String.valueOf(a.hostname()))))
          .toList();
      for (Attempt a : r.current().values()) {
        if (!a.isPending()) {
          continue;
        }
        Demand d = new Demand(spec, r.number(), a, siblings);
        if (wait.isPresent()) {
          pendingReasons.put(d.key(), List.of(wait.get()));
        } else if (a.notBefore() != null && a.notBefore() > now) {
          pendingReasons.put(d.key(), List.of("retry backoff until "
              + java.time.Instant.ofEpochMilli(a.notBefore())));
        } else {
          out.add(d);
        }
      }
    }
    return out;
  }

  private boolean hasWaitingWork(long now) {
    return runs.values().stream().anyMatch(m -> m.values().stream()
        .anyMatch(r -> !r.launchable(Long.MAX_VALUE).isEmpty()));
  }

  private void pruneHistory() {
    for (TreeMap<Integer, Run> byNumber : runs.values()) {
      List<Run> done = byNumber.values().stream().filter(r -> r.status().isDone() && r.liveAttempts().isEmpty())
          .toList();
      if (done.size() > HISTORY) {
        List<Run> old = done.subList(0, done.size() - HISTORY);
        store.deleteRuns(old);
        old.forEach(r -> byNumber.remove(r.number()));
      }
    }
  }

  private void killUnknown(TaskStatus status) {
    String id = status.taskId().value();
    Long last = killSentAt.get(id);
    if (last != null && now() - last < KILL_RESEND_MS) {
      return;
    }
    LOG.info("Killing task {}: no job run knows it", id);
    killSentAt.put(id, now());
    quietly("kill", client.kill(status.taskId(), status.agentId()));
  }

  private void sendKill(Attempt a) {
    long now = now();
    Long last = killSentAt.get(a.taskId());
    if (last != null && now - last < KILL_RESEND_MS) {
      return;
    }
    killSentAt.put(a.taskId(), now);
    quietly("kill", client.kill(TaskId.of(a.taskId()), a.agentId() == null ? null : AgentId.of(a.agentId())));
  }

  private void revive(long now) {
    lastReviveAt = now;
    if (client != null && client.isSubscribed()) {
      quietly("revive", client.revive());
    }
  }

  private JobView view(JobRecord rec) {
    String name = rec.spec().name();
    List<Run> newestFirst = new ArrayList<>(runs.getOrDefault(name, new TreeMap<>()).descendingMap().values());
    Map<String, List<String>> reasons = new TreeMap<>();
    pendingReasons.forEach((k, v) -> {
      if (k.startsWith(name + ".")) {
        Optional<TaskFactory.TaskRef> ref = TaskFactory.parse(k + ".0");
        Run r = ref.map(x -> runs.get(name).get(x.run())).orElse(null);
        if (r != null && !r.status().isDone() && r.current().get(ref.get().instance()) != null
            && r.current().get(ref.get().instance()).isPending()) {
          reasons.put(k, v);
        }
      }
    });
    return new JobView(rec.spec(), ScheduleClock.nextFire(rec).orElse(null), rec.lastFireAt(), newestFirst, reasons);
  }

  private JobRecord job(String name) {
    JobRecord rec = jobs.get(name);
    if (rec == null) {
      throw new JobsException(404, "no job named " + name);
    }
    return rec;
  }

  private static Integer exitCode(TaskStatus s) {
    if (s.message() == null) {
      return s.state() == TaskState.TASK_FINISHED ? 0 : null;
    }
    Matcher m = EXIT_STATUS.matcher(s.message());
    return m.find() ? Integer.valueOf(m.group(1)) : s.state() == TaskState.TASK_FINISHED ? 0 : null;
  }

  private long now() {
    return clock.millis();
  }

  private <T> CompletableFuture<T> call(Callable<T> work) {
    return actor.call(work);
  }

  private void guardedAsync(Runnable work) {
    actor.execute(work);
  }

  private static void quietly(String what, CompletableFuture<Void> f) {
    f.exceptionally(e -> {
      LOG.debug("{} failed: {}", what, e.getMessage());
      return null;
    });
  }
}
