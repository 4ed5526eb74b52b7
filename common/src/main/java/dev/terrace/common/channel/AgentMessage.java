package dev.terrace.common.channel;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.terrace.common.json.Bytes;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.ExecutorInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskStatus;
import java.util.List;

/**
 * What an agent sends the master over its WebSocket, one JSON text frame per message, tagged by
 * {@code type}. The agent channel is Terrace's own protocol (Mesos uses libprocess messages here);
 * its payloads are the Mesos wire records.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AgentMessage.Register.class, name = "REGISTER"),
  @JsonSubTypes.Type(value = AgentMessage.StatusUpdate.class, name = "STATUS_UPDATE"),
  @JsonSubTypes.Type(value = AgentMessage.ExecutorMessage.class, name = "EXECUTOR_MESSAGE"),
  @JsonSubTypes.Type(value = AgentMessage.ExecutorExited.class, name = "EXECUTOR_EXITED"),
})
public sealed interface AgentMessage {

  /**
   * First message on every connection. {@code agentInfo.id} is absent the first time an agent
   * registers and present when it comes back (re-registration), together with the tasks and
   * frameworks it still knows, so that a master (new or not) can rebuild what runs where.
   */
  record Register(AgentInfo agentInfo, String version, List<Task> tasks,
      List<FrameworkInfo> frameworks, List<ExecutorInfo> executors) implements AgentMessage {
    public Register {
      tasks = tasks == null ? List.of() : List.copyOf(tasks);
      frameworks = frameworks == null ? List.of() : List.copyOf(frameworks);
      executors = executors == null ? List.of() : List.copyOf(executors);
    }

    public Register(AgentInfo agentInfo, String version, List<Task> tasks, List<FrameworkInfo> frameworks) {
      this(agentInfo, version, tasks, frameworks, List.of());
    }
  }

  /** A custom executor's MESSAGE for its framework (Mesos' ExecutorToFrameworkMessage). */
  record ExecutorMessage(FrameworkId frameworkId, ExecutorId executorId, Bytes data) implements AgentMessage {}

  /**
   * A custom executor ended (its process exited or was killed); {@code status} is its exit code or
   * wait status, null when unknown. Its resources are free; its framework hears FAILURE.
   */
  record ExecutorExited(FrameworkId frameworkId, ExecutorId executorId, Integer status) implements AgentMessage {}

  /** A task the agent knows: what was launched and its latest state. */
  record Task(FrameworkId frameworkId, TaskInfo taskInfo, TaskStatus latestStatus) {}

  /**
   * A task status update, resent by the agent until the master relays an acknowledgement. Updates
   * of one task go out one at a time in order, so {@code status} may be older than what the agent
   * knows; {@code latestState} is the newest state, which the master's bookkeeping (and resource
   * recovery) follows while the framework catches up on acknowledgements.
   */
  record StatusUpdate(FrameworkId frameworkId, TaskStatus status, dev.terrace.common.model.TaskState latestState)
      implements AgentMessage {}
}
