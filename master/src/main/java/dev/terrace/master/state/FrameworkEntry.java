package dev.terrace.master.state;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.TaskId;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/** The master's record of one framework: its subscription, tasks and outstanding offers. */
public final class FrameworkEntry {
  /** Mesos' max_completed_tasks_per_framework. */
  public static final int MAX_COMPLETED_TASKS = 1000;

  public final FrameworkId id;
  public FrameworkInfo info;
  public final Instant registeredTime;
  public final Map<TaskId, TaskEntry> tasks = new LinkedHashMap<>();
  public final Deque<TaskEntry> completedTasks = new ArrayDeque<>();
  public final Map<OfferId, Offer> offers = new LinkedHashMap<>();
  /** The framework's custom executors running on each agent. */
  public final Map<dev.terrace.common.model.AgentId,
      Map<dev.terrace.common.model.ExecutorId, dev.terrace.common.model.ExecutorInfo>> executors =
      new LinkedHashMap<>();
  private FrameworkLink link;
  /** Timer that tears the framework down when it does not come back; -1 when none is pending. */
  public long failoverTimer = -1;

  public FrameworkEntry(FrameworkId id, FrameworkInfo info, Instant registeredTime) {
    this.id = id;
    this.info = info;
    this.registeredTime = registeredTime;
  }

  public FrameworkLink link() {
    return link;
  }

  public void setLink(FrameworkLink link) {
    this.link = link;
  }

  public boolean connected() {
    return link != null;
  }

  public void complete(TaskEntry task) {
    tasks.remove(task.info.taskId());
    completedTasks.addLast(task);
    while (completedTasks.size() > MAX_COMPLETED_TASKS) {
      completedTasks.removeFirst();
    }
  }
}
