package dev.terrace.master;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.OfferId;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ids a master process mints ({@code <master-id>-S<n>} agents, {@code <master-id>-<nnnn>}
 * frameworks, {@code <master-id>-O<n>} offers, {@code <master-id>-I<n>} inverse offers), counted
 * for the life of the process rather than of one term of leadership. A master that loses
 * leadership (its ZooKeeper connection dropped) and is elected again keeps its id; counters reset
 * per term would hand a new framework the id of one recovered from the registry, a new agent the
 * id of one still expected back, and a late ACCEPT of an offer from the earlier term a different
 * offer of this one.
 */
public final class IdSequences {
  private final AtomicLong agents = new AtomicLong();
  private final AtomicLong frameworks = new AtomicLong();
  private final AtomicLong offers = new AtomicLong();
  private final AtomicLong inverseOffers = new AtomicLong();

  AgentId nextAgent(MasterInfo master) {
    return AgentId.of(master.id() + "-S" + agents.getAndIncrement());
  }

  FrameworkId nextFramework(MasterInfo master) {
    return FrameworkId.of(master.id() + "-" + String.format("%04d", frameworks.getAndIncrement()));
  }

  OfferId nextOffer(MasterInfo master) {
    return OfferId.of(master.id() + "-O" + offers.getAndIncrement());
  }

  OfferId nextInverseOffer(MasterInfo master) {
    return OfferId.of(master.id() + "-I" + inverseOffers.getAndIncrement());
  }
}
