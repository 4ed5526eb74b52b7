package dev.terrace.common.model;

import dev.terrace.common.json.Bytes;

/**
 * Mesos `TaskStatus`: one state change of a task. Updates that carry a {@code uuid} must be
 * acknowledged by the framework; the agent resends them until it is.
 */
public record TaskStatus(
    TaskId taskId,
    TaskState state,
    String message,
    Source source,
    Reason reason,
    Bytes data,
    AgentId agentId,
    ExecutorId executorId,
    Double timestamp,
    Bytes uuid,
    Boolean healthy,
    Labels labels,
    ContainerStatus containerStatus,
    TimeInfo unreachableTime) {

  public enum Source {
    SOURCE_MASTER,
    SOURCE_AGENT,
    SOURCE_EXECUTOR
  }

  public enum Reason {
    REASON_COMMAND_EXECUTOR_FAILED,
    REASON_CONTAINER_LAUNCH_FAILED,
    REASON_CONTAINER_LIMITATION,
    REASON_CONTAINER_LIMITATION_DISK,
    REASON_CONTAINER_LIMITATION_MEMORY,
    REASON_CONTAINER_PREEMPTED,
    REASON_CONTAINER_UPDATE_FAILED,
    REASON_MAX_COMPLETION_TIME_REACHED,
    REASON_EXECUTOR_REGISTRATION_TIMEOUT,
    REASON_EXECUTOR_REREGISTRATION_TIMEOUT,
    REASON_EXECUTOR_TERMINATED,
    REASON_EXECUTOR_UNREGISTERED,
    REASON_FRAMEWORK_REMOVED,
    REASON_GC_ERROR,
    REASON_INVALID_FRAMEWORKID,
    REASON_INVALID_OFFERS,
    REASON_IO_SWITCHBOARD_EXITED,
    REASON_MASTER_DISCONNECTED,
    REASON_RECONCILIATION,
    REASON_RESOURCES_UNKNOWN,
    REASON_AGENT_DISCONNECTED,
    REASON_AGENT_DRAINING,
    REASON_AGENT_REMOVED,
    REASON_AGENT_REMOVED_BY_OPERATOR,
    REASON_AGENT_REREGISTERED,
    REASON_AGENT_RESTARTED,
    REASON_AGENT_UNKNOWN,
    REASON_TASK_KILLED_DURING_LAUNCH,
    REASON_TASK_CHECK_STATUS_UPDATED,
    REASON_TASK_HEALTH_CHECK_STATUS_UPDATED,
    REASON_TASK_GROUP_INVALID,
    REASON_TASK_GROUP_UNAUTHORIZED,
    REASON_TASK_INVALID,
    REASON_TASK_UNAUTHORIZED,
    REASON_TASK_UNKNOWN
  }

  /** A fresh update from {@code source} stamped now, with a new uuid so it must be acknowledged. */
  public static TaskStatus of(TaskId task, TaskState state, Source source, Reason reason,
      String message, AgentId agent) {
    return new TaskStatus(task, state, message, source, reason, null, agent, null,
        System.currentTimeMillis() / 1000.0, Bytes.randomUuid(), null, null, null, null);
  }

  public TaskStatus withContainerStatus(ContainerStatus value) {
    return new TaskStatus(taskId, state, message, source, reason, data, agentId, executorId,
        timestamp, uuid, healthy, labels, value, unreachableTime);
  }

  /** The same status without a uuid: what the master sends for reconciliation (no ack needed). */
  public TaskStatus withoutUuid() {
    return new TaskStatus(taskId, state, message, source, reason, data, agentId, executorId,
        timestamp, null, healthy, labels, containerStatus, unreachableTime);
  }
}
