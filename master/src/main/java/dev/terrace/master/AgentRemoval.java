package dev.terrace.master;

import dev.terrace.common.channel.MasterMessage;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.scheduler.Event;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.TaskEntry;
import java.util.List;

/**
 * Takes an agent out of the cluster, for the three reasons there are: it became unreachable (it
 * may come back), an operator marked it gone, or its machine went down for maintenance (both for
 * good). Runs on the master's context; the caller has already dropped the agent from the
 * master's agents and written the registry.
 */
final class AgentRemoval {
  private final Master master;

  AgentRemoval(Master master) {
    this.master = master;
  }

  /**
   * No offers from {@code agent} any more; its live tasks end as {@code awareState} for
   * partition-aware frameworks and TASK_LOST for the others. Gone for good (a terminal {@code
   * awareState}), it is told to kill its tasks, its channel is closed, and tasks already
   * reported unreachable get the final word too.
   *
   * @param agent the removed entry, or null when the agent was not connected to this master
   */
  void remove(AgentEntry agent, AgentId id, TaskState awareState, TaskStatus.Reason reason, String message) {
    boolean forGood = awareState != TaskState.TASK_UNREACHABLE;
    if (forGood) {
      master.expectedAgents.remove(id);
      if (master.unreachableAgents.remove(id) != null) {
        updateUnreachableTasks(id, awareState, reason, message);
      }
    }
    if (agent == null) {
      return;
    }
    if (agent.reregisterTimer >= 0) {
      master.vertx().cancelTimer(agent.reregisterTimer);
    }
    master.offers().rescindAgent(id);
    master.allocator().removeAgent(id);
    master.executors().agentRemoved(id);
    for (TaskEntry task : List.copyOf(agent.tasks.values())) {
      FrameworkEntry fw = master.framework(task.frameworkId);
      if (fw == null) {
        continue;
      }
      TaskState state = fw.info.hasCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE)
          ? awareState : TaskState.TASK_LOST;
      TaskStatus status = master.masterStatus(task.info.taskId(), id, state, reason, message);
      master.updateTask(task, status, state);
      master.completeTask(fw, task);
      master.sendToFramework(fw, Event.update(status));
      if (forGood && agent.link() != null) {
        agent.link().send(new MasterMessage.ShutdownFramework(fw.id));
      }
    }
    if (forGood && agent.link() != null) {
      agent.link().close(message);
    }
    master.observers().forEach(o -> o.agentRemoved(id));
  }

  /** Tasks reported unreachable with their agent, now that the agent is gone for good. */
  private void updateUnreachableTasks(AgentId id, TaskState awareState, TaskStatus.Reason reason,
      String message) {
    for (FrameworkEntry fw : master.frameworks()) {
      if (!fw.info.hasCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE)) {
        continue;
      }
      for (TaskEntry task : fw.completedTasks) {
        if (task.agentId.equals(id) && task.state() == TaskState.TASK_UNREACHABLE) {
          TaskStatus status = master.masterStatus(task.info.taskId(), id, awareState, reason, message);
          master.updateTask(task, status, awareState);
          master.sendToFramework(fw, Event.update(status));
        }
      }
    }
  }
}
