package dev.terrace.sdk;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.Filters;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a framework answers the master: launches on the offers it used, one decline for the rest,
 * and kills that are resent at most every few seconds per task (a lost kill is repeated by the
 * next attempt; a burst of updates of the same task sends one). Not thread-safe: call it from the
 * framework's actor.
 */
public final class OfferAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(OfferAnswers.class);

  private final Clock clock;
  private final Duration killResend;
  private final Map<String, Long> killSentAt = new HashMap<>();

  public OfferAnswers(Clock clock, Duration killResend) {
    this.clock = clock;
    this.killResend = killResend;
  }

  /**
   * Launches {@code launches} on their offers and declines the other {@code offers} for
   * {@code refuseSeconds}. A launch the master refused reports its tasks to {@code dropped} as
   * {@code TASK_DROPPED} (from the framework's own thread: queue it onto the actor).
   */
  public static void send(SchedulerClient client, List<Offer> offers, Map<Offer, List<TaskInfo>> launches,
      double refuseSeconds, Consumer<TaskStatus> dropped) {
    List<OfferId> unused = new ArrayList<>();
    for (Offer o : offers) {
      List<TaskInfo> tasks = launches.get(o);
      if (tasks == null) {
        unused.add(o.id());
        continue;
      }
      client.launch(o, tasks).whenComplete((ok, err) -> {
        if (err != null) {
          LOG.warn("Launch on {} failed: {}", o.hostname(), err.getMessage());
          tasks.forEach(t -> dropped.accept(TaskStatus.of(t.taskId(), TaskState.TASK_DROPPED,
              TaskStatus.Source.SOURCE_MASTER, null, "launch failed: " + err.getMessage(), t.agentId())));
        }
      });
    }
    if (!unused.isEmpty()) {
      quietly("decline", client.decline(unused, new Filters(refuseSeconds)));
    }
  }

  /** Kills the task unless a kill of it went out less than the resend interval ago. */
  public void kill(SchedulerClient client, TaskId taskId, AgentId agentId) {
    long now = clock.millis();
    Long last = killSentAt.get(taskId.value());
    if (last != null && now - last < killResend.toMillis()) {
      return;
    }
    killSentAt.put(taskId.value(), now);
    quietly("kill", client.kill(taskId, agentId));
  }

  /** The task ended: no more kills of it. */
  public void ended(String taskId) {
    killSentAt.remove(taskId);
  }

  /** Logs (at debug) a call that failed; the framework's periodic work retries what matters. */
  public static void quietly(String what, CompletableFuture<Void> f) {
    f.exceptionally(e -> {
      LOG.debug("{} failed: {}", what, e.getMessage());
      return null;
    });
  }
}
