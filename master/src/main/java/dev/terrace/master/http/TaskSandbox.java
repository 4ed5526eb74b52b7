package dev.terrace.master.http;

import dev.terrace.common.model.TaskId;
import dev.terrace.master.Master;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.TaskEntry;
import java.util.Optional;

/**
 * Where a task's sandbox is: its agent's address and the sandbox's path in the agent's files API
 * ({@code /frameworks/F/executors/E/runs/latest}). Looked up on the master's context.
 *
 * @param host the agent's hostname
 * @param port the agent's HTTP port
 * @param root the sandbox's virtual path, without a trailing slash
 */
record TaskSandbox(String host, int port, String root) {

  /** The task, or its agent, is not known to the master (answered as 404). */
  static final class NotFound extends Exception {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }

  /** The sandbox of {@code taskId}, running or completed. */
  static TaskSandbox locate(Master m, String taskId) throws NotFound {
    TaskEntry task = find(m, taskId);
    if (task == null) {
      throw new NotFound("No such task: " + taskId);
    }
    AgentEntry agent = m.agent(task.agentId);
    if (agent == null) {
      throw new NotFound("The task's agent is not registered");
    }
    // Command tasks run under an executor named after the task; others name their executor.
    String executor = task.info.executor() != null && task.info.executor().executorId() != null
        ? task.info.executor().executorId().value() : task.info.taskId().value();
    String root = "/frameworks/" + task.frameworkId.value() + "/executors/" + executor + "/runs/latest";
    return new TaskSandbox(agent.info.hostname(), agent.info.port() == null ? 5051 : agent.info.port(), root);
  }

  /** Running tasks first, then the completed ones kept per framework (a finished task's files). */
  private static TaskEntry find(Master m, String taskId) {
    TaskId id = TaskId.of(taskId);
    for (FrameworkEntry fw : m.frameworks()) {
      TaskEntry t = fw.tasks.get(id);
      if (t != null) {
        return t;
      }
    }
    for (FrameworkEntry fw : m.frameworks()) {
      Optional<TaskEntry> done = fw.completedTasks.stream()
          .filter(t -> t.info.taskId().value().equals(taskId)).reduce((a, b) -> b);
      if (done.isPresent()) {
        return done.get();
      }
    }
    return null;
  }
}
