package dev.terrace.master.allocator;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.resources.Resources;
import java.time.Instant;
import java.util.List;

/**
 * Decides which framework is offered which agent's free resources. The master tells it every
 * change; {@link #allocate} returns the offers to make. Pure logic: no Vert.x, HTTP or ZooKeeper,
 * so benchmarks and the simulator can drive it directly.
 *
 * <p>Contract: calls come from one thread at a time (the master's context). Unknown ids are
 * ignored. Resources handed out by {@link #allocate} stay allocated until they come back through
 * {@link #recoverResources}; they are never offered twice.
 */
public interface Allocator {

  void addAgent(AgentId agent, Resources total, Resources used);

  void removeAgent(AgentId agent);

  /** An inactive agent (disconnected, draining) keeps its allocations but gets no offers. */
  void setAgentActive(AgentId agent, boolean active);

  void addFramework(FrameworkId framework, List<String> roles, List<String> suppressedRoles);

  void removeFramework(FrameworkId framework);

  /**
   * The framework's roles or suppressed roles changed (UPDATE_FRAMEWORK). Its allocations stay
   * as they are; its filters are kept.
   */
  void updateFramework(FrameworkId framework, List<String> roles, List<String> suppressedRoles);

  /** A disconnected framework keeps its tasks' resources but gets no offers. */
  void setFrameworkActive(FrameworkId framework, boolean active);

  /**
   * Resources allocated to {@code framework} on {@code agent} come back (declined or unused parts
   * of an accepted offer, a rescinded offer, or a finished task). With a positive
   * {@code refuseSeconds} the framework is not offered that agent's resources again until then.
   */
  void recoverResources(FrameworkId framework, AgentId agent, Resources resources,
      double refuseSeconds, Instant now);

  /** Resources of an agent become used by a task outside any offer (re-registration). */
  void addUsed(FrameworkId framework, AgentId agent, Resources resources);

  void suppress(FrameworkId framework, List<String> roles);

  /** Clears the framework's filters and un-suppresses {@code roles} (all when empty). */
  void revive(FrameworkId framework, List<String> roles);

  /** The offers to make now. */
  List<OfferDecision> allocate(Instant now);

  /** One offer to make: {@code resources} of {@code agent} to {@code framework} for {@code role}. */
  record OfferDecision(FrameworkId framework, AgentId agent, String role, Resources resources) {}
}
