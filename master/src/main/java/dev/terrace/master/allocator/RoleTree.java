package dev.terrace.master.allocator;

import dev.terrace.master.allocator.resources.ResourceSchema;
import dev.terrace.master.allocator.resources.ResourceVector;
import dev.terrace.master.allocator.resources.RolePaths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The role hierarchy with its accounting: allocations (for DRF), reservations and quota. Every
 * change of an allocation goes through {@link #charge} or {@link #release}, which update the
 * framework, its role and every ancestor, and re-place each of them in its sorter; so the DRF
 * order is always current and a cycle never sorts.
 */
final class RoleTree {
  private static final List<ResourceVector> DEFAULT_MIN = defaultMin();

  final RoleNode root = new RoleNode("", null);
  private final Map<String, RoleNode> nodes = new HashMap<>();
  /** Roles with a quota (guarantee or limit), for the headroom math. */
  final List<RoleNode> quotaRoles = new ArrayList<>();
  /** The cluster's total scalars: the denominator of every share. */
  final ResourceVector total = new ResourceVector();
  private final Map<String, Double> weights = new HashMap<>();

  private static List<ResourceVector> defaultMin() {
    ResourceVector cpus = new ResourceVector();
    cpus.set(ResourceSchema.CPUS, 10);
    ResourceVector mem = new ResourceVector();
    mem.set(ResourceSchema.MEM, 32_000);
    return List.of(cpus, mem);
  }

  RoleNode find(String path) {
    return nodes.get(path);
  }

  /** The node of {@code path}, created with its ancestors when missing. */
  RoleNode node(String path) {
    RoleNode n = nodes.get(path);
    if (n != null) {
      return n;
    }
    String parentPath = RolePaths.parent(path);
    RoleNode parent = parentPath == null ? root : node(parentPath);
    n = new RoleNode(path, parent);
    n.weight = weights.getOrDefault(path, 1.0);
    parent.members.add(n);
    nodes.put(path, n);
    return n;
  }

  Iterable<RoleNode> all() {
    return nodes.values();
  }

  void setWeights(Map<String, Double> newWeights) {
    weights.clear();
    weights.putAll(newWeights);
    for (RoleNode n : nodes.values()) {
      n.weight = weights.getOrDefault(n.path, 1.0);
    }
    resortAll();
  }

  // ------------------------------------------------------------------ allocations and shares

  /** {@code scalars} (of which {@code unreserved} is unreserved) are now held by {@code fr}. */
  void charge(FrameworkRole fr, ResourceVector scalars, ResourceVector unreserved) {
    fr.allocated.add(scalars);
    fr.role.own.allocated.add(scalars);
    for (RoleNode n = fr.role; !n.isRoot(); n = n.parent) {
      n.allocated.add(scalars);
      n.allocatedUnreserved.add(unreserved);
    }
    replace(fr, true);
  }

  /** {@code scalars} held by {@code fr} came back. */
  void release(FrameworkRole fr, ResourceVector scalars, ResourceVector unreserved) {
    fr.allocated.subtractFloored(scalars);
    fr.role.own.allocated.subtractFloored(scalars);
    for (RoleNode n = fr.role; !n.isRoot(); n = n.parent) {
      n.allocated.subtractFloored(scalars);
      n.allocatedUnreserved.subtractFloored(unreserved);
    }
    replace(fr, false);
  }

  /** Re-places {@code fr}, its role's own leaf and every ancestor after their shares changed. */
  private void replace(FrameworkRole fr, boolean offered) {
    RoleNode role = fr.role;
    role.own.frameworks.update(fr, fr.allocated.dominantShare(total), offered);
    role.members.update(role.own, role.own.allocated.dominantShare(total) / role.weight, offered);
    for (RoleNode n = role; !n.isRoot(); n = n.parent) {
      n.parent.members.update(n, n.allocated.dominantShare(total) / n.weight, offered);
    }
  }

  /** Recomputes every share (after the cluster total or weights changed) and re-sorts. */
  void resortAll() {
    resort(root);
  }

  private void resort(RoleNode n) {
    Sorter<FrameworkRole> fws = n.own.frameworks;
    for (int i = 0; i < fws.size(); i++) {
      FrameworkRole fr = fws.get(i);
      fws.setShareUnsorted(fr, fr.allocated.dominantShare(total));
    }
    fws.resort();
    n.members.setShareUnsorted(n.own, n.own.allocated.dominantShare(total) / n.weight);
    for (int i = 0; i < n.members.size(); i++) {
      if (n.members.get(i) instanceof RoleNode child) {
        resort(child);
        n.members.setShareUnsorted(child, child.allocated.dominantShare(total) / child.weight);
      }
    }
    n.members.resort();
  }

  /** Recounts the frameworks that want offers in every subtree. */
  void recountWanting() {
    recount(root);
  }

  private int recount(RoleNode n) {
    int own = 0;
    Sorter<FrameworkRole> fws = n.own.frameworks;
    for (int i = 0; i < fws.size(); i++) {
      if (fws.get(i).wantsOffers()) {
        own++;
      }
    }
    n.own.wanting = own;
    int sum = own;
    for (int i = 0; i < n.members.size(); i++) {
      if (n.members.get(i) instanceof RoleNode child) {
        sum += recount(child);
      }
    }
    n.wanting = sum;
    return sum;
  }

  // ------------------------------------------------------------------ reservations and quota

  /** Reservations of {@code role} grew by {@code scalars} (negative to shrink). */
  void reserve(String role, ResourceVector scalars, boolean add) {
    for (RoleNode n = node(role); !n.isRoot(); n = n.parent) {
      if (add) {
        n.reserved.add(scalars);
      } else {
        n.reserved.subtractFloored(scalars);
      }
    }
  }

  void setQuota(RoleNode n, ResourceVector guarantee, ResourceVector limit) {
    n.guarantee = guarantee;
    n.limit = limit;
    quotaRoles.remove(n);
    if (guarantee != null || limit != null) {
      quotaRoles.add(n);
    }
  }

  boolean hasQuota() {
    return !quotaRoles.isEmpty();
  }

  /** Into {@code out}: how much more {@code n} may consume under its and its ancestors' limits. */
  void limitHeadroom(RoleNode n, ResourceVector out) {
    out.fill(ResourceVector.UNLIMITED);
    for (RoleNode a = n; !a.isRoot(); a = a.parent) {
      if (a.limit != null) {
        for (int d = 0; d < ResourceSchema.DIMS; d++) {
          out.set(d, Math.min(out.get(d), Math.max(0, a.limit.get(d) - a.consumed(d))));
        }
      }
    }
  }

  /** The nearest role at or above {@code n} whose limit is reached in some resource, or null. */
  RoleNode limitingRole(RoleNode n) {
    for (RoleNode a = n; !a.isRoot(); a = a.parent) {
      if (a.limit != null) {
        for (int d = 0; d < ResourceSchema.DIMS; d++) {
          if (a.limit.get(d) < ResourceVector.UNLIMITED && a.consumed(d) >= a.limit.get(d)) {
            return a;
          }
        }
      }
    }
    return null;
  }

  /** The nearest role at or above {@code n} with a guarantee, or null. */
  RoleNode guaranteed(RoleNode n) {
    for (RoleNode a = n; !a.isRoot(); a = a.parent) {
      if (a.guarantee != null) {
        return a;
      }
    }
    return null;
  }

  /** Into {@code out}: what {@code n}'s guarantee still lacks (zero without a guarantee). */
  void unmetGuarantee(RoleNode n, ResourceVector out) {
    out.clear();
    RoleNode g = guaranteed(n);
    if (g != null) {
      for (int d = 0; d < ResourceSchema.DIMS; d++) {
        out.set(d, Math.max(0, g.guarantee.get(d) - g.consumed(d)));
      }
    }
  }

  /**
   * Into {@code out}: unreserved resources that must stay free for unmet guarantees. Nested
   * guarantees are summed, which can hold back more than needed; nested quotas are rare.
   */
  void requiredHeadroom(ResourceVector out, ResourceVector scratch) {
    out.clear();
    for (RoleNode n : quotaRoles) {
      if (n.guarantee != null) {
        unmetGuarantee(n, scratch);
        out.add(scratch);
      }
    }
  }

  /** Minimum offer alternatives of {@code n}: its own, else the nearest ancestor's, else Mesos'. */
  List<ResourceVector> minAllocatable(RoleNode n) {
    for (RoleNode a = n; a != null; a = a.parent) {
      if (a.minAllocatable != null) {
        return a.minAllocatable;
      }
    }
    return DEFAULT_MIN;
  }
}
