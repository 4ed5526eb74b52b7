package dev.terrace.spark.executor;

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
import dev.terrace.sdk.Scheduler;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.spark.placement.ExecutorPlacement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Terrace side of a Spark application: takes offers and launches executors as tasks until
 * the application has as many as it wants, relaunches the ones that fail (on other agents once an
 * agent has failed too often), and kills the ones Spark gives up.
 *
 * <p>SDK callbacks arrive on the SDK's thread and Spark's requests on Spark's threads; the state
 * is small, so every entry point is synchronized.
 */
public final class ExecutorScheduler implements Scheduler {
  private static final Logger log = LoggerFactory.getLogger(ExecutorScheduler.class);
  /** How long an offer we have no use for stays away; a revive brings offers back sooner. */
  static final double IDLE_REFUSE_SECONDS = 120;

  /** What the Spark side hears. */
  public interface Listener {
    void registered(FrameworkId frameworkId);

    /** Executor {@code executorId}'s task ended; {@code requested} when Spark asked to kill it. */
    void executorEnded(String executorId, TaskStatus status, boolean requested);
  }

  private static final class Executor {
    final String id;
    final AgentId agent;
    boolean killRequested;

    Executor(String id, AgentId agent) {
      this.id = id;
      this.agent = agent;
    }
  }

  private final ExecutorSettings settings;
  private final ExecutorTasks tasks;
  private final Supplier<String> driverUrl;
  private final Listener listener;
  private final Map<TaskId, Executor> executors = new LinkedHashMap<>();
  private final Map<AgentId, Integer> failures = new HashMap<>();
  private SchedulerClient client;
  private String appId;
  private int target;
  private int nextExecutorId;
  private boolean stopping;

  public ExecutorScheduler(ExecutorSettings settings, ExecutorTasks tasks, Supplier<String> driverUrl,
      Listener listener) {
    this.settings = settings;
    this.tasks = tasks;
    this.driverUrl = driverUrl;
    this.listener = listener;
    this.target = settings.initialTarget();
  }

  /** Hands over the client built around this scheduler, before it starts. */
  public synchronized void attach(SchedulerClient value) {
    this.client = value;
  }

  @Override
  public void subscribed(FrameworkId frameworkId, MasterInfo masterInfo) {
    synchronized (this) {
      appId = frameworkId.value();
    }
    listener.registered(frameworkId);
  }

  @Override
  public synchronized void offers(List<Offer> offers) {
    int wanted = stopping ? 0 : Math.max(0, target - executors.size());
    int coresLeft = coresLeft();
    Map<OfferId, Integer> placed = ExecutorPlacement.place(offers, settings.cores(),
        settings.taskMemMb(), wanted, coresLeft, this::eligible);
    List<OfferId> unused = new ArrayList<>();
    for (Offer offer : offers) {
      int n = placed.getOrDefault(offer.id(), 0);
      if (n == 0) {
        unused.add(offer.id());
        continue;
      }
      launch(offer, n);
    }
    if (!unused.isEmpty()) {
      boolean moreWanted = !stopping && executors.size() < target && coresLeft() >= settings.cores();
      client.decline(unused, moreWanted ? null : new Filters(IDLE_REFUSE_SECONDS));
    }
  }

  private boolean eligible(Offer offer) {
    return failures.getOrDefault(offer.agentId(), 0) < settings.maxAgentFailures()
        && settings.constraints().matches(offer.attributes());
  }

  private int coresLeft() {
    return settings.coresMax() == ExecutorSettings.UNLIMITED ? Integer.MAX_VALUE
        : settings.coresMax() - executors.size() * settings.cores();
  }

  private void launch(Offer offer, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(Integer.toString(nextExecutorId++));
    }
    List<TaskInfo> launched = tasks.build(offer, ids, driverUrl.get(), appId);
    for (String id : ids) {
      executors.put(ExecutorTasks.taskId(id), new Executor(id, offer.agentId()));
    }
    log.info("Launching executors {} on agent {} ({})", ids, offer.agentId().value(), offer.hostname());
    client.launch(offer, launched).exceptionally(e -> {
      // No status update will come for tasks the master never took: forget them and try again.
      log.warn("Launching executors {} on {} failed: {}", ids, offer.hostname(), e.getMessage());
      synchronized (this) {
        ids.forEach(id -> executors.remove(ExecutorTasks.taskId(id)));
        reviveIfShort();
      }
      return null;
    });
  }

  @Override
  public void update(TaskStatus status) {
    Executor ended;
    synchronized (this) {
      Executor e = executors.get(status.taskId());
      if (e == null || !status.state().isTerminal()) {
        return;
      }
      executors.remove(status.taskId());
      ended = e;
      if (!e.killRequested && !stopping && isFailure(status.state())) {
        int n = failures.merge(e.agent, 1, Integer::sum);
        log.warn("Executor {} on agent {} ended {} ({}); {} failure(s) there", e.id, e.agent.value(),
            status.state(), status.message(), n);
        if (n == settings.maxAgentFailures()) {
          log.warn("Agent {} gets no more executors of this application after {} failures",
              e.agent.value(), n);
        }
      }
      reviveIfShort();
    }
    listener.executorEnded(ended.id, status, ended.killRequested);
  }

  private static boolean isFailure(TaskState state) {
    return state != TaskState.TASK_FINISHED && state != TaskState.TASK_KILLED;
  }

  private void reviveIfShort() {
    if (!stopping && executors.size() < target && client != null && client.isSubscribed()) {
      client.revive().exceptionally(err -> null);
    }
  }

  /** Spark's wish for the total number of executors (dynamic allocation). */
  public synchronized void requestTotal(int total) {
    log.info("Executors wanted: {} (running or starting: {})", total, executors.size());
    target = total;
    reviveIfShort();
  }

  /** Kills the tasks of these executors; unknown ids are ignored. */
  public synchronized void kill(List<String> executorIds) {
    for (Map.Entry<TaskId, Executor> e : executors.entrySet()) {
      if (executorIds.contains(e.getValue().id)) {
        e.getValue().killRequested = true;
        client.kill(e.getKey(), e.getValue().agent).exceptionally(err -> {
          log.warn("Killing executor {} failed: {}", e.getValue().id, err.getMessage());
          return null;
        });
      }
    }
  }

  /** From now on no executor is launched or replaced. */
  public synchronized void stopping() {
    stopping = true;
  }

  /** Executors launched and not yet ended. */
  public synchronized int executorCount() {
    return executors.size();
  }

  @Override
  public void disconnected(String reason) {
    log.warn("Lost the Terrace master ({}); the SDK resubscribes", reason);
  }

  @Override
  public void error(String message) {
    log.error("The Terrace master ended this framework: {}", message);
  }
}
