package dev.terrace.sdk;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.scheduler.Call;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciliation after resubscribing, the way Mesos' documentation asks for it: the client keeps
 * the tasks it last saw alive, and after a new subscription asks about each of them explicitly,
 * again with backoff, until the master has answered for every one (a task on an agent that has not
 * re-registered with a new leader gets no answer until the agent is back or given up on); then an
 * implicit reconciliation covers tasks the framework never heard of.
 */
final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
  private static final Duration MAX_RETRY = Duration.ofSeconds(60);

  private final Map<TaskId, AgentId> live = new ConcurrentHashMap<>();
  private final Map<TaskId, Boolean> unanswered = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final Function<List<Call.Reconcile.ReconcileTask>, CompletableFuture<Void>> send;
  private ScheduledFuture<?> retry;
  private long round;

  Reconciler(ScheduledExecutorService timer,
      Function<List<Call.Reconcile.ReconcileTask>, CompletableFuture<Void>> send) {
    this.timer = timer;
    this.send = send;
  }

  /** Every update the scheduler is given passes here. */
  void seen(TaskStatus status) {
    unanswered.remove(status.taskId());
    if (status.state().isTerminal()) {
      live.remove(status.taskId());
    } else if (status.agentId() != null) {
      live.put(status.taskId(), status.agentId());
    }
  }

  /** A new subscription: start asking about every task believed alive. */
  synchronized void resubscribed() {
    round++;
    if (retry != null) {
      retry.cancel(false);
    }
    unanswered.clear();
    live.keySet().forEach(t -> unanswered.put(t, true));
    ask(round, FIRST_RETRY, true);
  }

  private synchronized void ask(long myRound, Duration next, boolean first) {
    if (myRound != round) {
      return;
    }
    List<Call.Reconcile.ReconcileTask> tasks = new ArrayList<>();
    unanswered.keySet().forEach(t -> tasks.add(new Call.Reconcile.ReconcileTask(t, live.get(t))));
    if (tasks.isEmpty()) {
      // Everything we knew of is answered; one implicit round for whatever we never heard of.
      send.apply(List.of()).exceptionally(this::failed);
      return;
    }
    if (!first) {
      LOG.info("Reconciling {} task(s) still unanswered", tasks.size());
    }
    send.apply(tasks).exceptionally(this::failed);
    Duration after = next.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : next;
    retry = timer.schedule(() -> ask(myRound, after.multipliedBy(2), false), after.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Void failed(Throwable e) {
    LOG.warn("Reconciliation call failed: {}", e.getMessage());
    return null;
  }
}
