package dev.terrace.master.allocator;

import dev.terrace.master.allocator.resources.ResourceVector;
import java.util.List;

/**
 * One role of the hierarchy ({@code eng/ml} under {@code eng} under the root). Among its siblings
 * it is sorted by the weighted dominant share of its whole subtree. Its own frameworks compete
 * with its child roles as one more member, {@link #own} (Mesos' virtual leaf {@code eng/.}), so
 * a role with both frameworks and subroles is shared fairly between them.
 */
final class RoleNode extends Sorter.Client {
  final String path;
  final RoleNode parent;
  double weight = 1;

  /** Child roles and {@link #own}, in DRF order. */
  final Sorter<Sorter.Client> members = new Sorter<>();
  final OwnLeaf own = new OwnLeaf();

  /** Scalars allocated in the subtree (for DRF). */
  final ResourceVector allocated = new ResourceVector();
  /** The unreserved part of {@link #allocated} (reservations count toward quota as a whole). */
  final ResourceVector allocatedUnreserved = new ResourceVector();
  /** Scalars reserved for roles of the subtree on the agents, allocated or not. */
  final ResourceVector reserved = new ResourceVector();

  /** Quota; null when none. Unlimited slots of {@link #limit} hold {@link ResourceVector#UNLIMITED}. */
  ResourceVector guarantee;
  ResourceVector limit;
  /** Minimum offer alternatives; null to inherit from the parent (or the default). */
  List<ResourceVector> minAllocatable;

  /** Frameworks in the subtree that want offers (active, not suppressed); see {@link RoleTree}. */
  int wanting;

  /** The role's own frameworks, as one member among the child roles. */
  final class OwnLeaf extends Sorter.Client {
    final Sorter<FrameworkRole> frameworks = new Sorter<>();
    final ResourceVector allocated = new ResourceVector();
    int wanting;

    RoleNode node() {
      return RoleNode.this;
    }
  }

  RoleNode(String path, RoleNode parent) {
    this.path = path;
    this.parent = parent;
    members.add(own);
  }

  boolean isRoot() {
    return parent == null;
  }

  /** Quota consumed: unreserved allocations plus every reservation, allocated or not. */
  long consumed(int slot) {
    return allocatedUnreserved.get(slot) + reserved.get(slot);
  }

  @Override
  public String toString() {
    return path;
  }
}
