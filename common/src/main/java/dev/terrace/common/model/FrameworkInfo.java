package dev.terrace.common.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import java.util.ArrayList;
import java.util.List;

/** Mesos `FrameworkInfo`: who a framework is and what it can do. */
public record FrameworkInfo(
    String user,
    String name,
    FrameworkId id,
    Double failoverTimeout,
    Boolean checkpoint,
    String role,
    List<String> roles,
    String hostname,
    String principal,
    String webuiUrl,
    List<Capability> capabilities,
    Labels labels) {

  public FrameworkInfo {
    roles = roles == null ? List.of() : List.copyOf(roles);
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
  }

  public record Capability(Type type) {
    public enum Type {
      @JsonEnumDefaultValue
      UNKNOWN,
      REVOCABLE_RESOURCES,
      TASK_KILLING_STATE,
      GPU_RESOURCES,
      SHARED_RESOURCES,
      PARTITION_AWARE,
      MULTI_ROLE,
      RESERVATION_REFINEMENT,
      REGION_AWARE,
      AGENT_OPERATION_FEEDBACK,
      AGENT_DRAINING
    }
  }

  public static FrameworkInfo of(String user, String name, String... roles) {
    return new FrameworkInfo(user, name, null, null, null, null, List.of(roles), null, null, null, null, null);
  }

  public boolean hasCapability(Capability.Type type) {
    return capabilities.stream().anyMatch(c -> c.type() == type);
  }

  /**
   * The roles this framework subscribes with: {@code roles} for MULTI_ROLE frameworks, else the
   * legacy single {@code role} (default {@code "*"}), as Mesos reads them.
   */
  public List<String> effectiveRoles() {
    if (hasCapability(Capability.Type.MULTI_ROLE)) {
      return roles;
    }
    if (role != null) {
      return List.of(role);
    }
    return roles.isEmpty() ? List.of("*") : roles;
  }

  public FrameworkInfo withId(FrameworkId newId) {
    return new FrameworkInfo(user, name, newId, failoverTimeout, checkpoint, role, roles, hostname,
        principal, webuiUrl, capabilities, labels);
  }

  public FrameworkInfo withCapability(Capability.Type type) {
    List<Capability> caps = new ArrayList<>(capabilities);
    if (!hasCapability(type)) {
      caps.add(new Capability(type));
    }
    return new FrameworkInfo(user, name, id, failoverTimeout, checkpoint, role, roles, hostname,
        principal, webuiUrl, caps, labels);
  }
}
