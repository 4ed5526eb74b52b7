package dev.terrace.master.registry;

import dev.terrace.discovery.LeaderPaths;
import java.util.Objects;

/**
 * Where the registry keeps its znodes under a base path:
 *
 * <pre>
 * &lt;base&gt;/registry/epoch                       the leader epoch (its data version is the fence)
 * &lt;base&gt;/registry/agents/&lt;agent id&gt;            AgentInfo
 * &lt;base&gt;/registry/unreachable/&lt;agent id&gt;       UnreachableAgent
 * &lt;base&gt;/registry/frameworks/&lt;framework id&gt;    FrameworkRecord
 * &lt;base&gt;/registry/completed_frameworks/&lt;id&gt;   CompletedFramework (bounded, oldest by czxid)
 * &lt;base&gt;/registry/weights/&lt;role&gt;               RoleWeight
 * &lt;base&gt;/registry/quota/&lt;role&gt;                 QuotaRecord
 * &lt;base&gt;/registry/maintenance/schedule         MaintenanceSchedule
 * &lt;base&gt;/registry/agent_admin/&lt;agent id&gt;       AgentAdminRecord (deactivated, draining)
 * &lt;base&gt;/registry/gone/&lt;agent id&gt;              GoneAgent
 * &lt;base&gt;/registry/down_machines/&lt;host|ip&gt;     DownMachine
 * &lt;base&gt;/registry/reservations/&lt;agent id&gt;      AgentReservations
 * </pre>
 *
 * Ids are URL-encoded ({@link ZnodeNames}); data is JSON ({@link RegistryJson}). All of these are
 * ordinary persistent znodes.
 */
final class RegistryLayout {
  private final String registry;

  RegistryLayout(String basePath) {
    Objects.requireNonNull(basePath, "basePath");
    if (!basePath.startsWith("/") || (basePath.length() > 1 && basePath.endsWith("/"))) {
      throw new IllegalArgumentException("base path must be absolute without a trailing '/': " + basePath);
    }
    this.registry = LeaderPaths.registryPath(basePath.equals("/") ? "" : basePath);
  }

  String registry() {
    return registry;
  }

  String epoch() {
    return registry + "/epoch";
  }

  String folder(EntityKind kind) {
    return registry + "/" + kind.folder;
  }

  String node(EntityKind kind, String id) {
    return folder(kind) + "/" + ZnodeNames.encode(id);
  }

  String nodeByName(EntityKind kind, String znodeName) {
    return folder(kind) + "/" + znodeName;
  }
}
