package dev.terrace.master.registry;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.FrameworkId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * What each registry write means, written once: every {@link Registry} write becomes one unit of
 * work, a list of {@link Change}s that an implementation applies atomically and in call order.
 * Implementations only store entries; they never decide what a write changes.
 */
abstract class AbstractRegistry implements Registry {
  /** How many completed framework ids are kept by default (Mesos keeps 1000 in memory too). */
  static final int DEFAULT_COMPLETED_FRAMEWORKS = 1000;

  /** The one maintenance schedule's id. */
  static final String SCHEDULE_ID = "schedule";

  protected final int completedFrameworksLimit;
  private final Clock clock;

  protected AbstractRegistry(int completedFrameworksLimit, Clock clock) {
    if (completedFrameworksLimit < 1) {
      throw new IllegalArgumentException(
          "completed frameworks limit must be >= 1: " + completedFrameworksLimit);
    }
    this.completedFrameworksLimit = completedFrameworksLimit;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Applies {@code changes} atomically, after every unit submitted before, failing with {@link
   * FencedException} once deposed. For a put into {@link EntityKind#COMPLETED_FRAMEWORKS} the
   * implementation also drops the oldest entries beyond {@link #completedFrameworksLimit}, in the
   * same unit. {@code what} describes the write for error messages.
   */
  protected abstract CompletionStage<Void> apply(String what, List<Change> changes);

  @Override
  public final CompletionStage<Void> admitAgent(AgentInfo agent) {
    Objects.requireNonNull(agent, "agent");
    String id = Objects.requireNonNull(agent.id(), "agent info has no id").value();
    return apply(
        "admit agent " + id,
        List.of(put(EntityKind.AGENTS, id, agent), new Change.Delete(EntityKind.UNREACHABLE, id)));
  }

  @Override
  public final CompletionStage<Void> removeAgent(AgentId agentId) {
    String id = Objects.requireNonNull(agentId, "agentId").value();
    return apply(
        "remove agent " + id,
        List.of(
            new Change.Delete(EntityKind.AGENTS, id), new Change.Delete(EntityKind.UNREACHABLE, id)));
  }

  @Override
  public final CompletionStage<Void> markAgentUnreachable(AgentId agentId, Instant since) {
    String id = Objects.requireNonNull(agentId, "agentId").value();
    return apply(
        "mark agent " + id + " unreachable",
        List.of(
            new Change.Delete(EntityKind.AGENTS, id),
            put(EntityKind.UNREACHABLE, id, new UnreachableAgent(agentId, since))));
  }

  @Override
  public final CompletionStage<Void> putFramework(FrameworkRecord framework) {
    Objects.requireNonNull(framework, "framework");
    String id = framework.frameworkId().value();
    return apply("put framework " + id, List.of(put(EntityKind.FRAMEWORKS, id, framework)));
  }

  @Override
  public final CompletionStage<Void> removeFramework(FrameworkId frameworkId) {
    String id = Objects.requireNonNull(frameworkId, "frameworkId").value();
    return apply(
        "remove framework " + id,
        List.of(
            new Change.Delete(EntityKind.FRAMEWORKS, id),
            put(
                EntityKind.COMPLETED_FRAMEWORKS,
                id,
                new CompletedFramework(frameworkId, clock.instant()))));
  }

  @Override
  public final CompletionStage<Void> putWeights(Map<String, Double> weights) {
    Objects.requireNonNull(weights, "weights");
    List<Change> changes = new ArrayList<>();
    weights.forEach(
        (role, weight) -> {
          Objects.requireNonNull(weight, () -> "weight of role " + role);
          changes.add(put(EntityKind.WEIGHTS, role, new RoleWeight(role, weight)));
        });
    return apply("put weights of " + weights.keySet(), changes);
  }

  @Override
  public final CompletionStage<Void> putQuota(String role, QuotaRecord quota) {
    Objects.requireNonNull(quota, "quota");
    return apply("put quota of role " + role, List.of(put(EntityKind.QUOTA, role, quota)));
  }

  @Override
  public final CompletionStage<Void> removeQuota(String role) {
    return apply("remove quota of role " + role, List.of(new Change.Delete(EntityKind.QUOTA, role)));
  }

  @Override
  public final CompletionStage<Void> putMaintenanceSchedule(MaintenanceSchedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    return apply(
        "put maintenance schedule",
        List.of(put(EntityKind.MAINTENANCE, SCHEDULE_ID, schedule)));
  }

  @Override
  public final CompletionStage<Void> putAgentAdmin(AgentAdminRecord record) {
    Objects.requireNonNull(record, "record");
    String id = record.agentId().value();
    return apply("put admin state of agent " + id, List.of(put(EntityKind.AGENT_ADMIN, id, record)));
  }

  @Override
  public final CompletionStage<Void> removeAgentAdmin(AgentId agentId) {
    String id = Objects.requireNonNull(agentId, "agentId").value();
    return apply("remove admin state of agent " + id,
        List.of(new Change.Delete(EntityKind.AGENT_ADMIN, id)));
  }

  @Override
  public final CompletionStage<Void> markAgentGone(GoneAgent gone) {
    Objects.requireNonNull(gone, "gone");
    String id = gone.agentId().value();
    return apply(
        "mark agent " + id + " gone",
        List.of(
            new Change.Delete(EntityKind.AGENTS, id),
            new Change.Delete(EntityKind.UNREACHABLE, id),
            new Change.Delete(EntityKind.AGENT_ADMIN, id),
            new Change.Delete(EntityKind.RESERVATIONS, id),
            put(EntityKind.GONE, id, gone)));
  }

  @Override
  public final CompletionStage<Void> startMaintenance(
      List<DownMachine> machines, List<AgentId> removedAgents) {
    List<Change> changes = new ArrayList<>();
    for (DownMachine m : machines) {
      changes.add(put(EntityKind.DOWN_MACHINES, machineKey(m.machine()), m));
    }
    for (AgentId agent : removedAgents) {
      changes.add(new Change.Delete(EntityKind.AGENTS, agent.value()));
      changes.add(new Change.Delete(EntityKind.UNREACHABLE, agent.value()));
    }
    return apply("start maintenance of " + machines.size() + " machines", changes);
  }

  @Override
  public final CompletionStage<Void> stopMaintenance(
      List<MaintenanceSchedule.MachineId> machines, MaintenanceSchedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    List<Change> changes = new ArrayList<>();
    for (MaintenanceSchedule.MachineId m : machines) {
      changes.add(new Change.Delete(EntityKind.DOWN_MACHINES, machineKey(m)));
    }
    changes.add(put(EntityKind.MAINTENANCE, SCHEDULE_ID, schedule));
    return apply("stop maintenance of " + machines.size() + " machines", changes);
  }

  @Override
  public final CompletionStage<Void> putReservations(AgentReservations reservations) {
    Objects.requireNonNull(reservations, "reservations");
    String id = reservations.agentId().value();
    Change change = reservations.reserved().isEmpty()
        ? new Change.Delete(EntityKind.RESERVATIONS, id)
        : put(EntityKind.RESERVATIONS, id, reservations);
    return apply("put reservations of agent " + id, List.of(change));
  }

  /** A machine's entry name: hostname and IP, either may be empty. */
  static String machineKey(MaintenanceSchedule.MachineId m) {
    return (m.hostname() == null ? "" : m.hostname()) + "|" + (m.ip() == null ? "" : m.ip());
  }

  private static Change put(EntityKind kind, String id, Object value) {
    return new Change.Put(kind, id, RegistryJson.toBytes(value));
  }
}
