package dev.terrace.master.registry;

import dev.terrace.common.model.AgentId;
import java.time.Instant;
import java.util.Objects;

/**
 * An agent the master marked unreachable, and since when. Remembered so that the agent is admitted
 * again when it comes back (its tasks reconciled) and so that old entries can be garbage-collected.
 */
public record UnreachableAgent(AgentId agentId, Instant since) {
  public UnreachableAgent {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(since, "since");
  }
}
