package dev.terrace.master.registry;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.FrameworkId;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The master's durable state: what a new leader must know before it serves. Running tasks are not
 * here; agents report them when they re-register.
 *
 * <p>Contract, for every implementation:
 *
 * <ul>
 *   <li>A registry instance belongs to one leadership term. The leader opens it when elected, calls
 *       {@link #recover} before serving, and then writes through it. Once a newer leader has
 *       opened the registry, every write of this instance fails with {@link FencedException}, for
 *       good, and changes nothing.
 *   <li>Each write method is one unit of work: all of its changes are applied atomically or none.
 *   <li>Writes are applied in the order the methods were called, even when the caller does not
 *       wait for one to finish before issuing the next.
 *   <li>Nothing blocks: results come as stages, completed on an implementation thread (a
 *       ZooKeeper callback thread for {@link ZooKeeperRegistry}). Dependents must not block
 *       there; a Vert.x caller hops back to its context (for example with {@code
 *       Future.fromCompletionStage(stage, context)}).
 *   <li>A failed write fails its stage with {@link FencedException} (nothing applied; step down) or
 *       another {@link RegistryException} (outcome unknown; step down too). Invalid arguments
 *       (a null, an agent or framework without an id) throw at once.
 *   <li>Removing or marking something unknown is not an error: the registry ends in the asked-for
 *       state. Ids are opaque: any non-empty string is kept and returned exactly.
 * </ul>
 */
public interface Registry {

  /** Reads the whole registry. Call it once per term, before serving and before writing. */
  CompletionStage<RegistrySnapshot> recover();

  /** Admits (or updates) an agent; it is no longer unreachable if it was. */
  CompletionStage<Void> admitAgent(AgentInfo agent);

  /** Forgets an agent entirely, admitted or unreachable (it is gone for good). */
  CompletionStage<Void> removeAgent(AgentId agentId);

  /**
   * Moves an agent from admitted to unreachable since {@code since}, remembering it so that it can
   * be admitted again and its tasks reconciled when it comes back.
   */
  CompletionStage<Void> markAgentUnreachable(AgentId agentId, Instant since);

  /** Stores (or updates) a framework. Whether a completed framework may return is the master's call. */
  CompletionStage<Void> putFramework(FrameworkRecord framework);

  /**
   * Removes a framework and remembers its id as completed, so it cannot subscribe again. Only the
   * most recent completed ids are kept (a bounded list, oldest dropped first).
   */
  CompletionStage<Void> removeFramework(FrameworkId frameworkId);

  /** Sets the weights of the given roles; roles not named keep theirs. Weights must be > 0. */
  CompletionStage<Void> putWeights(Map<String, Double> weights);

  /** Sets (replaces) the quota of {@code role}. */
  CompletionStage<Void> putQuota(String role, QuotaRecord quota);

  /** Removes the quota of {@code role}. */
  CompletionStage<Void> removeQuota(String role);

  /** Replaces the maintenance schedule. */
  CompletionStage<Void> putMaintenanceSchedule(MaintenanceSchedule schedule);

  /** Records (replaces) an operator's decision about an agent: deactivated, draining. */
  CompletionStage<Void> putAgentAdmin(AgentAdminRecord record);

  /** Forgets the operator's decision about an agent (REACTIVATE_AGENT). */
  CompletionStage<Void> removeAgentAdmin(AgentId agentId);

  /**
   * Marks an agent gone for good: it is no longer admitted, unreachable, deactivated or holding
   * reservations, and may never register again.
   */
  CompletionStage<Void> markAgentGone(GoneAgent gone);

  /**
   * START_MAINTENANCE: the machines go down and the agents on them are removed, in one unit, so
   * a failover never sees a machine down with its agents still admitted.
   */
  CompletionStage<Void> startMaintenance(java.util.List<DownMachine> machines,
      java.util.List<AgentId> removedAgents);

  /** STOP_MAINTENANCE: the machines are up again and the schedule no longer names them. */
  CompletionStage<Void> stopMaintenance(java.util.List<MaintenanceSchedule.MachineId> machines,
      MaintenanceSchedule schedule);

  /** Replaces an agent's dynamic reservations (none: the entry is removed). */
  CompletionStage<Void> putReservations(AgentReservations reservations);
}
