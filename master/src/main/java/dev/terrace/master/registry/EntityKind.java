package dev.terrace.master.registry;

import dev.terrace.common.model.AgentInfo;

/**
 * The kinds of entity the registry keeps, each in its own folder, one entry per entity, with the
 * record its JSON holds. To keep a new kind (reservations, for instance): add a constant and its
 * record here, a field to {@link RegistrySnapshot} filled in by {@link SnapshotBuilder}, and a
 * write method to {@link Registry} that {@link AbstractRegistry} turns into changes. Both
 * implementations store every kind the same way, so neither needs to change.
 */
enum EntityKind {
  AGENTS("agents", AgentInfo.class),
  UNREACHABLE("unreachable", UnreachableAgent.class),
  FRAMEWORKS("frameworks", FrameworkRecord.class),
  /** Bounded: implementations drop the oldest entries beyond their limit. */
  COMPLETED_FRAMEWORKS("completed_frameworks", CompletedFramework.class),
  WEIGHTS("weights", RoleWeight.class),
  QUOTA("quota", QuotaRecord.class),
  MAINTENANCE("maintenance", MaintenanceSchedule.class),
  AGENT_ADMIN("agent_admin", AgentAdminRecord.class),
  GONE("gone", GoneAgent.class),
  DOWN_MACHINES("down_machines", DownMachine.class),
  RESERVATIONS("reservations", AgentReservations.class);

  /** The folder (znode) name; never change it, or existing registries are no longer read. */
  final String folder;

  final Class<?> type;

  EntityKind(String folder, Class<?> type) {
    this.folder = folder;
    this.type = type;
  }
}
