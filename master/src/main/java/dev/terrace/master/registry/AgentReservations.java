package dev.terrace.master.registry;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.Resource;
import java.util.List;
import java.util.Objects;

/**
 * The dynamic reservations (RESERVE operations and RESERVE_RESOURCES calls) on one agent, as the
 * resources they turned the agent's unreserved ones into. Kept by the master, so a failover or an
 * agent restart keeps them.
 */
public record AgentReservations(AgentId agentId, List<Resource> reserved) {
  public AgentReservations {
    Objects.requireNonNull(agentId, "agentId");
    reserved = reserved == null ? List.of() : List.copyOf(reserved);
  }
}
