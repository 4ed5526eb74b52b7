package dev.terrace.master.allocator;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.Attribute;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.resources.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Decides which framework is offered which agent's free resources. The master tells it every
 * change; {@link #allocate} returns the offers to make. Pure logic: no Vert.x, HTTP or ZooKeeper,
 * so benchmarks and the simulator can drive it directly.
 *
 * <p>Contract: calls come from one thread at a time (the master's context). Unknown ids are
 * ignored. Resources handed out by {@link #allocate} stay allocated until they come back through
 * {@link #recoverResources}; they are never offered twice.
 *
 * <p>The policy methods after {@link #allocate} (weights, quota, minimum allocatable resources,
 * offer constraints, explanations) have defaults for allocators without that policy: the setters
 * are ignored and the explanations say the allocator cannot explain. {@link SimpleAllocator} uses
 * them; {@link HierarchicalDrfAllocator} implements them all.
 */
public interface Allocator {

  void addAgent(AgentId agent, Resources total, Resources used);

  /**
   * As {@link #addAgent(AgentId, Resources, Resources)}, with the agent's attributes for offer
   * constraints. Adding a known agent again replaces it (its allocations are dropped).
   */
  default void addAgent(AgentId agent, Resources total, Resources used, List<Attribute> attributes) {
    addAgent(agent, total, used);
  }

  /**
   * The agent's total resources or attributes changed (agent reconfigured, reservations changed
   * by the operator). Outstanding allocations stay; if the new total is smaller than what is
   * allocated, nothing more is offered on that agent until enough comes back. Unknown agents are
   * ignored.
   */
  default void updateAgent(AgentId agent, Resources total, List<Attribute> attributes) {}

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

  /**
   * Replaces the role weights: a role of weight 2 is entitled to twice the dominant share of a
   * role of weight 1 among its siblings. Roles not named get weight 1. Weights must be positive.
   */
  default void updateWeights(Map<String, Double> weights) {}

  /**
   * Sets {@code role}'s quota (scalar resources only). {@code guarantees} are allocated to the
   * role before any fair-share allocation, and held back from other roles while unmet;
   * {@code limits} are never exceeded by the role's allocations plus reservations (scalar names
   * absent from {@code limits} are unlimited). Both empty removes the quota.
   */
  default void setQuota(String role, Resources guarantees, Resources limits) {}

  /**
   * The smallest offer worth making to frameworks of {@code role} (and its subroles unless they
   * set their own): an offer must hold at least one of {@code alternatives} in full. Empty
   * restores the default, Mesos' {@code cpus:0.01 | mem:32}.
   */
  default void setMinAllocatable(String role, List<Resources> alternatives) {}

  /**
   * The framework is offered only agents whose attributes satisfy every constraint (for all of
   * its roles). Empty removes the constraints. Unknown frameworks are ignored.
   */
  default void setOfferConstraints(FrameworkId framework, List<OfferConstraint> constraints) {}

  /** Why {@code framework} gets no offers now, or that it is about to get some. */
  default Explanation explain(FrameworkId framework) {
    return Explanation.unsupported(framework.value());
  }

  /** Why the frameworks of {@code role} get no offers now. */
  default Explanation explainRole(String role) {
    return Explanation.unsupported("role " + role);
  }

  /** One offer to make: {@code resources} of {@code agent} to {@code framework} for {@code role}. */
  record OfferDecision(FrameworkId framework, AgentId agent, String role, Resources resources) {}
}
