package dev.terrace.master;

import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.channel.MasterMessage;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.ExecutorInfo;
import dev.terrace.common.resources.Resources;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Custom executors as the master sees them: which framework runs which executor on which agent
 * (for offers' {@code executor_ids}, GET_EXECUTORS and the executor's own resources), and the
 * messages between frameworks and their executors (MESSAGE both ways, SHUTDOWN, FAILURE). Runs on
 * the master's context.
 */
public final class ExecutorBook {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorBook.class);

  private final Master master;

  ExecutorBook(Master master) {
    this.master = master;
  }

  /** The executor already running for this framework on this agent, or null. */
  static ExecutorInfo running(FrameworkEntry fw, AgentId agent, ExecutorId id) {
    return fw.executors.getOrDefault(agent, Map.of()).get(id);
  }

  /** A launch started a new executor: book it (its resources are allocated with the task's). */
  void started(FrameworkEntry fw, AgentId agent, ExecutorInfo executor) {
    fw.executors.computeIfAbsent(agent, a -> new LinkedHashMap<>()).put(executor.executorId(), executor);
  }

  /** A re-registering agent brings its executors back (after a failover, this master is new). */
  void adopt(AgentId agent, List<ExecutorInfo> executors, boolean newToThisMaster) {
    for (ExecutorInfo e : executors) {
      FrameworkEntry fw = e.frameworkId() == null ? null : master.framework(e.frameworkId());
      if (fw == null || running(fw, agent, e.executorId()) != null) {
        continue;
      }
      started(fw, agent, e);
      if (newToThisMaster) {
        master.allocator().addUsed(fw.id, agent, Resources.of(e.resources()));
      }
    }
  }

  /** The agent says the executor ended: its resources go back and its framework hears FAILURE. */
  void exited(AgentId agent, AgentMessage.ExecutorExited exited) {
    FrameworkEntry fw = master.framework(exited.frameworkId());
    if (fw == null) {
      return;
    }
    Map<ExecutorId, ExecutorInfo> onAgent = fw.executors.get(agent);
    ExecutorInfo info = onAgent == null ? null : onAgent.remove(exited.executorId());
    if (onAgent != null && onAgent.isEmpty()) {
      fw.executors.remove(agent);
    }
    if (info != null) {
      master.allocator().recoverResources(fw.id, agent, Resources.of(info.resources()), 0,
          master.clock().instant());
      master.scheduleAllocation();
    }
    LOG.info("Executor {} of framework {} on agent {} exited with status {}", exited.executorId(),
        fw.id, agent, exited.status());
    master.sendToFramework(fw, Event.failure(agent, exited.executorId(), exited.status()));
  }

  /** An executor's MESSAGE, relayed to its framework. */
  void fromExecutor(AgentId agent, AgentMessage.ExecutorMessage message) {
    FrameworkEntry fw = master.framework(message.frameworkId());
    if (fw != null) {
      master.sendToFramework(fw, Event.message(agent, message.executorId(), message.data()));
    }
  }

  /** The framework's MESSAGE, relayed to its executor (dropped, as in Mesos, if it cannot be). */
  void toExecutor(FrameworkEntry fw, Call.Message message) {
    AgentEntry agent = master.agent(message.agentId());
    if (agent == null || agent.link() == null || running(fw, message.agentId(), message.executorId()) == null) {
      LOG.info("Framework {}: MESSAGE for executor {} on agent {} dropped: no such running executor",
          fw.id, message.executorId(), message.agentId());
      return;
    }
    agent.link().send(new MasterMessage.FrameworkMessage(fw.id, message.executorId(), message.data()));
  }

  /** SHUTDOWN of a custom executor; false when there is none (it may be a command task's). */
  boolean shutdown(FrameworkEntry fw, AgentId agentId, ExecutorId executor) {
    if (running(fw, agentId, executor) == null) {
      return false;
    }
    AgentEntry agent = master.agent(agentId);
    if (agent != null && agent.link() != null) {
      agent.link().send(new MasterMessage.ShutdownExecutor(fw.id, executor));
    }
    return true;
  }

  /** Every executor of a torn-down framework: their resources go back with it. */
  void frameworkRemoved(FrameworkEntry fw) {
    fw.executors.forEach((agent, executors) -> executors.values().forEach(e ->
        master.allocator().recoverResources(fw.id, agent, Resources.of(e.resources()), 0,
            master.clock().instant())));
    fw.executors.clear();
  }

  /** An agent left: its executors are gone with it (the allocator forgot the agent already). */
  void agentRemoved(AgentId agent) {
    master.frameworks().forEach(fw -> fw.executors.remove(agent));
  }

  /** The executor ids of a framework on an agent, for its offers. */
  static List<ExecutorId> ids(FrameworkEntry fw, AgentId agent) {
    return List.copyOf(fw.executors.getOrDefault(agent, Map.of()).keySet());
  }

  /** For GET_EXECUTORS: (agent, executor) pairs of every framework. */
  public static Map<ExecutorInfo, AgentId> all(Iterable<FrameworkEntry> frameworks) {
    Map<ExecutorInfo, AgentId> out = new LinkedHashMap<>();
    for (FrameworkEntry fw : frameworks) {
      fw.executors.forEach((agent, executors) -> executors.values().forEach(e -> out.put(e, agent)));
    }
    return out;
  }
}
