package dev.terrace.master;

import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.TaskEntry;
import java.util.List;

/**
 * Reconciliation of task state, both ways: RECONCILE and RECONCILE_OPERATIONS answer what the
 * master can tell a framework about its tasks and operations from its own state, and an agent
 * that (re-)registers has its reported tasks adopted and its forgotten ones declared gone. Tasks on agents that have not re-registered since a failover get
 * no answer until they do (Mesos' rule for agents in transition); tasks on unreachable agents are
 * unreachable (lost for frameworks that are not partition-aware); unknown tasks are unknown.
 * Runs on the master context.
 */
final class Reconciliation {
  private final Master master;

  Reconciliation(Master master) {
    this.master = master;
  }

  /** RECONCILE_OPERATIONS: no offer operation is tracked yet, so each named one is unknown. */
  void reconcileOperations(FrameworkEntry fw, Call.ReconcileOperations call) {
    if (call == null) {
      return;
    }
    for (Call.ReconcileOperations.ReconcileOperation op : call.operations()) {
      master.sendToFramework(fw, new Event(Event.Type.UPDATE_OPERATION_STATUS, null, null, null, null, null,
          null, new Event.UpdateOperationStatus(new dev.terrace.common.model.OperationStatus(
              op.operationId(), dev.terrace.common.model.OperationState.OPERATION_UNKNOWN,
              "Operation is unknown to the master", null, null, op.agentId())), null, null, null));
    }
  }

  /** RECONCILE: latest known state of the named tasks, or of all tasks when none is named. */
  void reconcile(FrameworkEntry fw, Call.Reconcile reconcile) {
    if (reconcile.tasks().isEmpty()) {
      for (TaskEntry task : fw.tasks.values()) {
        master.sendToFramework(fw, Event.update(reconciled(task)));
      }
      return;
    }
    boolean aware = fw.info.hasCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
    for (Call.Reconcile.ReconcileTask rt : reconcile.tasks()) {
      TaskEntry task = fw.tasks.get(rt.taskId());
      if (task == null) {
        task = fw.completedTasks.stream().filter(t -> t.info.taskId().equals(rt.taskId()))
            .findFirst().orElse(null);
      }
      if (task != null) {
        master.sendToFramework(fw, Event.update(reconciled(task)));
      } else if (rt.agentId() != null && master.expectedAgents.containsKey(rt.agentId())) {
        // Its agent has not re-registered since the failover yet: say nothing until it does
        // (or is given up on), as Mesos does for agents in transition.
        continue;
      } else if (rt.agentId() != null && master.unreachableAgents.containsKey(rt.agentId())) {
        TaskState state = aware ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST;
        master.sendToFramework(fw, Event.update(master.masterStatus(rt.taskId(), rt.agentId(), state,
            TaskStatus.Reason.REASON_RECONCILIATION, "Reconciliation: its agent is unreachable")));
      } else {
        TaskState state = aware ? TaskState.TASK_UNKNOWN : TaskState.TASK_LOST;
        master.sendToFramework(fw, Event.update(master.masterStatus(rt.taskId(), rt.agentId(), state,
            TaskStatus.Reason.REASON_RECONCILIATION, "Reconciliation: task is unknown")));
      }
    }
  }

  private TaskStatus reconciled(TaskEntry task) {
    TaskStatus last = task.latestStatus();
    if (last == null || last.state() != task.state()) {
      return master.masterStatus(task.info.taskId(), task.agentId, task.state(),
          TaskStatus.Reason.REASON_RECONCILIATION, "Reconciliation: latest task state");
    }
    return new TaskStatus(last.taskId(), last.state(), last.message(), TaskStatus.Source.SOURCE_MASTER,
        TaskStatus.Reason.REASON_RECONCILIATION, last.data(), last.agentId(), last.executorId(),
        last.timestamp(), null, last.healthy(), last.labels(), last.containerStatus(), null);
  }


  /**
   * A returning agent lists every task it still has; a task this master placed there that the
   * agent does not know (it restarted, or never got the launch) is gone, and its framework is told.
   */
  void reconcileAgentTasks(AgentEntry agent, List<AgentMessage.Task> reported) {
    java.util.Set<List<String>> known = new java.util.HashSet<>();
    for (AgentMessage.Task t : reported) {
      known.add(List.of(t.frameworkId().value(), t.taskInfo().taskId().value()));
    }
    AgentId id = agent.info.id();
    for (var e : List.copyOf(agent.tasks.entrySet())) {
      TaskEntry task = e.getValue();
      FrameworkEntry fw = master.framework(task.frameworkId);
      if (known.contains(e.getKey()) || fw == null) {
        continue;
      }
      boolean aware = fw.info.hasCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
      TaskState state = aware ? TaskState.TASK_GONE : TaskState.TASK_LOST;
      TaskStatus status = master.masterStatus(task.info.taskId(), id, state,
          TaskStatus.Reason.REASON_AGENT_RESTARTED, "Agent " + id + " no longer knows this task");
      master.updateTask(task, status, state);
      master.allocator().recoverResources(fw.id, id, task.resources, 0, master.clock().instant());
      master.completeTask(fw, task);
      master.sendToFramework(fw, Event.update(status));
    }
  }

  void adoptTask(AgentId agent, AgentMessage.Task t, boolean wasUnreachable) {
    FrameworkEntry fw = master.framework(t.frameworkId());
    if (fw == null || t.taskInfo() == null || t.latestStatus() == null
        || fw.tasks.containsKey(t.taskInfo().taskId())) {
      return;
    }
    TaskEntry task = new TaskEntry(t.taskInfo(), t.frameworkId(), agent, roleOf(t), t.latestStatus().state());
    task.update(t.latestStatus(), t.latestStatus().state());
    if (task.isTerminal()) {
      // Ended while this master did not know it (its update is still unacknowledged): kept among
      // the completed tasks, so reconciliation answers with how it ended, not TASK_UNKNOWN.
      fw.complete(task);
      return;
    }
    master.addTask(fw, task);
    master.allocator().addUsed(fw.id, agent, task.resources);
    if (!wasUnreachable) {
      return;
    }
    // A task this master had given up on (its agent was unreachable) is alive after all: say so.
    boolean givenUp = fw.completedTasks.removeIf(c -> c.info.taskId().equals(t.taskInfo().taskId())
        && c.agentId.equals(agent)
        && (c.state() == TaskState.TASK_UNREACHABLE || c.state() == TaskState.TASK_LOST));
    if (givenUp) {
      master.sendToFramework(fw, Event.update(master.masterStatus(t.taskInfo().taskId(), agent, task.state(),
          TaskStatus.Reason.REASON_AGENT_REREGISTERED, "Agent " + agent + " is reachable again")));
    }
  }

  private static String roleOf(AgentMessage.Task t) {
    return t.taskInfo().resources().stream()
        .map(r -> r.allocationInfo() == null ? null : r.allocationInfo().role())
        .filter(r -> r != null).findFirst().orElse("*");
  }

}
