package dev.terrace.master.auth;

import dev.terrace.common.model.TaskId;
import dev.terrace.master.Master;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.TaskEntry;
import java.util.Optional;

/** Whose a task is, for the sandbox ACLs: the Unix user it runs as (running or completed). */
final class TaskOwners {
  private TaskOwners() {}

  /** The task's owner (its command's user, else its framework's), empty for an unknown task. */
  static Optional<TaskEntryUser> find(Master m, String taskId) {
    if (m == null || taskId == null || taskId.isEmpty()) {
      return Optional.empty();
    }
    TaskId id = TaskId.of(taskId);
    for (FrameworkEntry fw : m.frameworks()) {
      TaskEntry t = fw.tasks.get(id);
      if (t == null) {
        t = fw.completedTasks.stream().filter(c -> c.info.taskId().equals(id)).findFirst().orElse(null);
      }
      if (t != null) {
        return Optional.of(new TaskEntryUser(SchedulerAuthorization.userOf(t.info, fw.info)));
      }
    }
    return Optional.empty();
  }

  /** A found task's user, which may itself be null (no command user, no framework user). */
  record TaskEntryUser(String user) {}
}
