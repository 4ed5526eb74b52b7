package dev.terrace.master;

import dev.terrace.common.channel.MasterMessage;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.ExecutorInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Operation;
import dev.terrace.common.model.OperationState;
import dev.terrace.common.model.OperationStatus;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.resources.Resources;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import dev.terrace.master.offer.TaskValidator;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.TaskEntry;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ACCEPT call: takes the named offers, applies the operations in order against what is left
 * of them, and returns the unused rest to the allocator with the call's filter. A task that fails
 * validation gets TASK_ERROR and changes nothing else; invalid offers drop every task
 * (TASK_DROPPED) and give back the valid offers.
 */
final class AcceptHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AcceptHandler.class);

  private final Master master;
  private final FrameworkEntry fw;

  AcceptHandler(Master master, FrameworkEntry fw) {
    this.master = master;
    this.fw = fw;
  }

  void accept(Call.Accept accept) {
    double refuse = accept.filters() == null ? 5.0 : accept.filters().refuseSecondsOrDefault();
    List<Offer> taken = new ArrayList<>();
    String offerError = null;
    if (accept.offerIds().isEmpty()) {
      offerError = "No offers given";
    }
    for (OfferId id : accept.offerIds()) {
      Offer offer = master.takeOffer(fw, id);
      if (offer == null) {
        offerError = "Offer " + id + " is no longer valid";
      } else if (!taken.isEmpty() && !taken.get(0).agentId().equals(offer.agentId())) {
        offerError = "Offers of different agents cannot be accepted together";
        taken.add(offer);
      } else {
        taken.add(offer);
      }
    }
    if (offerError != null) {
      for (Offer offer : taken) {
        recover(offer.agentId(), Resources.of(offer.resources()), 0);
      }
      dropAll(accept.operations(), offerError);
      return;
    }
    AgentId agentId = taken.get(0).agentId();
    Resources remaining = Resources.empty();
    for (Offer offer : taken) {
      remaining = remaining.plus(Resources.of(offer.resources()));
    }
    String role = taken.get(0).allocationInfo() == null ? "*" : taken.get(0).allocationInfo().role();
    for (Operation op : accept.operations()) {
      if (op.type() == Operation.Type.LAUNCH && op.launch() != null) {
        for (TaskInfo task : op.launch().taskInfos()) {
          remaining = launch(task, agentId, role, remaining);
        }
      } else if (op.type() == Operation.Type.LAUNCH_GROUP && op.launchGroup() != null
          && op.launchGroup().taskGroup() != null) {
        remaining = launchGroup(op.launchGroup(), agentId, role, remaining);
      } else if (op.type() == Operation.Type.RESERVE && op.reserve() != null) {
        remaining = reserve(op, agentId, role, remaining);
      } else if (op.type() == Operation.Type.UNRESERVE && op.unreserve() != null) {
        remaining = unreserve(op, agentId, remaining);
      } else {
        LOG.info("Framework {}: operation {} is not supported", fw.id, op.type());
        operationStatus(op, agentId, OperationState.OPERATION_UNSUPPORTED,
            op.type() + " is not supported by Terrace (no persistent volumes or disk resources yet)");
      }
    }
    recover(agentId, remaining, refuse);
  }

  /**
   * LAUNCH_GROUP: all the group's tasks go to the agent together or none does (one invalid task
   * fails them all with REASON_TASK_GROUP_INVALID). The group's executor id ties them together:
   * the master kills the whole group when one of them is killed or fails, as Mesos' default
   * executor does. Terrace runs group tasks without an executor process, so the executor's own
   * resources are not taken from the offer.
   */
  private Resources launchGroup(Operation.LaunchGroup group, AgentId agentId, String role,
      Resources remaining) {
    List<TaskInfo> tasks = group.taskGroup().tasks();
    String problem = null;
    if (tasks.isEmpty()) {
      problem = "Task group has no tasks";
    } else if (group.executor() == null || group.executor().executorId() == null) {
      problem = "LAUNCH_GROUP needs an 'executor' with an 'executor_id'";
    }
    Resources left = remaining;
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (TaskInfo task : tasks) {
      if (problem != null) {
        break;
      }
      var invalid = TaskValidator.validate(task, agentId, left,
          id -> fw.tasks.containsKey(dev.terrace.common.model.TaskId.of(id)) || ids.contains(id));
      if (invalid.isPresent()) {
        problem = invalid.get();
      } else {
        ids.add(task.taskId().value());
        left = left.minus(Resources.of(task.resources()));
      }
    }
    if (problem == null && (master.agent(agentId) == null || master.agent(agentId).link() == null)) {
      for (TaskInfo task : tasks) {
        drop(task, "Agent " + agentId + " is not connected", TaskStatus.Reason.REASON_AGENT_DISCONNECTED);
      }
      return remaining;
    }
    if (problem != null) {
      for (TaskInfo task : tasks) {
        LOG.info("Framework {}: task group refused: {}", fw.id, problem);
        master.sendToFramework(fw, Event.update(master.masterStatus(task.taskId(), task.agentId(),
            TaskState.TASK_ERROR, TaskStatus.Reason.REASON_TASK_GROUP_INVALID, problem)));
      }
      return remaining;
    }
    String groupId = group.executor().executorId().value();
    for (TaskInfo task : tasks) {
      remaining = launch(task, agentId, role, remaining, groupId);
      TaskEntry entry = fw.tasks.get(task.taskId());
      if (entry != null) {
        entry.group = groupId;
      }
    }
    return remaining;
  }

  private Resources launch(TaskInfo task, AgentId agentId, String role, Resources remaining) {
    return launch(task, agentId, role, remaining, null);
  }

  private Resources launch(TaskInfo given, AgentId agentId, String role, Resources remaining,
      String group) {
    var problem = TaskValidator.validate(given, agentId, remaining,
        id -> fw.tasks.containsKey(dev.terrace.common.model.TaskId.of(id)));
    if (problem.isPresent()) {
      error(given, problem.get());
      return remaining;
    }
    TaskInfo task = given;
    Resources executorResources = Resources.empty();
    boolean newExecutor = false;
    if (given.executor() != null) {
      // The executor's resources are taken once, with the first task it runs on the agent.
      ExecutorInfo executor = given.executor().withFrameworkId(fw.id);
      ExecutorInfo running = ExecutorBook.running(fw, agentId, executor.executorId());
      if (running != null && !running.equals(executor)) {
        error(given, "Executor " + executor.executorId().value()
            + " is already running on this agent with a different ExecutorInfo");
        return remaining;
      }
      newExecutor = running == null;
      executorResources = newExecutor ? Resources.of(executor.resources()) : Resources.empty();
      if (!remaining.minus(Resources.of(given.resources())).contains(executorResources)) {
        error(given, "The offers do not hold the executor's resources " + executorResources
            + " besides the task's");
        return remaining;
      }
      task = given.withExecutor(executor);
    }
    AgentEntry agent = master.agent(agentId);
    if (agent == null || agent.link() == null) {
      drop(task, "Agent " + agentId + " is not connected", TaskStatus.Reason.REASON_AGENT_DISCONNECTED);
      return remaining;
    }
    TaskEntry entry = new TaskEntry(task, fw.id, agentId, role, TaskState.TASK_STAGING);
    entry.update(master.masterStatus(task.taskId(), agentId, TaskState.TASK_STAGING, null,
        "Task launched"), TaskState.TASK_STAGING);
    master.addTask(fw, entry);
    if (newExecutor) {
      master.executors().started(fw, agentId, task.executor());
    }
    agent.link().send(new MasterMessage.RunTask(fw.id, fw.info, task, group));
    LOG.info("Launching task {} of framework {} on agent {} with {}{}", task.taskId(), fw.id, agentId,
        entry.resources, task.executor() == null ? "" : " on executor " + task.executor().executorId().value());
    return remaining.minus(entry.resources).minus(executorResources);
  }

  /** RESERVE: unreserved (or less refined) resources of the offer become reserved. */
  private Resources reserve(Operation op, AgentId agentId, String role, Resources remaining) {
    String problem = Reservations.invalidReserve(op.reserve().resources(), fw.info, role);
    Resources to = problem == null ? Reservations.plain(op.reserve().resources()) : Resources.empty();
    Resources from = Reservations.popped(to.toList());
    AgentEntry agent = master.agent(agentId);
    if (problem == null && !remaining.contains(from)) {
      problem = "The offers do not hold " + from + " to reserve";
    } else if (problem == null && agent == null) {
      problem = "Agent " + agentId + " is gone";
    }
    if (problem != null) {
      LOG.info("Framework {}: RESERVE refused: {}", fw.id, problem);
      operationStatus(op, agentId, OperationState.OPERATION_ERROR, problem);
      return remaining;
    }
    master.reservations().convert(agent, from, to, fw.id);
    LOG.info("Framework {} reserved {} on agent {}", fw.id, to, agentId);
    operationStatus(op, agentId, OperationState.OPERATION_FINISHED, null);
    return remaining.minus(from).plus(to);
  }

  /** UNRESERVE: reserved resources of the offer go back one level (unreserved for a plain one). */
  private Resources unreserve(Operation op, AgentId agentId, Resources remaining) {
    Resources from = Reservations.plain(op.unreserve().resources());
    String problem = master.reservations().invalidUnreserve(agentId, from.toList());
    AgentEntry agent = master.agent(agentId);
    if (problem == null && !remaining.contains(from)) {
      problem = "The offers do not hold " + from + " to unreserve";
    } else if (problem == null && agent == null) {
      problem = "Agent " + agentId + " is gone";
    }
    if (problem != null) {
      LOG.info("Framework {}: UNRESERVE refused: {}", fw.id, problem);
      operationStatus(op, agentId, OperationState.OPERATION_ERROR, problem);
      return remaining;
    }
    Resources to = Reservations.popped(from.toList());
    master.reservations().convert(agent, from, to, fw.id);
    LOG.info("Framework {} unreserved {} on agent {}", fw.id, from, agentId);
    operationStatus(op, agentId, OperationState.OPERATION_FINISHED, null);
    return remaining.minus(from).plus(to);
  }

  /** UPDATE_OPERATION_STATUS, for operations the framework gave an id (as Mesos: else none). */
  private void operationStatus(Operation op, AgentId agentId, OperationState state, String message) {
    if (op.id() != null) {
      master.sendToFramework(fw, Event.updateOperationStatus(
          new OperationStatus(op.id(), state, message, List.of(), null, agentId)));
    }
  }

  private void dropAll(List<Operation> operations, String why) {
    for (Operation op : operations) {
      if (op.launch() != null) {
        op.launch().taskInfos().forEach(t -> drop(t, why, TaskStatus.Reason.REASON_INVALID_OFFERS));
      }
      if (op.launchGroup() != null && op.launchGroup().taskGroup() != null) {
        op.launchGroup().taskGroup().tasks()
            .forEach(t -> drop(t, why, TaskStatus.Reason.REASON_INVALID_OFFERS));
      }
    }
  }

  private void error(TaskInfo task, String message) {
    LOG.info("Framework {}: task {} refused: {}", fw.id, task.taskId(), message);
    master.sendToFramework(fw, Event.update(master.masterStatus(task.taskId(), task.agentId(),
        TaskState.TASK_ERROR, TaskStatus.Reason.REASON_TASK_INVALID, message)));
  }

  private void drop(TaskInfo task, String message, TaskStatus.Reason reason) {
    boolean aware = fw.info.hasCapability(
        dev.terrace.common.model.FrameworkInfo.Capability.Type.PARTITION_AWARE);
    TaskState state = aware ? TaskState.TASK_DROPPED : TaskState.TASK_LOST;
    master.sendToFramework(fw, Event.update(master.masterStatus(task.taskId(), task.agentId(),
        state, reason, message)));
  }

  private void recover(AgentId agent, Resources resources, double refuseSeconds) {
    master.allocator().recoverResources(fw.id, agent, resources, refuseSeconds, master.clock().instant());
  }
}
