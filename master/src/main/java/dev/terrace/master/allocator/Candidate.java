package dev.terrace.master.allocator;

import dev.terrace.master.allocator.resources.ResourcePart;
import dev.terrace.master.allocator.resources.ResourceVector;
import java.util.Arrays;

/**
 * One question the feasibility stages answer: may {@code slot} (a framework in a role) be offered
 * {@code agent} now, and what exactly? Reused for every question of a cycle so that asking
 * allocates nothing; the sizing stage leaves the offer in {@link #parts}.
 */
final class Candidate {
  AgentState agent;
  FrameworkRole slot;
  long nowMillis;
  /** True in the first stage of a cycle, which only serves unmet quota guarantees. */
  boolean quotaStage;

  /** The offer per pool of the agent (parallel to {@code agent.pools}) and which pools it uses. */
  ResourcePart[] parts = new ResourcePart[0];
  boolean[] included = new boolean[0];
  final ResourceVector scalars = new ResourceVector();
  final ResourceVector unreserved = new ResourceVector();

  /** Details for explanations, set by the stage that refused. */
  long filteredUntil;

  void reset(AgentState agent, FrameworkRole slot) {
    this.agent = agent;
    this.slot = slot;
    int n = agent.pools.length;
    if (parts.length < n) {
      parts = Arrays.copyOf(parts, n);
      included = new boolean[n];
    }
    for (int i = 0; i < n; i++) {
      // A part is tied to its pool's reservation: rebuild it when the pool is another one.
      if (parts[i] == null || !parts[i].key.equals(agent.pools[i].total.key)) {
        parts[i] = new ResourcePart(agent.pools[i].total.key);
      }
      included[i] = false;
    }
  }
}
