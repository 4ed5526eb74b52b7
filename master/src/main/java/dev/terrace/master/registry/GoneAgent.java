package dev.terrace.master.registry;

import dev.terrace.common.model.AgentId;
import java.time.Instant;
import java.util.Objects;

/** An agent an operator marked gone for good, and since when: it may never register again. */
public record GoneAgent(AgentId agentId, Instant since) {
  public GoneAgent {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(since, "since");
  }
}
