package dev.terrace.agent.checkpoint;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import java.util.Objects;

/**
 * What a restarted agent needs to take one task back: whose it is, what was launched, in which
 * container and sandbox, and the newest state the agent had reported for it.
 *
 * @param frameworkId the task's framework
 * @param frameworkInfo the framework as the agent knew it (REGISTER lists it so that a master
 *     elected meanwhile can recover the framework); may be null
 * @param task the task as launched
 * @param containerId the container the task runs in
 * @param sandbox the host path of the task's sandbox (a string: it is data, not a live path)
 * @param state the newest state reported for the task: STARTING until the container runs, then
 *     RUNNING (or KILLING), then the terminal state once it is reported
 */
public record TaskCheckpoint(
    FrameworkId frameworkId,
    FrameworkInfo frameworkInfo,
    TaskInfo task,
    String containerId,
    String sandbox,
    TaskState state) {

  public TaskCheckpoint {
    Objects.requireNonNull(frameworkId, "framework_id");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(task.taskId(), "task.task_id");
    Objects.requireNonNull(containerId, "container_id");
    Objects.requireNonNull(sandbox, "sandbox");
    Objects.requireNonNull(state, "state");
  }

  public TaskCheckpoint withState(TaskState newState) {
    return new TaskCheckpoint(frameworkId, frameworkInfo, task, containerId, sandbox, newState);
  }
}
