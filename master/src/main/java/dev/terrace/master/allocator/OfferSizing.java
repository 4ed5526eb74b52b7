package dev.terrace.master.allocator;

import dev.terrace.master.allocator.AgentState.Pool;
import dev.terrace.master.allocator.resources.ResourcePart;
import dev.terrace.master.allocator.resources.ResourceSchema;
import dev.terrace.master.allocator.resources.ResourceVector;
import java.util.List;

/**
 * The last feasibility stage: what of the agent's free resources the framework's role may have,
 * and whether that is worth an offer. Reservations go whole to their role and its subroles.
 * Unreserved scalars are cut to the role's (and its ancestors') quota limit headroom; in the
 * guarantee stage to what the guarantee still lacks; in the fair stage so that enough stays free
 * for other roles' unmet guarantees. Ports and other non-scalars are not under quota and go
 * whole. The result must hold one of the role's minimum allocatable alternatives.
 */
final class OfferSizing implements FeasibilityStage {
  private final RoleTree tree;
  private final FeasibilityChain.Headroom headroom;
  private final ResourceVector cap = new ResourceVector();
  private final ResourceVector need = new ResourceVector();
  private final ResourceVector uncapped = new ResourceVector();

  OfferSizing(RoleTree tree, FeasibilityChain.Headroom headroom) {
    this.tree = tree;
    this.headroom = headroom;
  }

  @Override
  public Refusal.Reason check(Candidate c) {
    RoleNode role = c.slot.role;
    Pool[] pools = c.agent.pools;
    c.scalars.clear();
    c.unreserved.clear();
    uncapped.clear();
    boolean anything = false;
    boolean limitCut = false;
    boolean headroomCut = false;
    for (int i = 0; i < pools.length; i++) {
      Pool pool = pools[i];
      if (pool.free.isEmpty() || !(pool.unreserved || pool.total.key.offerableTo(role.path))) {
        continue;
      }
      ResourcePart part = c.parts[i];
      part.setTo(pool.free);
      uncapped.add(part.scalars);
      if (pool.unreserved && tree.hasQuota()) {
        limitCut = cut(part.scalars, limits(role));
        tree.unmetGuarantee(role, need);
        if (c.quotaStage) {
          // Only what the guarantee lacks, in the resources it guarantees.
          cutGuaranteed(part.scalars, tree.guaranteed(role), need);
        } else if (headroom.active) {
          headroomCut = cut(part.scalars, spareFor(need));
        }
        c.unreserved.add(part.scalars);
      } else if (pool.unreserved) {
        c.unreserved.add(part.scalars);
      }
      c.scalars.add(part.scalars);
      c.included[i] = !part.isEmpty();
      anything |= c.included[i];
    }
    if (!anything) {
      // Free resources the quota math cut to nothing are the quota's doing, not a full agent.
      return limitCut ? Refusal.Reason.QUOTA_LIMIT
          : headroomCut ? Refusal.Reason.QUOTA_HEADROOM : Refusal.Reason.NO_FREE_RESOURCES;
    }
    List<ResourceVector> min = tree.minAllocatable(role);
    if (holdsOne(c.scalars, min)) {
      return null;
    }
    if (limitCut && holdsOne(uncapped, min)) {
      return Refusal.Reason.QUOTA_LIMIT;
    }
    if (headroomCut && holdsOne(uncapped, min)) {
      return Refusal.Reason.QUOTA_HEADROOM;
    }
    return Refusal.Reason.MIN_ALLOCATABLE;
  }

  private ResourceVector limits(RoleNode role) {
    tree.limitHeadroom(role, cap);
    return cap;
  }

  /** Unreserved resources a role may take in the fair stage: the spare plus its own unmet need. */
  private ResourceVector spareFor(ResourceVector ownNeed) {
    for (int d = 0; d < ResourceSchema.DIMS; d++) {
      long required = headroom.required.get(d);
      cap.set(d, required == 0 ? ResourceVector.UNLIMITED
          : Math.max(0, headroom.available.get(d) - required) + ownNeed.get(d));
    }
    return cap;
  }

  private static void cutGuaranteed(ResourceVector v, RoleNode guaranteed, ResourceVector need) {
    if (guaranteed == null) {
      v.clear();
      return;
    }
    for (int d = 0; d < ResourceSchema.DIMS; d++) {
      if (guaranteed.guarantee.get(d) > 0) {
        v.set(d, Math.min(v.get(d), need.get(d)));
      }
    }
  }

  /** Cuts {@code v} to {@code cap}; true when that took something away. */
  private static boolean cut(ResourceVector v, ResourceVector cap) {
    boolean cut = false;
    for (int d = 0; d < ResourceSchema.DIMS; d++) {
      if (v.get(d) > cap.get(d)) {
        v.set(d, cap.get(d));
        cut = true;
      }
    }
    return cut;
  }

  private static boolean holdsOne(ResourceVector offer, List<ResourceVector> alternatives) {
    for (int i = 0; i < alternatives.size(); i++) {
      if (offer.covers(alternatives.get(i))) {
        return true;
      }
    }
    return false;
  }
}
