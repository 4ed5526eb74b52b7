package dev.terrace.master.registry;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.FrameworkId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything in the registry at recovery.
 *
 * @param agents admitted agents by id
 * @param unreachable agents marked unreachable, by id, with the time they were marked
 * @param frameworks frameworks by id
 * @param completedFrameworks ids of torn-down frameworks, oldest first, bounded
 * @param weights role weights; roles absent have the default weight
 * @param quota quota by role
 * @param maintenance the maintenance schedule ({@link MaintenanceSchedule#EMPTY} if none)
 * @param operated what operators did to agents and machines
 */
public record RegistrySnapshot(
    Map<AgentId, AgentInfo> agents,
    Map<AgentId, UnreachableAgent> unreachable,
    Map<FrameworkId, FrameworkRecord> frameworks,
    List<FrameworkId> completedFrameworks,
    Map<String, Double> weights,
    Map<String, QuotaRecord> quota,
    MaintenanceSchedule maintenance,
    Operated operated) {

  public static final RegistrySnapshot EMPTY =
      new RegistrySnapshot(
          Map.of(), Map.of(), Map.of(), List.of(), Map.of(), Map.of(), MaintenanceSchedule.EMPTY,
          Operated.NONE);

  public RegistrySnapshot {
    agents = Map.copyOf(agents);
    unreachable = Map.copyOf(unreachable);
    frameworks = Map.copyOf(frameworks);
    completedFrameworks = List.copyOf(completedFrameworks);
    weights = Map.copyOf(weights);
    quota = Map.copyOf(quota);
    Objects.requireNonNull(maintenance, "maintenance");
    Objects.requireNonNull(operated, "operated");
  }

  /**
   * Operator decisions about agents and machines.
   *
   * @param agentAdmin deactivated and draining agents
   * @param gone agents marked gone for good
   * @param downMachines machines in maintenance
   * @param reservations dynamic reservations by agent
   */
  public record Operated(
      Map<AgentId, AgentAdminRecord> agentAdmin,
      Map<AgentId, GoneAgent> gone,
      List<DownMachine> downMachines,
      Map<AgentId, AgentReservations> reservations) {
    public static final Operated NONE = new Operated(Map.of(), Map.of(), List.of(), Map.of());

    public Operated {
      agentAdmin = Map.copyOf(agentAdmin);
      gone = Map.copyOf(gone);
      downMachines = List.copyOf(downMachines);
      reservations = Map.copyOf(reservations);
    }
  }
}
