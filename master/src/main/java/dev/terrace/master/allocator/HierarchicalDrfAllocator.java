package dev.terrace.master.allocator;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.Attribute;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.allocator.AgentState.Holding;
import dev.terrace.master.allocator.AgentState.Pool;
import dev.terrace.master.allocator.resources.CompactResources;
import dev.terrace.master.allocator.resources.ResourcePart;
import dev.terrace.master.allocator.resources.ResourceSchema;
import dev.terrace.master.allocator.resources.ResourceVector;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hierarchical weighted DRF with quota, reservations, filters, suppression, minimum allocatable
 * resources and offer constraints. This class keeps the books (agents, frameworks, what each
 * holds where) as the master's events arrive; {@link AllocationCycle} decides offers and
 * {@link Explainer} says why a framework gets none, both through the same
 * {@link FeasibilityChain}.
 *
 * <p>Resources are kept compact (a scalar vector and port intervals per reservation of an agent)
 * and converted from and to wire {@link Resources} only in these event methods and when an offer
 * is written out. Not thread-safe: the master calls it from one thread at a time, as
 * {@link Allocator} says.
 */
public final class HierarchicalDrfAllocator implements Allocator {
  final ResourceSchema schema = new ResourceSchema();
  final CompactResources compact = new CompactResources(schema);
  final RoleTree tree = new RoleTree();
  final FeasibilityChain.Headroom headroom = new FeasibilityChain.Headroom();
  final FeasibilityChain chain = new FeasibilityChain(tree, headroom);

  final Map<AgentId, AgentState> agents = new HashMap<>();
  /** The agents densely, for cheap iteration in a cycle. */
  AgentState[] agentArray = new AgentState[16];
  int agentCount;
  final Map<FrameworkId, FrameworkState> frameworks = new LinkedHashMap<>();
  /**
   * Removed frameworks, by id, so their leftover holdings can still be recovered under that id.
   * An entry goes when the framework holds nothing more, or when the id is added again.
   */
  private final Map<FrameworkId, FrameworkState> removedWithHoldings = new HashMap<>();
  private final ArrayDeque<Holding> spareHoldings = new ArrayDeque<>();

  /** Shares must be recomputed (the cluster total or the weights changed). */
  boolean sharesStale;
  /** Counts of frameworks wanting offers must be recounted. */
  boolean wantingStale = true;
  /** Every agent must be looked at next cycle, not only those whose free resources grew. */
  boolean everythingDirty = true;
  /** When the earliest refuse filter ends (epoch ms). */
  long nextFilterExpiry = Long.MAX_VALUE;
  /** The latest time the master told us; explanations are as of then. */
  long lastNowMillis;

  private final AllocationCycle cycle = new AllocationCycle(this);
  private final Explainer explainer = new Explainer(this);

  // ------------------------------------------------------------------ agents

  @Override
  public void addAgent(AgentId agent, Resources total, Resources used) {
    addAgent(agent, total, used, List.of());
  }

  @Override
  public void addAgent(AgentId id, Resources total, Resources used, List<Attribute> attributes) {
    if (agents.containsKey(id)) {
      removeAgent(id);
    }
    AgentState a = new AgentState(id);
    a.pools = poolsOf(total);
    a.attributes = attributeMap(attributes);
    a.wholeWire = total;
    account(a, true);
    if (!used.isEmpty()) {
      take(a, null, used);
    }
    agents.put(id, a);
    if (agentCount == agentArray.length) {
      agentArray = Arrays.copyOf(agentArray, agentCount * 2);
    }
    a.slot = agentCount;
    agentArray[agentCount++] = a;
  }

  @Override
  public void updateAgent(AgentId id, Resources total, List<Attribute> attributes) {
    AgentState a = agents.get(id);
    if (a == null) {
      return;
    }
    account(a, false);
    Pool[] old = a.pools;
    a.pools = poolsOf(total);
    for (Pool p : a.pools) {
      for (Pool o : old) {
        if (o.total.key.equals(p.total.key)) {
          // What was allocated of the old pool stays allocated in the new one.
          ResourcePart allocated = new ResourcePart(o.total.key);
          allocated.setTo(o.total);
          allocated.subtract(o.free);
          p.free.subtract(allocated);
        }
      }
    }
    a.attributes = attributeMap(attributes);
    a.wholeWire = total;
    account(a, true);
    a.dirty = true;
    everythingDirty = true;
  }

  @Override
  public void removeAgent(AgentId id) {
    AgentState a = agents.remove(id);
    if (a == null) {
      return;
    }
    for (Holding h : a.holdings) {
      if (h.owner != null) {
        tree.release(h.owner, h.scalars, h.unreserved);
      }
    }
    a.holdings.clear();
    account(a, false);
    for (FrameworkState fw : frameworks.values()) {
      fw.filters.remove(a);
    }
    AgentState last = agentArray[--agentCount];
    agentArray[a.slot] = last;
    last.slot = a.slot;
    agentArray[agentCount] = null;
    if (tree.hasQuota()) {
      everythingDirty = true;
    }
  }

  @Override
  public void setAgentActive(AgentId id, boolean active) {
    AgentState a = agents.get(id);
    if (a != null) {
      a.active = active;
      a.dirty |= active;
    }
  }

  private Pool[] poolsOf(Resources total) {
    List<ResourcePart> parts = compact.split(total);
    Pool[] pools = new Pool[parts.size()];
    for (int i = 0; i < pools.length; i++) {
      pools[i] = new Pool(parts.get(i));
    }
    return pools;
  }

  /** Adds (or takes away) the agent's totals to the cluster total and its roles' reservations. */
  private void account(AgentState a, boolean add) {
    for (Pool p : a.pools) {
      if (add) {
        tree.total.add(p.total.scalars);
      } else {
        tree.total.subtractFloored(p.total.scalars);
      }
      if (!p.unreserved) {
        tree.reserve(p.role, p.total.scalars, add);
      }
    }
    sharesStale = true;
    a.dirty = true;
    if (tree.hasQuota()) {
      // More (or fewer) unreserved resources change what unmet guarantees hold back elsewhere.
      everythingDirty = true;
    }
  }

  private static Map<String, String> attributeMap(List<Attribute> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return Map.of();
    }
    Map<String, String> map = new HashMap<>();
    for (Attribute at : attributes) {
      map.put(at.name(), at.valueString());
    }
    return map;
  }

  // ------------------------------------------------------------------ frameworks

  /** UPDATE_FRAMEWORK: as re-adding a known framework (see addFramework); unknown ids are ignored. */
  @Override
  public void updateFramework(FrameworkId id, List<String> roles, List<String> suppressedRoles) {
    if (frameworks.containsKey(id)) {
      addFramework(id, roles, suppressedRoles);
    }
  }

  /**
   * Adding a known framework updates its roles and suppressed roles (as a re-subscription does)
   * and keeps what it holds. A role it leaves while still holding resources there stays tracked,
   * suppressed, until those resources are recovered.
   */
  @Override
  public void addFramework(FrameworkId id, List<String> roles, List<String> suppressedRoles) {
    List<String> wanted = roles.isEmpty() ? List.of("*") : roles;
    // Mesos never reuses a removed framework's id; if it comes back anyway, it starts afresh and
    // what the old one still held stays allocated to it.
    removedWithHoldings.remove(id);
    FrameworkState fw = frameworks.computeIfAbsent(id, FrameworkState::new);
    for (FrameworkRole fr : List.copyOf(fw.roles)) {
      if (!wanted.contains(fr.role.path)) {
        if (fr.allocated.isZero()) {
          fw.roles.remove(fr);
          fr.role.own.frameworks.remove(fr);
        } else {
          fr.suppressed = true;
        }
      }
    }
    for (String role : new LinkedHashSet<>(wanted)) {
      FrameworkRole fr = fw.role(role);
      if (fr == null) {
        fr = new FrameworkRole(fw, tree.node(role));
        fw.roles.add(fr);
        fr.role.own.frameworks.add(fr);
      }
      fr.suppressed = suppressedRoles.contains(role);
    }
    wantingStale = true;
    everythingDirty = true;
  }

  /**
   * Resources the framework still holds stay allocated and counted for its roles (quota limits
   * keep counting them) until they come back through {@link #recoverResources} under its id
   * (the master recovers a removed framework's tasks and offers first, so usually nothing is
   * left). It gets no more offers.
   */
  @Override
  public void removeFramework(FrameworkId id) {
    FrameworkState fw = frameworks.remove(id);
    if (fw == null) {
      return;
    }
    fw.removed = true;
    removedWithHoldings.put(id, fw);
    for (FrameworkRole fr : fw.roles) {
      fr.role.own.frameworks.remove(fr);
    }
    wantingStale = true;
  }

  @Override
  public void setFrameworkActive(FrameworkId id, boolean active) {
    FrameworkState fw = frameworks.get(id);
    if (fw != null && fw.active != active) {
      fw.active = active;
      wantingStale = true;
      everythingDirty |= active;
    }
  }

  @Override
  public void suppress(FrameworkId id, List<String> roles) {
    FrameworkState fw = frameworks.get(id);
    if (fw != null) {
      for (FrameworkRole fr : fw.roles) {
        if (roles.isEmpty() || roles.contains(fr.role.path)) {
          fr.suppressed = true;
        }
      }
      wantingStale = true;
    }
  }

  @Override
  public void revive(FrameworkId id, List<String> roles) {
    FrameworkState fw = frameworks.get(id);
    if (fw != null) {
      fw.filters.clear();
      for (FrameworkRole fr : fw.roles) {
        if (roles.isEmpty() || roles.contains(fr.role.path)) {
          fr.suppressed = false;
        }
      }
      wantingStale = true;
      everythingDirty = true;
    }
  }

  @Override
  public void setOfferConstraints(FrameworkId id, List<OfferConstraint> constraints) {
    FrameworkState fw = frameworks.get(id);
    if (fw != null) {
      fw.constraints = List.copyOf(constraints);
      everythingDirty = true;
    }
  }

  // ------------------------------------------------------------------ resources

  /**
   * Only what the framework holds on the agent comes back (anything beyond is ignored, so a
   * wrong or repeated recovery can never make resources free twice). A removed framework can
   * still recover what it held; an id never added recovers what was used without an owner.
   */
  @Override
  public void recoverResources(FrameworkId framework, AgentId agent, Resources resources,
      double refuseSeconds, Instant now) {
    lastNowMillis = Math.max(lastNowMillis, now.toEpochMilli());
    AgentState a = agents.get(agent);
    if (a == null) {
      return;
    }
    FrameworkState fw = frameworks.get(framework);
    if (fw == null) {
      fw = removedWithHoldings.get(framework);
    }
    List<ResourcePart> parts = resources == a.wholeWire ? wholeParts(a) : compact.split(resources);
    for (ResourcePart part : parts) {
      Pool pool = pool(a, part);
      if (pool != null) {
        giveBack(a, fw, pool, part);
      }
    }
    a.dirty = true;
    if (tree.hasQuota()) {
      // Headroom under a limit or for a guarantee changed: other agents may now be offerable.
      everythingDirty = true;
    }
    if (fw != null && fw.removed) {
      forgetIfEmpty(fw);
      return;
    }
    if (fw != null && refuseSeconds > 0 && !resources.isEmpty()) {
      long until = now.toEpochMilli() + Math.round(refuseSeconds * 1000);
      fw.filters.put(a, until);
      nextFilterExpiry = Math.min(nextFilterExpiry, until);
    }
  }

  /** Drops a removed framework once it holds nothing anywhere. */
  private void forgetIfEmpty(FrameworkState fw) {
    for (FrameworkRole fr : fw.roles) {
      if (!fr.allocated.isZero()) {
        return;
      }
    }
    removedWithHoldings.remove(fw.id);
  }

  private static List<ResourcePart> wholeParts(AgentState a) {
    List<ResourcePart> parts = new ArrayList<>(a.pools.length);
    for (Pool p : a.pools) {
      parts.add(p.total);
    }
    return parts;
  }

  private static Pool pool(AgentState a, ResourcePart part) {
    for (Pool p : a.pools) {
      if (p.total.key.equals(part.key)) {
        return p;
      }
    }
    return null;
  }

  /** Returns {@code part} to {@code pool}'s free resources, as far as {@code fw} holds it. */
  private void giveBack(AgentState a, FrameworkState fw, Pool pool, ResourcePart part) {
    ResourceVector taken = new ResourceVector();
    ResourceVector want = new ResourceVector();
    want.setTo(part.scalars);
    for (int i = a.holdings.size() - 1; i >= 0 && !want.isZero(); i--) {
      Holding h = a.holdings.get(i);
      // An unknown framework recovers what was used without an owner (agent re-registration).
      if (fw == null ? h.owner != null : h.owner == null || h.owner.framework != fw) {
        continue;
      }
      ResourceVector held = new ResourceVector();
      held.setTo(pool.unreserved ? h.unreserved : h.scalars);
      if (!pool.unreserved) {
        held.subtract(h.unreserved);
      }
      held.minWith(want);
      want.subtract(held);
      taken.add(held);
      h.scalars.subtractFloored(held);
      ResourceVector unreservedPart = pool.unreserved ? held : new ResourceVector();
      h.unreserved.subtractFloored(unreservedPart);
      if (h.owner != null) {
        tree.release(h.owner, held, unreservedPart);
      }
      if (h.scalars.isZero()) {
        a.holdings.remove(i);
        h.owner = null;
        spareHoldings.push(h);
      }
    }
    ResourceVector room = new ResourceVector();
    room.setTo(pool.total.scalars);
    room.subtract(pool.free.scalars);
    taken.minWith(room);
    pool.free.scalars.add(taken);
    pool.free.ports.add(part.ports);
    if (!pool.total.ports.covers(pool.free.ports)) {
      pool.free.ports.retain(pool.total.ports);
    }
    if (!part.other.isEmpty()) {
      Resources free = pool.free.other.plus(part.other);
      pool.free.other = free.minus(free.minus(pool.total.other));
    }
  }

  @Override
  public void addUsed(FrameworkId framework, AgentId agent, Resources resources) {
    AgentState a = agents.get(agent);
    if (a != null) {
      take(a, frameworks.get(framework), resources);
    }
  }

  /** Marks {@code resources} (as far as free) used by {@code fw} (null: unattributed). */
  private void take(AgentState a, FrameworkState fw, Resources resources) {
    FrameworkRole owner = fw == null ? null : fw.roles.get(0);
    for (ResourcePart part : compact.split(resources)) {
      Pool pool = pool(a, part);
      if (pool == null) {
        continue;
      }
      ResourceVector got = new ResourceVector();
      got.setTo(part.scalars);
      got.minWith(pool.free.scalars);
      pool.free.subtract(part);
      ResourceVector unreservedPart = pool.unreserved ? got : new ResourceVector();
      hold(a, owner, got, unreservedPart);
      if (owner != null) {
        tree.charge(owner, got, unreservedPart);
      }
    }
  }

  /** Records that {@code owner} holds {@code scalars} more on {@code a}. */
  void hold(AgentState a, FrameworkRole owner, ResourceVector scalars, ResourceVector unreserved) {
    Holding h = a.holding(owner);
    if (h == null) {
      h = spareHoldings.isEmpty() ? new Holding() : spareHoldings.pop();
      h.owner = owner;
      h.scalars.clear();
      h.unreserved.clear();
      a.holdings.add(h);
    }
    h.scalars.add(scalars);
    h.unreserved.add(unreserved);
  }

  // ------------------------------------------------------------------ policy

  @Override
  public void updateWeights(Map<String, Double> weights) {
    weights.forEach((role, w) -> {
      if (!(w > 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("weight of role '" + role + "' must be positive: " + w);
      }
    });
    weights.keySet().forEach(tree::node);
    tree.setWeights(weights);
  }

  @Override
  public void setQuota(String role, Resources guarantees, Resources limits) {
    RoleNode n = tree.node(role);
    ResourceVector g = guarantees.isEmpty() ? null : scalars(guarantees, 0);
    ResourceVector l = limits.isEmpty() ? null : scalars(limits, ResourceVector.UNLIMITED);
    tree.setQuota(n, g, l);
    everythingDirty = true;
  }

  @Override
  public void setMinAllocatable(String role, List<Resources> alternatives) {
    RoleNode n = tree.node(role);
    n.minAllocatable = alternatives.isEmpty() ? null
        : alternatives.stream().map(r -> scalars(r, 0)).toList();
    everythingDirty = true;
  }

  /** The scalars of {@code r} (any reservation) as a vector whose other slots hold {@code rest}. */
  private ResourceVector scalars(Resources r, long rest) {
    ResourceVector v = new ResourceVector();
    v.fill(rest);
    Set<Integer> seen = new HashSet<>();
    for (ResourcePart part : compact.split(r)) {
      for (int d = 0; d < schema.size(); d++) {
        if (part.scalars.get(d) > 0) {
          v.set(d, (seen.add(d) ? 0 : v.get(d)) + part.scalars.get(d));
        }
      }
    }
    return v;
  }

  // ------------------------------------------------------------------ decisions

  /** Brings the DRF order and the counts of frameworks wanting offers up to date. */
  void refreshOrder() {
    if (sharesStale) {
      tree.resortAll();
      sharesStale = false;
    }
    if (wantingStale) {
      tree.recountWanting();
      wantingStale = false;
    }
  }

  @Override
  public List<OfferDecision> allocate(Instant now) {
    lastNowMillis = Math.max(lastNowMillis, now.toEpochMilli());
    return cycle.run(now.toEpochMilli());
  }

  /** Explains as of the latest time given to {@link #allocate} or {@link #recoverResources}. */
  @Override
  public Explanation explain(FrameworkId framework) {
    return explainer.explain(framework, lastNowMillis);
  }

  @Override
  public Explanation explainRole(String role) {
    return explainer.explainRole(role, lastNowMillis);
  }
}
