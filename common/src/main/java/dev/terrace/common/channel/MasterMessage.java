package dev.terrace.common.channel;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.terrace.common.json.Bytes;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.KillPolicy;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;

/** What the master sends an agent over the agent channel, tagged by {@code type}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = MasterMessage.Registered.class, name = "REGISTERED"),
  @JsonSubTypes.Type(value = MasterMessage.RunTask.class, name = "RUN_TASK"),
  @JsonSubTypes.Type(value = MasterMessage.KillTask.class, name = "KILL_TASK"),
  @JsonSubTypes.Type(value = MasterMessage.Acknowledge.class, name = "ACKNOWLEDGE"),
  @JsonSubTypes.Type(value = MasterMessage.ShutdownFramework.class, name = "SHUTDOWN_FRAMEWORK"),
  @JsonSubTypes.Type(value = MasterMessage.Refused.class, name = "REFUSED"),
  @JsonSubTypes.Type(value = MasterMessage.FrameworkMessage.class, name = "FRAMEWORK_MESSAGE"),
  @JsonSubTypes.Type(value = MasterMessage.ShutdownExecutor.class, name = "SHUTDOWN_EXECUTOR"),
})
public sealed interface MasterMessage {

  /** The master admitted the agent under {@code agentId} (new, or the one it asked for). */
  record Registered(AgentId agentId, MasterInfo masterInfo) implements MasterMessage {}

  /**
   * Run {@code task}. {@code group} is the executor id of its LAUNCH_GROUP (its tasks share one
   * network namespace), or null for a task launched alone.
   */
  record RunTask(FrameworkId frameworkId, FrameworkInfo frameworkInfo, TaskInfo task, String group)
      implements MasterMessage {
    public RunTask(FrameworkId frameworkId, FrameworkInfo frameworkInfo, TaskInfo task) {
      this(frameworkId, frameworkInfo, task, null);
    }
  }

  record KillTask(FrameworkId frameworkId, TaskId taskId, KillPolicy killPolicy)
      implements MasterMessage {}

  /** The framework acknowledged the update with {@code uuid}; the agent may stop resending it. */
  record Acknowledge(FrameworkId frameworkId, TaskId taskId, Bytes uuid) implements MasterMessage {}

  /** The framework is gone: kill its tasks and forget it. */
  record ShutdownFramework(FrameworkId frameworkId) implements MasterMessage {}

  /** A framework's MESSAGE for one of its custom executors on this agent. */
  record FrameworkMessage(FrameworkId frameworkId, dev.terrace.common.model.ExecutorId executorId, Bytes data)
      implements MasterMessage {}

  /** SHUTDOWN of a custom executor: it is asked to stop, then killed after a grace period. */
  record ShutdownExecutor(FrameworkId frameworkId, dev.terrace.common.model.ExecutorId executorId)
      implements MasterMessage {}

  /** The master will not take this agent (for example an unknown id after removal); why. */
  record Refused(String message) implements MasterMessage {}
}
