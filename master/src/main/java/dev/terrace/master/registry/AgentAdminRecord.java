package dev.terrace.master.registry;

import dev.terrace.common.model.AgentId;
import java.util.Objects;

/**
 * What an operator decided about one agent and must survive a failover (Mesos keeps the same in
 * its registry): the agent is deactivated (no offers), and maybe being drained.
 *
 * @param drain null when the agent is not being drained
 */
public record AgentAdminRecord(AgentId agentId, boolean deactivated, Drain drain) {
  public AgentAdminRecord {
    Objects.requireNonNull(agentId, "agentId");
  }

  /**
   * A drain as Mesos' {@code DrainInfo}: its config and how far it got.
   *
   * @param maxGracePeriodNanos caps every task's kill grace period; null keeps the tasks' own
   * @param markGone the agent is marked gone once drained
   * @param state DRAINING until every task ended and its update was acknowledged, then DRAINED
   */
  public record Drain(Long maxGracePeriodNanos, boolean markGone, State state) {
    public enum State { DRAINING, DRAINED }

    public Drain {
      Objects.requireNonNull(state, "state");
      if (maxGracePeriodNanos != null && maxGracePeriodNanos < 0) {
        throw new IllegalArgumentException("max grace period must be >= 0: " + maxGracePeriodNanos);
      }
    }

    public Drain drained() {
      return new Drain(maxGracePeriodNanos, markGone, State.DRAINED);
    }
  }
}
