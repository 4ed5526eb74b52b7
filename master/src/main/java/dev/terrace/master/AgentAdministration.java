package dev.terrace.master;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.KillPolicy;
import dev.terrace.common.model.DurationInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.master.registry.AgentAdminRecord;
import dev.terrace.master.registry.GoneAgent;
import dev.terrace.master.registry.RegistrySnapshot;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.TaskEntry;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators do to single agents (Mesos 1.9's DEACTIVATE_AGENT, REACTIVATE_AGENT,
 * DRAIN_AGENT and MARK_AGENT_GONE), kept in the registry so that a failover keeps it:
 *
 * <ul>
 *   <li>a deactivated agent gets no offers; its tasks keep running;
 *   <li>a draining agent is deactivated and its tasks are killed (their grace period capped by
 *       the drain's); once none is left it is DRAINED, and marked gone if the drain said so;
 *   <li>a gone agent is removed for good: its tasks are TASK_GONE_BY_OPERATOR (TASK_LOST for
 *       frameworks that are not partition-aware), it is told to kill them, and it may never
 *       register again.
 * </ul>
 *
 * Runs on the master's context. Each call validates first and changes nothing when it fails; the
 * returned future fails with {@link IllegalArgumentException} for a bad request.
 */
public final class AgentAdministration {
  private static final Logger LOG = LoggerFactory.getLogger(AgentAdministration.class);

  private final Master master;
  private final RegistryWrites registry;
  private final Map<AgentId, AgentAdminRecord> records = new HashMap<>();
  private final Map<AgentId, Instant> gone = new HashMap<>();

  AgentAdministration(Master master, RegistryWrites registry) {
    this.master = master;
    this.registry = registry;
  }

  void recover(RegistrySnapshot.Operated operated) {
    records.putAll(operated.agentAdmin());
    operated.gone().forEach((id, g) -> gone.put(id, g.since()));
  }

  /** Whether the agent may be offered (it is not deactivated nor draining). */
  boolean offerable(AgentId id) {
    AgentAdminRecord r = records.get(id);
    return r == null || !r.deactivated();
  }

  public boolean isGone(AgentId id) {
    return gone.containsKey(id);
  }

  /** The operator's record of the agent, or null. */
  public AgentAdminRecord record(AgentId id) {
    return records.get(id);
  }

  public Map<AgentId, Instant> goneAgents() {
    return gone;
  }

  public Future<Void> deactivate(AgentId id) {
    if (master.agent(id) == null) {
      return unknown(id);
    }
    AgentAdminRecord current = records.get(id);
    AgentAdminRecord next = new AgentAdminRecord(id, true, current == null ? null : current.drain());
    return registry.write(r -> r.putAgentAdmin(next)).onSuccess(v -> {
      records.put(id, next);
      master.deactivated(id);
      LOG.info("Agent {} deactivated by an operator", id);
    });
  }

  /** Ends a deactivation or a drain; the agent is offered again. */
  public Future<Void> reactivate(AgentId id) {
    if (master.agent(id) == null) {
      return unknown(id);
    }
    if (!records.containsKey(id)) {
      return Future.failedFuture(new IllegalArgumentException("Agent " + id.value() + " is not deactivated"));
    }
    return registry.write(r -> r.removeAgentAdmin(id)).onSuccess(v -> {
      records.remove(id);
      master.reactivated(id);
      LOG.info("Agent {} reactivated by an operator", id);
    });
  }

  /**
   * DRAIN_AGENT: deactivate, kill every task with at most {@code maxGrace} of grace, then DRAINED
   * (and gone, if {@code markGone}) once no task is left.
   */
  public Future<Void> drain(AgentId id, DurationInfo maxGrace, boolean markGone) {
    AgentEntry agent = master.agent(id);
    if (agent == null) {
      return unknown(id);
    }
    if (maxGrace != null && maxGrace.nanoseconds() < 0) {
      return Future.failedFuture(new IllegalArgumentException("'max_grace_period' must not be negative"));
    }
    AgentAdminRecord next = new AgentAdminRecord(id, true, new AgentAdminRecord.Drain(
        maxGrace == null ? null : maxGrace.nanoseconds(), markGone, AgentAdminRecord.Drain.State.DRAINING));
    return registry.write(r -> r.putAgentAdmin(next)).onSuccess(v -> {
      records.put(id, next);
      master.deactivated(id);
      LOG.info("Draining agent {} ({} tasks, max grace {}, mark gone {})", id, agent.tasks.size(),
          maxGrace == null ? "tasks' own" : maxGrace.toDuration(), markGone);
      for (TaskEntry task : List.copyOf(agent.tasks.values())) {
        FrameworkEntry fw = master.framework(task.frameworkId);
        if (fw != null) {
          master.killTask(fw, task, cappedPolicy(task.info.killPolicy(), maxGrace));
        }
      }
      checkDrained(id);
    });
  }

  /** After a task on {@code id} ended: a draining agent with none left is DRAINED. */
  void checkDrained(AgentId id) {
    AgentAdminRecord r = records.get(id);
    AgentEntry agent = master.agent(id);
    if (r == null || r.drain() == null || r.drain().state() != AgentAdminRecord.Drain.State.DRAINING
        || agent == null || !agent.tasks.isEmpty()) {
      return;
    }
    AgentAdminRecord drained = new AgentAdminRecord(id, true, r.drain().drained());
    records.put(id, drained);
    registry.write(w -> w.putAgentAdmin(drained)).onSuccess(v -> {
      LOG.info("Agent {} is drained", id);
      if (drained.drain().markGone()) {
        markGone(id);
      }
    });
  }

  /** MARK_AGENT_GONE of an admitted or unreachable agent. */
  public Future<Void> markGone(AgentId id) {
    if (gone.containsKey(id)) {
      return Future.succeededFuture();
    }
    if (master.agent(id) == null && !master.unreachableAgents().containsKey(id)
        && !master.expectedAgents.containsKey(id)) {
      return unknown(id);
    }
    Instant now = master.clock().instant();
    return registry.write(r -> r.markAgentGone(new GoneAgent(id, now))).onSuccess(v -> {
      gone.put(id, now);
      records.remove(id);
      master.removeAgent(id, TaskState.TASK_GONE_BY_OPERATOR, TaskStatus.Reason.REASON_AGENT_REMOVED_BY_OPERATOR,
          "Agent " + id.value() + " was marked gone by an operator");
      LOG.warn("Agent {} was marked gone by an operator", id);
    });
  }

  /** The task's kill policy with its grace period capped at the drain's maximum. */
  static KillPolicy cappedPolicy(KillPolicy own, DurationInfo max) {
    if (max == null) {
      return own;
    }
    DurationInfo grace = own == null ? null : own.gracePeriod();
    if (grace != null && grace.nanoseconds() <= max.nanoseconds()) {
      return own;
    }
    return new KillPolicy(max);
  }

  private static Future<Void> unknown(AgentId id) {
    return Future.failedFuture(new IllegalArgumentException("Unknown agent " + id.value()));
  }
}
