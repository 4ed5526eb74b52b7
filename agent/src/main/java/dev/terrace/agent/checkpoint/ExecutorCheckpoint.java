package dev.terrace.agent.checkpoint;

import dev.terrace.common.model.ExecutorInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import java.util.List;
import java.util.Objects;

/**
 * What a restarted agent needs to take a custom executor back: whose it is, in which container and
 * sandbox, and the tasks it was given with the newest state the agent knows for each.
 *
 * @param frameworkInfo the framework as the agent knew it; may be null
 * @param sandbox the host path of the executor's sandbox
 */
public record ExecutorCheckpoint(
    FrameworkId frameworkId,
    FrameworkInfo frameworkInfo,
    ExecutorInfo executor,
    String containerId,
    String sandbox,
    List<Task> tasks) {

  /** One task given to the executor and its newest state. */
  public record Task(TaskInfo task, TaskState state) {
    public Task {
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(state, "state");
    }
  }

  public ExecutorCheckpoint {
    Objects.requireNonNull(frameworkId, "framework_id");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(executor.executorId(), "executor.executor_id");
    Objects.requireNonNull(containerId, "container_id");
    Objects.requireNonNull(sandbox, "sandbox");
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }
}
