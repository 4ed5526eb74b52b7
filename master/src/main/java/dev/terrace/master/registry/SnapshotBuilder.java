package dev.terrace.master.registry;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.FrameworkId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns stored entries (kind, id, JSON) into a {@link RegistrySnapshot}, the same way for every
 * implementation. Entries of the bounded completed list must be added oldest first.
 */
final class SnapshotBuilder {
  private final Map<AgentId, AgentInfo> agents = new HashMap<>();
  private final Map<AgentId, UnreachableAgent> unreachable = new HashMap<>();
  private final Map<FrameworkId, FrameworkRecord> frameworks = new HashMap<>();
  private final List<FrameworkId> completed = new ArrayList<>();
  private final Map<String, Double> weights = new HashMap<>();
  private final Map<String, QuotaRecord> quota = new HashMap<>();
  private MaintenanceSchedule maintenance = MaintenanceSchedule.EMPTY;
  private final Map<AgentId, AgentAdminRecord> agentAdmin = new HashMap<>();
  private final Map<AgentId, GoneAgent> gone = new HashMap<>();
  private final List<DownMachine> down = new ArrayList<>();
  private final Map<AgentId, AgentReservations> reservations = new HashMap<>();

  /** Adds one entry; {@code where} names it in errors (a znode path, say). */
  SnapshotBuilder add(EntityKind kind, String id, byte[] json, String where) {
    Object value = RegistryJson.parse(json, kind.type, where);
    switch (kind) {
      case AGENTS -> {
        // The key is the stored id, not the info's: they agree unless someone edited the znode,
        // and the id is what the next write for this agent will address.
        AgentInfo info = (AgentInfo) value;
        agents.put(AgentId.of(id), info.id() == null ? info.withId(AgentId.of(id)) : info);
      }
      case UNREACHABLE -> unreachable.put(AgentId.of(id), (UnreachableAgent) value);
      case FRAMEWORKS -> frameworks.put(FrameworkId.of(id), (FrameworkRecord) value);
      case COMPLETED_FRAMEWORKS -> completed.add(FrameworkId.of(id));
      case WEIGHTS -> weights.put(id, ((RoleWeight) value).weight());
      case QUOTA -> quota.put(id, (QuotaRecord) value);
      case MAINTENANCE -> maintenance = (MaintenanceSchedule) value;
      case AGENT_ADMIN -> agentAdmin.put(AgentId.of(id), (AgentAdminRecord) value);
      case GONE -> gone.put(AgentId.of(id), (GoneAgent) value);
      case DOWN_MACHINES -> down.add((DownMachine) value);
      case RESERVATIONS -> reservations.put(AgentId.of(id), (AgentReservations) value);
    }
    return this;
  }

  RegistrySnapshot build() {
    return new RegistrySnapshot(
        agents, unreachable, frameworks, completed, weights, quota, maintenance,
        new RegistrySnapshot.Operated(agentAdmin, gone, down, reservations));
  }
}
