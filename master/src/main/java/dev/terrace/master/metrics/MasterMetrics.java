package dev.terrace.master.metrics;

import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.Master;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.TaskEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The master's metrics under Mesos' names ({@code master/tasks_running}, {@code
 * allocator/allocation_runs}, ...), kept in a Micrometer {@link PrometheusMeterRegistry} owned by
 * the master process (it outlives terms of leadership, as Mesos' process-wide metrics do).
 *
 * <p>Gauges never read master state themselves: {@link #refresh} computes their values on the
 * master's context (the endpoints call it before answering) into a small concurrent map the
 * registry's gauges read from any thread. Counters and the allocation timer are thread-safe.
 *
 * <p>In Prometheus text a name's {@code /} becomes {@code _} under the prefix {@code terrace_}
 * ({@code master/tasks_running} is {@code terrace_master_tasks_running}); counters get Prometheus'
 * {@code _total} suffix.
 */
public final class MasterMetrics {
  /** Gauges, in Mesos' names; computed by {@link #refresh}. */
  static final List<String> GAUGES = List.of(
      "master/elected", "master/uptime_secs",
      "master/slaves_active", "master/slaves_inactive", "master/slaves_connected",
      "master/slaves_disconnected", "master/slaves_unreachable",
      "master/frameworks_active", "master/frameworks_inactive", "master/frameworks_connected",
      "master/frameworks_disconnected",
      "master/tasks_staging", "master/tasks_starting", "master/tasks_running",
      "master/tasks_killing", "master/tasks_unreachable",
      "master/cpus_total", "master/cpus_used", "master/cpus_percent",
      "master/mem_total", "master/mem_used", "master/mem_percent",
      "master/disk_total", "master/disk_used", "master/disk_percent",
      "master/gpus_total", "master/gpus_used",
      "master/outstanding_offers");
  /** Terminal states counted as they happen (Mesos' counters {@code master/tasks_finished}, ...). */
  private static final List<TaskState> COUNTED_TERMINAL = List.of(TaskState.TASK_FINISHED,
      TaskState.TASK_FAILED, TaskState.TASK_KILLED, TaskState.TASK_LOST, TaskState.TASK_ERROR,
      TaskState.TASK_DROPPED, TaskState.TASK_GONE, TaskState.TASK_GONE_BY_OPERATOR);
  private static final String PREFIX = "terrace.";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Instant processStart;
  private final Map<String, Double> gauges = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Timer allocationRun;

  public MasterMetrics(Instant processStart) {
    this.processStart = processStart;
    for (String name : GAUGES) {
      gauges.put(name, 0.0);
      Gauge.builder(micrometerName(name), gauges, g -> g.getOrDefault(name, 0.0)).register(registry);
    }
    for (TaskState s : COUNTED_TERMINAL) {
      counter(stateMetric(s));
    }
    for (String name : List.of("master/valid_status_updates", "master/invalid_status_updates",
        "master/messages_status_update", "allocator/allocation_runs")) {
      counter(name);
    }
    allocationRun = Timer.builder(micrometerName("allocator/allocation_run")).register(registry);
  }

  /**
   * One HTTP request answered: its time to the response's headers (for the streams, how long
   * subscribing took), by endpoint, method and status class, as {@code terrace_http_requests}.
   */
  public void request(String endpoint, String method, int status, long nanos) {
    Timer.builder(PREFIX + "http.requests").tag("endpoint", endpoint).tag("method", method)
        .tag("status", (status / 100) + "xx").register(registry).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /**
   * Recomputes the gauges. Call only on the master's context; {@code m} is null on a standby,
   * which answers {@code master/elected} 0 and zero for the leader's figures.
   */
  public void refresh(Master m, Instant now) {
    Map<String, Double> v = new java.util.HashMap<>();
    GAUGES.forEach(n -> v.put(n, 0.0));
    v.put("master/uptime_secs", Duration.between(processStart, now).toMillis() / 1000.0);
    if (m != null) {
      v.put("master/elected", 1.0);
      Resources total = Resources.empty();
      Resources used = Resources.empty();
      int connected = 0;
      for (AgentEntry a : m.agents()) {
        total = total.plus(a.total);
        connected += a.connected() ? 1 : 0;
      }
      v.put("master/slaves_active", (double) connected);
      v.put("master/slaves_connected", (double) connected);
      v.put("master/slaves_disconnected", (double) (m.agents().size() - connected));
      v.put("master/slaves_inactive", (double) (m.agents().size() - connected));
      v.put("master/slaves_unreachable", (double) m.unreachableAgents().size());
      int fwConnected = 0;
      int offers = 0;
      Map<TaskState, Integer> states = new java.util.EnumMap<>(TaskState.class);
      for (FrameworkEntry fw : m.frameworks()) {
        fwConnected += fw.connected() ? 1 : 0;
        offers += fw.offers.size();
        for (TaskEntry t : fw.tasks.values()) {
          states.merge(t.state(), 1, Integer::sum);
          used = used.plus(t.resources);
        }
        for (TaskEntry t : fw.completedTasks) {
          if (t.state() == TaskState.TASK_UNREACHABLE) {
            states.merge(t.state(), 1, Integer::sum);
          }
        }
      }
      v.put("master/frameworks_active", (double) fwConnected);
      v.put("master/frameworks_connected", (double) fwConnected);
      v.put("master/frameworks_disconnected", (double) (m.frameworks().size() - fwConnected));
      v.put("master/frameworks_inactive", (double) (m.frameworks().size() - fwConnected));
      v.put("master/outstanding_offers", (double) offers);
      for (TaskState s : List.of(TaskState.TASK_STAGING, TaskState.TASK_STARTING,
          TaskState.TASK_RUNNING, TaskState.TASK_KILLING, TaskState.TASK_UNREACHABLE)) {
        v.put(stateMetric(s), (double) states.getOrDefault(s, 0));
      }
      for (String r : List.of("cpus", "mem", "disk", "gpus")) {
        double t = total.scalar(r);
        double u = used.scalar(r);
        v.put("master/" + r + "_total", t);
        v.put("master/" + r + "_used", u);
        if (!r.equals("gpus")) {
          v.put("master/" + r + "_percent", t > 0 ? u / t : 0.0);
        }
      }
    }
    gauges.putAll(v);
  }

  /** A task reached a terminal state (or was given up on); counts the terminal ones. */
  public void taskCompleted(TaskState state) {
    if (COUNTED_TERMINAL.contains(state)) {
      counter(stateMetric(state)).increment();
    }
  }

  /** A status update arrived from an agent; valid when its framework and task are known. */
  public void statusUpdate(boolean valid) {
    counter("master/messages_status_update").increment();
    counter(valid ? "master/valid_status_updates" : "master/invalid_status_updates").increment();
  }

  /** A scheduler call of {@code type} (e.g. ACCEPT) was accepted for processing. */
  public void schedulerCall(String type) {
    counter("master/messages_" + type.toLowerCase(Locale.ROOT)).increment();
  }

  /** One allocation pass took {@code nanos}. */
  public void allocationRun(long nanos) {
    counter("allocator/allocation_runs").increment();
    allocationRun.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The flat Mesos snapshot: gauges as refreshed last, counters, and the allocation timer. */
  public SortedMap<String, Double> snapshot() {
    SortedMap<String, Double> out = new TreeMap<>(gauges);
    counters.forEach((name, c) -> out.put(name, c.count()));
    out.put("allocator/allocation_run_ms", allocationRun.mean(TimeUnit.MILLISECONDS));
    out.put("allocator/allocation_run_ms/count", (double) allocationRun.count());
    out.put("allocator/allocation_run_ms/max", allocationRun.max(TimeUnit.MILLISECONDS));
    out.put("allocator/allocation_run_ms/total", allocationRun.totalTime(TimeUnit.MILLISECONDS));
    return out;
  }

  /** Prometheus text exposition (format 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  private Counter counter(String name) {
    return counters.computeIfAbsent(name, n -> Counter.builder(micrometerName(n)).register(registry));
  }

  private static String stateMetric(TaskState s) {
    return "master/tasks_" + s.name().substring("TASK_".length()).toLowerCase(Locale.ROOT);
  }

  /** {@code master/tasks_running} → {@code terrace.master.tasks_running} (Prometheus: underscores). */
  static String micrometerName(String mesosName) {
    return PREFIX + mesosName.replace('/', '.');
  }
}
