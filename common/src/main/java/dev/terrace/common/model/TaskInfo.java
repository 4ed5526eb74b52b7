package dev.terrace.common.model;

import dev.terrace.common.json.Bytes;
import java.util.List;

/** Mesos `TaskInfo`: what a framework asks an agent to run. */
public record TaskInfo(
    String name,
    TaskId taskId,
    AgentId agentId,
    List<Resource> resources,
    ExecutorInfo executor,
    CommandInfo command,
    ContainerInfo container,
    HealthCheck healthCheck,
    KillPolicy killPolicy,
    Bytes data,
    Labels labels,
    DurationInfo maxCompletionTime) {

  public TaskInfo {
    resources = resources == null ? List.of() : List.copyOf(resources);
  }

  public static TaskInfo command(String name, TaskId id, AgentId agent, List<Resource> resources,
      CommandInfo command) {
    return new TaskInfo(name, id, agent, resources, null, command, null, null, null, null, null, null);
  }

  public TaskInfo withContainer(ContainerInfo value) {
    return new TaskInfo(name, taskId, agentId, resources, executor, command, value, healthCheck,
        killPolicy, data, labels, maxCompletionTime);
  }

  public TaskInfo withHealthCheck(HealthCheck value) {
    return new TaskInfo(name, taskId, agentId, resources, executor, command, container, value,
        killPolicy, data, labels, maxCompletionTime);
  }

  public TaskInfo withLabels(Labels value) {
    return new TaskInfo(name, taskId, agentId, resources, executor, command, container, healthCheck,
        killPolicy, data, value, maxCompletionTime);
  }

  /** A task run by the custom executor {@code value} (Mesos: instead of a command). */
  public static TaskInfo forExecutor(String name, TaskId id, AgentId agent, List<Resource> resources,
      ExecutorInfo value, Bytes data) {
    return new TaskInfo(name, id, agent, resources, value, null, null, null, null, data, null, null);
  }

  public TaskInfo withExecutor(ExecutorInfo value) {
    return new TaskInfo(name, taskId, agentId, resources, value, command, container, healthCheck,
        killPolicy, data, labels, maxCompletionTime);
  }

  public TaskInfo withKillPolicy(KillPolicy value) {
    return new TaskInfo(name, taskId, agentId, resources, executor, command, container, healthCheck,
        value, data, labels, maxCompletionTime);
  }
}
