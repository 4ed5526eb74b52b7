package dev.terrace.agent.monitor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.agent.cgroups.ResourceStatistics;
import dev.terrace.agent.containerizer.ContainerException;
import dev.terrace.agent.containerizer.Containerizer;
import dev.terrace.agent.task.TaskRunner;
import dev.terrace.common.model.TaskState;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos' {@code GET /monitor/statistics} (and {@code .json}): one entry per running task with the
 * usage its cgroups count, in Mesos' ResourceStatistics names. The task list is taken on the
 * agent's context; the cgroup files are read on the worker pool. A container that cannot be
 * measured (it exited meanwhile) is left out; one whose containerizer has no cgroups (plain host
 * processes in tests) is listed with a timestamp only. Each task is its own executor here (command
 * tasks, as Mesos' command executor), so executor_id and source are the task id.
 */
public final class MonitorApi {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorApi.class);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** What the handler needs of a task, copied on the agent's context. */
  private record Target(String frameworkId, String taskId, String name, String containerId) {}

  private final Supplier<Collection<TaskRunner>> tasks;
  private final Containerizer containerizer;
  private final WorkerExecutor pool;

  /** @param tasks the agent's current tasks; called on the agent's context only */
  public MonitorApi(Supplier<Collection<TaskRunner>> tasks, Containerizer containerizer,
      WorkerExecutor pool) {
    this.tasks = tasks;
    this.containerizer = containerizer;
    this.pool = pool;
  }

  public void mount(Router router) {
    router.get("/monitor/statistics").handler(this::statistics);
    router.get("/monitor/statistics.json").handler(this::statistics);
  }

  private void statistics(RoutingContext ctx) {
    List<Target> targets = tasks.get().stream()
        .filter(t -> t.state() == TaskState.TASK_RUNNING || t.state() == TaskState.TASK_KILLING)
        .map(t -> new Target(t.frameworkId().value(), t.task().taskId().value(), t.task().name(),
            t.containerId()))
        .toList();
    pool.<ArrayNode>executeBlocking(() -> read(targets), false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("/monitor/statistics failed", ar.cause());
        ctx.response().setStatusCode(500).end(String.valueOf(ar.cause().getMessage()));
      } else {
        ctx.response().putHeader("Content-Type", "application/json").end(ar.result().toString());
      }
    });
  }

  private ArrayNode read(List<Target> targets) {
    ArrayNode array = F.arrayNode();
    for (Target t : targets) {
      Optional<ResourceStatistics> stats;
      try {
        stats = containerizer.statistics(t.containerId());
      } catch (ContainerException | RuntimeException e) {
        LOG.debug("No statistics for task {}: {}", t.taskId(), e.getMessage());
        continue;
      }
      ObjectNode entry = array.addObject();
      entry.put("framework_id", t.frameworkId());
      entry.put("executor_id", t.taskId());
      entry.put("executor_name", "Command Executor (Task: " + t.taskId() + ")");
      entry.put("source", t.taskId());
      ObjectNode s = entry.putObject("statistics");
      s.put("timestamp", System.currentTimeMillis() / 1000.0);
      stats.ifPresent(r -> fill(s, r));
    }
    return array;
  }

  /** Mesos' field names; a value the kernel does not provide (-1) is left out, as Mesos does. */
  static void fill(ObjectNode s, ResourceStatistics r) {
    put(s, "cpus_user_time_secs", r.cpusUserTimeSecs());
    put(s, "cpus_system_time_secs", r.cpusSystemTimeSecs());
    put(s, "cpus_limit", r.cpusLimit());
    put(s, "cpus_nr_periods", r.cpusNrPeriods());
    put(s, "cpus_nr_throttled", r.cpusNrThrottled());
    put(s, "cpus_throttled_time_secs", r.cpusThrottledTimeSecs());
    put(s, "mem_rss_bytes", r.memRssBytes());
    put(s, "mem_total_bytes", r.memTotalBytes());
    put(s, "mem_limit_bytes", r.memLimitBytes());
    put(s, "processes", r.processes());
  }

  private static void put(ObjectNode s, String field, double value) {
    if (value >= 0) {
      s.put(field, value);
    }
  }

  private static void put(ObjectNode s, String field, long value) {
    if (value >= 0) {
      s.put(field, value);
    }
  }
}
