package dev.terrace.common.executor;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import dev.terrace.common.json.Bytes;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.ContainerId;
import dev.terrace.common.model.ExecutorInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.KillPolicy;
import dev.terrace.common.model.TaskGroupInfo;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;

/** Mesos v1 executor {@code Event}: one record of the executor's SUBSCRIBE stream. */
public record ExecutorEvent(
    Type type,
    Subscribed subscribed,
    Acknowledged acknowledged,
    Launch launch,
    LaunchGroup launchGroup,
    Kill kill,
    Message message,
    Error error) {

  public enum Type {
    @JsonEnumDefaultValue
    UNKNOWN,
    SUBSCRIBED,
    LAUNCH,
    LAUNCH_GROUP,
    KILL,
    ACKNOWLEDGED,
    MESSAGE,
    ERROR,
    SHUTDOWN,
    HEARTBEAT
  }

  public record Subscribed(ExecutorInfo executorInfo, FrameworkInfo frameworkInfo, AgentInfo agentInfo,
      ContainerId containerId) {}

  public record Acknowledged(TaskId taskId, Bytes uuid) {}

  public record Launch(TaskInfo task) {}

  public record LaunchGroup(TaskGroupInfo taskGroup) {}

  public record Kill(TaskId taskId, KillPolicy killPolicy) {}

  public record Message(Bytes data) {}

  public record Error(String message) {}

  public static ExecutorEvent subscribed(ExecutorInfo executor, FrameworkInfo framework, AgentInfo agent,
      ContainerId container) {
    return new ExecutorEvent(Type.SUBSCRIBED, new Subscribed(executor, framework, agent, container), null,
        null, null, null, null, null);
  }

  public static ExecutorEvent launch(TaskInfo task) {
    return new ExecutorEvent(Type.LAUNCH, null, null, new Launch(task), null, null, null, null);
  }

  public static ExecutorEvent kill(TaskId task, KillPolicy policy) {
    return new ExecutorEvent(Type.KILL, null, null, null, null, new Kill(task, policy), null, null);
  }

  public static ExecutorEvent acknowledged(TaskId task, Bytes uuid) {
    return new ExecutorEvent(Type.ACKNOWLEDGED, null, new Acknowledged(task, uuid), null, null, null, null,
        null);
  }

  public static ExecutorEvent message(Bytes data) {
    return new ExecutorEvent(Type.MESSAGE, null, null, null, null, null, new Message(data), null);
  }

  public static ExecutorEvent error(String message) {
    return new ExecutorEvent(Type.ERROR, null, null, null, null, null, null, new Error(message));
  }

  public static ExecutorEvent shutdown() {
    return new ExecutorEvent(Type.SHUTDOWN, null, null, null, null, null, null, null);
  }

  public static ExecutorEvent heartbeat() {
    return new ExecutorEvent(Type.HEARTBEAT, null, null, null, null, null, null, null);
  }
}
