package dev.terrace.master.allocator;

import dev.terrace.master.allocator.resources.ResourceVector;
import java.util.List;

/**
 * The stages in the order they run, cheapest and most often refusing first: the framework's own
 * state (active, suppressed) needs no look at the agent; filters and constraints need only a
 * lookup; sizing the offer (reservations, quota limits, guarantees held back, minimum
 * allocatable) is the only stage that does arithmetic, so it runs last and only for frameworks
 * that could otherwise take the agent.
 */
final class FeasibilityChain {
  private final FeasibilityStage[] stages;

  FeasibilityChain(RoleTree tree, Headroom headroom) {
    this.stages = new FeasibilityStage[] {
        FeasibilityChain::active,
        FeasibilityChain::notSuppressed,
        FeasibilityChain::notFiltered,
        FeasibilityChain::constraintsHold,
        new OfferSizing(tree, headroom)
    };
  }

  /** Null when every stage passes (the offer is then in {@code c}), else the first refusal. */
  Refusal.Reason check(Candidate c) {
    for (FeasibilityStage s : stages) {
      Refusal.Reason r = s.check(c);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  private static Refusal.Reason active(Candidate c) {
    return c.slot.framework.active ? null : Refusal.Reason.INACTIVE;
  }

  private static Refusal.Reason notSuppressed(Candidate c) {
    return c.slot.suppressed ? Refusal.Reason.SUPPRESSED : null;
  }

  private static Refusal.Reason notFiltered(Candidate c) {
    FrameworkState fw = c.slot.framework;
    if (fw.filters.isEmpty()) {
      return null;
    }
    Long until = fw.filters.get(c.agent);
    if (until != null && until > c.nowMillis) {
      c.filteredUntil = until;
      return Refusal.Reason.FILTERED;
    }
    return null;
  }

  private static Refusal.Reason constraintsHold(Candidate c) {
    List<OfferConstraint> constraints = c.slot.framework.constraints;
    for (int i = 0; i < constraints.size(); i++) {
      if (!constraints.get(i).test(c.agent.attributes)) {
        return Refusal.Reason.CONSTRAINTS;
      }
    }
    return null;
  }

  /**
   * Unreserved resources free for every role, and what must stay free of them for unmet quota
   * guarantees. Kept by the cycle only while some role has quota.
   */
  static final class Headroom {
    boolean active;
    final ResourceVector available = new ResourceVector();
    final ResourceVector required = new ResourceVector();
  }
}
