package dev.terrace.services.state;

import java.util.List;

/**
 * One instance of a service: its task, the service version it runs, where (agent, host ports),
 * the task's last state and health, and whether the framework is killing it on purpose (scale
 * down, deploy), in which case its end is no failure. Times are epoch ms.
 */
public record Instance(String taskId, int version, String state, Boolean healthy, String agentId, String hostname,
    List<Integer> ports, Long launchedAt, Long startedAt, Boolean killing, String message) {

  public Instance {
    ports = ports == null ? List.of() : List.copyOf(ports);
  }

  public boolean isKilling() {
    return Boolean.TRUE.equals(killing);
  }

  /** Running and, when the service has a health check, passing it. */
  public boolean isHealthy(boolean checked) {
    return "TASK_RUNNING".equals(state) && !isKilling() && (!checked || Boolean.TRUE.equals(healthy));
  }

  public Instance withState(String newState, Boolean newHealthy, String newMessage, long now) {
    return new Instance(taskId, version, newState, newHealthy != null ? newHealthy : healthy, agentId, hostname,
        ports, launchedAt, startedAt == null && "TASK_RUNNING".equals(newState) ? Long.valueOf(now) : startedAt,
        killing, newMessage != null ? newMessage : message);
  }

  public Instance markKilling() {
    return new Instance(taskId, version, state, healthy, agentId, hostname, ports, launchedAt, startedAt, true, message);
  }
}
