package dev.terrace.master.allocator;

import dev.terrace.common.resources.Resources;
import dev.terrace.master.allocator.Allocator.OfferDecision;
import dev.terrace.master.allocator.AgentState.Pool;
import dev.terrace.master.allocator.resources.ResourcePart;
import dev.terrace.master.allocator.resources.ResourceVector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One allocation cycle, in two stages as Mesos does: first the roles whose quota guarantee is
 * unmet get what they lack, then everything else goes by weighted DRF while what unmet
 * guarantees need stays free. Each agent is offered, whole, to the first framework in DRF order
 * that passes the {@link FeasibilityChain}; what it may not have (another role's reservation, or
 * what its quota cuts off) goes on to the next.
 *
 * <p>Agents whose free resources did not grow since the last cycle are skipped, unless something
 * that could change another framework's answer happened (a framework added, activated or
 * revived, a filter ended, quota, constraints or minimum changed, or, with quota, anything
 * recovered or offered): the last cycle already found nobody who could take them.
 */
final class AllocationCycle {
  private static final int OFFERED = 0;
  /** The framework may not have the agent; the next framework of the role may. */
  private static final int REFUSED = 1;
  /** The role may not have the agent (sizing refused): no framework of the role may. */
  private static final int ROLE_REFUSED = 2;

  private final HierarchicalDrfAllocator s;
  private final Candidate c = new Candidate();
  private final ResourceVector scratch = new ResourceVector();
  private final List<RoleNode> needy = new ArrayList<>();
  private List<OfferDecision> out;
  /** Numbers each visit of an agent, so a framework gets at most one offer per agent per visit. */
  private long visit;
  private int lastOffers = 16;

  AllocationCycle(HierarchicalDrfAllocator s) {
    this.s = s;
  }

  List<OfferDecision> run(long now) {
    if (now >= s.nextFilterExpiry) {
      expireFilters(now);
    }
    s.refreshOrder();
    out = new ArrayList<>(lastOffers);
    if (s.tree.root.wanting == 0) {
      // Nobody wants offers: keep the dirty marks for the cycle when somebody does.
      return out;
    }
    c.nowMillis = now;
    boolean all = s.everythingDirty;
    prepareHeadroom();
    if (s.headroom.active && !s.headroom.required.isZero() && collectNeedy()) {
      c.quotaStage = true;
      for (int i = 0; i < s.agentCount && !needy.isEmpty(); i++) {
        AgentState a = s.agentArray[i];
        if (a.active && (all || a.dirty)) {
          guaranteeVisit(a);
        }
      }
    }
    c.quotaStage = false;
    for (int i = 0; i < s.agentCount; i++) {
      AgentState a = s.agentArray[i];
      if (a.active && (all || a.dirty)) {
        fairVisit(a);
        a.dirty = false;
      }
    }
    // With quota, an offer can lower what unmet guarantees hold back (it met some of one) after
    // earlier agents were passed over for that headroom: look at all agents again next cycle.
    s.everythingDirty = s.headroom.active && !out.isEmpty();
    lastOffers = Math.max(16, out.size());
    List<OfferDecision> result = out;
    out = null;
    return result;
  }

  private void expireFilters(long now) {
    long next = Long.MAX_VALUE;
    for (FrameworkState fw : s.frameworks.values()) {
      Iterator<Map.Entry<AgentState, Long>> it = fw.filters.entrySet().iterator();
      while (it.hasNext()) {
        long until = it.next().getValue();
        if (until <= now) {
          it.remove();
        } else {
          next = Math.min(next, until);
        }
      }
    }
    s.nextFilterExpiry = next;
    s.everythingDirty = true;
  }

  private void prepareHeadroom() {
    FeasibilityChain.Headroom h = s.headroom;
    h.active = s.tree.hasQuota();
    if (!h.active) {
      return;
    }
    h.available.clear();
    for (int i = 0; i < s.agentCount; i++) {
      for (Pool p : s.agentArray[i].pools) {
        if (p.unreserved) {
          h.available.add(p.free.scalars);
        }
      }
    }
    s.tree.requiredHeadroom(h.required, scratch);
  }

  /** The roles stage one serves: unmet guarantee and frameworks that want offers. */
  private boolean collectNeedy() {
    needy.clear();
    for (RoleNode quota : s.tree.quotaRoles) {
      if (quota.guarantee != null && quota.wanting > 0) {
        s.tree.unmetGuarantee(quota, scratch);
        if (!scratch.isZero()) {
          needy.add(quota);
        }
      }
    }
    needy.sort(Comparator.comparingDouble(Sorter.Client::share));
    return !needy.isEmpty();
  }

  /** Stage one: offers the agent to roles with unmet guarantees until it is gone or they are met. */
  private void guaranteeVisit(AgentState a) {
    visit++;
    boolean offered = true;
    while (offered && a.anyFree() && !needy.isEmpty()) {
      offered = false;
      for (int i = 0; i < needy.size(); i++) {
        RoleNode quota = needy.get(i);
        s.tree.unmetGuarantee(quota, scratch);
        if (scratch.isZero()) {
          // Met: the rest of the cycle is fair share for this role.
          needy.remove(i--);
        } else if (walk(quota, a)) {
          // To the back of the line, so that guarantees fill side by side, not one by one.
          needy.add(needy.remove(i));
          offered = true;
          break;
        }
      }
    }
  }

  /** Stage two: offers the agent by DRF until nobody takes what is left. */
  private void fairVisit(AgentState a) {
    visit++;
    while (a.anyFree() && walk(s.tree.root, a)) {
      // Each pass offers to one framework; what it could not have goes round again.
    }
  }

  /** Walks {@code node}'s subtree in DRF order; true when some framework was offered {@code a}. */
  private boolean walk(RoleNode node, AgentState a) {
    Sorter<Sorter.Client> members = node.members;
    for (int i = 0; i < members.size(); i++) {
      Sorter.Client m = members.get(i);
      if (m instanceof RoleNode child) {
        if (child.wanting > 0 && walk(child, a)) {
          return true;
        }
      } else if (node.own.wanting > 0 && offerToOwn(node, a)) {
        return true;
      }
    }
    return false;
  }

  private boolean offerToOwn(RoleNode node, AgentState a) {
    Sorter<FrameworkRole> fws = node.own.frameworks;
    for (int j = 0; j < fws.size(); j++) {
      FrameworkRole fr = fws.get(j);
      if (!fr.wantsOffers() || fr.lastVisit == visit) {
        continue;
      }
      int r = tryOffer(fr, a);
      if (r == OFFERED) {
        return true;
      }
      if (r == ROLE_REFUSED) {
        return false;
      }
    }
    return false;
  }

  private int tryOffer(FrameworkRole fr, AgentState a) {
    c.reset(a, fr);
    Refusal.Reason reason = s.chain.check(c);
    if (reason == null) {
      commit(a, fr);
      return OFFERED;
    }
    return switch (reason) {
      case QUOTA_LIMIT, QUOTA_HEADROOM, MIN_ALLOCATABLE, NO_FREE_RESOURCES -> ROLE_REFUSED;
      default -> REFUSED;
    };
  }

  /** Takes the sized offer out of the agent's free resources and books it to the framework. */
  private void commit(AgentState a, FrameworkRole fr) {
    Pool[] pools = a.pools;
    boolean whole = a.wholeWire != null && a.wholeFree();
    for (int i = 0; i < pools.length && whole; i++) {
      whole = c.included[i] && same(c.parts[i], pools[i].free);
    }
    Resources wire = whole ? a.wholeWire : wireOfOffer(a);
    for (int i = 0; i < pools.length; i++) {
      if (!c.included[i]) {
        continue;
      }
      ResourcePart part = c.parts[i];
      ResourcePart free = pools[i].free;
      if (same(part, free)) {
        free.clear();
      } else {
        free.subtract(part);
      }
    }
    s.hold(a, fr, c.scalars, c.unreserved);
    if (s.headroom.active) {
      // Only the guarantee of this role (or its guaranteed ancestor) changes: adjust the sum
      // by what that guarantee lacks less, instead of summing over every quota role again.
      s.tree.unmetGuarantee(fr.role, scratch);
      s.headroom.required.subtract(scratch);
      s.tree.charge(fr, c.scalars, c.unreserved);
      s.tree.unmetGuarantee(fr.role, scratch);
      s.headroom.required.add(scratch);
      s.headroom.available.subtractFloored(c.unreserved);
    } else {
      s.tree.charge(fr, c.scalars, c.unreserved);
    }
    fr.lastVisit = visit;
    out.add(new OfferDecision(fr.framework.id, a.id, fr.role.path, wire));
  }

  /**
   * The sized offer in wire form. An agent is often offered the same remainder again (declined,
   * or its tasks unchanged), so the last one built is kept and reused when the offer matches:
   * {@link Resources} is immutable, and building it is most of what a cycle would allocate.
   */
  private Resources wireOfOffer(AgentState a) {
    int n = a.pools.length;
    ResourcePart[] last = a.lastOffer;
    if (last != null && last.length == n) {
      boolean match = true;
      for (int i = 0; i < n && match; i++) {
        match = last[i] == null ? !c.included[i]
            : c.included[i] && last[i].key.equals(c.parts[i].key) && same(last[i], c.parts[i]);
      }
      if (match) {
        return a.lastOfferWire;
      }
    }
    ResourcePart[] copy = new ResourcePart[n];
    List<ResourcePart> offered = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (c.included[i]) {
        copy[i] = new ResourcePart(c.parts[i].key);
        copy[i].setTo(c.parts[i]);
        offered.add(copy[i]);
      }
    }
    a.lastOffer = copy;
    a.lastOfferWire = s.compact.toResources(offered);
    return a.lastOfferWire;
  }

  private static boolean same(ResourcePart a, ResourcePart b) {
    return a.scalars.equals(b.scalars) && a.ports.equals(b.ports) && a.other.equals(b.other);
  }
}
