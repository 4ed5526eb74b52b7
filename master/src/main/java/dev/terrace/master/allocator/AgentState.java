package dev.terrace.master.allocator;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.allocator.resources.ResourcePart;
import dev.terrace.master.allocator.resources.ResourceVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the allocator knows of one agent: its resources per reservation, free and held. */
final class AgentState {
  final AgentId id;
  /** Position in the allocator's agent array (kept dense by swap-remove). */
  int slot;
  Pool[] pools;
  Map<String, String> attributes;
  boolean active = true;
  /** Free resources grew (or the agent is new) since the last cycle looked at it. */
  boolean dirty = true;
  /** The total in wire form, handed out as is when an offer takes the whole, free agent. */
  Resources wholeWire;
  /** The last partial offer made of this agent, per pool, and its wire form (reused if equal). */
  ResourcePart[] lastOffer;
  Resources lastOfferWire;
  final List<Holding> holdings = new ArrayList<>(2);

  /** Resources of one reservation (or the unreserved ones) on this agent. */
  static final class Pool {
    final ResourcePart total;
    final ResourcePart free;
    final String role;
    final boolean unreserved;

    Pool(ResourcePart total) {
      this.total = total;
      this.free = new ResourcePart(total.key);
      this.free.setTo(total);
      this.role = total.key.role();
      this.unreserved = total.key.isUnreserved();
    }
  }

  /** Scalars held on this agent by one framework in one role (owner null: not known whose). */
  static final class Holding {
    FrameworkRole owner;
    final ResourceVector scalars = new ResourceVector();
    final ResourceVector unreserved = new ResourceVector();
  }

  AgentState(AgentId id) {
    this.id = id;
  }

  boolean anyFree() {
    for (Pool p : pools) {
      if (!p.free.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** True when nothing of the agent is allocated. */
  boolean wholeFree() {
    for (Pool p : pools) {
      if (!p.free.scalars.equals(p.total.scalars) || !p.free.ports.equals(p.total.ports)
          || !p.free.other.equals(p.total.other)) {
        return false;
      }
    }
    return true;
  }

  Holding holding(FrameworkRole owner) {
    for (Holding h : holdings) {
      if (h.owner == owner) {
        return h;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return id.value();
  }
}
