package dev.terrace.master.allocator;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.resources.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The foundation's allocator: each active agent's free resources go whole to one framework, taking
 * frameworks in turn (round robin) so none starves, skipping frameworks that are inactive,
 * suppressed or filtering that agent. It ignores roles' weights, quota and reservations beyond
 * offering a framework only unreserved resources and those reserved for its role; hierarchical
 * DRF replaces it.
 */
public final class SimpleAllocator implements Allocator {
  /** Mesos' minimum allocatable resources: offers smaller than this are noise. */
  private static final double MIN_CPUS = 0.01;
  private static final double MIN_MEM_MB = 32;

  private final Map<AgentId, AgentSlot> agents = new LinkedHashMap<>();
  private final Map<FrameworkId, FrameworkSlot> frameworks = new LinkedHashMap<>();
  private int nextFramework;

  private static final class AgentSlot {
    Resources total;
    Resources allocated;
    boolean active = true;

    AgentSlot(Resources total, Resources used) {
      this.total = total;
      this.allocated = used;
    }

    Resources free() {
      return total.minus(allocated);
    }
  }

  private static final class FrameworkSlot {
    final List<String> roles;
    final Set<String> suppressed = new HashSet<>();
    final Map<AgentId, Instant> refusedUntil = new HashMap<>();
    boolean active = true;

    FrameworkSlot(List<String> roles) {
      this.roles = roles.isEmpty() ? List.of("*") : List.copyOf(roles);
    }

    boolean wantsOffers(AgentId agent, Instant now) {
      if (!active || suppressed.containsAll(roles)) {
        return false;
      }
      Instant until = refusedUntil.get(agent);
      return until == null || !now.isBefore(until);
    }

    String firstUnsuppressedRole() {
      return roles.stream().filter(r -> !suppressed.contains(r)).findFirst().orElse(roles.get(0));
    }
  }

  @Override
  public void addAgent(AgentId agent, Resources total, Resources used) {
    agents.put(agent, new AgentSlot(total, used));
  }

  @Override
  public void removeAgent(AgentId agent) {
    agents.remove(agent);
    frameworks.values().forEach(f -> f.refusedUntil.remove(agent));
  }

  @Override
  public void setAgentActive(AgentId agent, boolean active) {
    AgentSlot slot = agents.get(agent);
    if (slot != null) {
      slot.active = active;
    }
  }

  @Override
  public void addFramework(FrameworkId framework, List<String> roles, List<String> suppressedRoles) {
    FrameworkSlot slot = new FrameworkSlot(roles);
    slot.suppressed.addAll(suppressedRoles);
    frameworks.put(framework, slot);
  }

  @Override
  public void updateFramework(FrameworkId framework, List<String> roles, List<String> suppressedRoles) {
    FrameworkSlot old = frameworks.get(framework);
    if (old == null) {
      return;
    }
    FrameworkSlot slot = new FrameworkSlot(roles);
    slot.suppressed.addAll(suppressedRoles);
    slot.refusedUntil.putAll(old.refusedUntil);
    slot.active = old.active;
    frameworks.put(framework, slot);
  }

  @Override
  public void removeFramework(FrameworkId framework) {
    frameworks.remove(framework);
  }

  @Override
  public void setFrameworkActive(FrameworkId framework, boolean active) {
    FrameworkSlot slot = frameworks.get(framework);
    if (slot != null) {
      slot.active = active;
    }
  }

  @Override
  public void recoverResources(FrameworkId framework, AgentId agent, Resources resources,
      double refuseSeconds, Instant now) {
    AgentSlot slot = agents.get(agent);
    if (slot != null) {
      slot.allocated = slot.allocated.minus(resources);
    }
    FrameworkSlot fw = frameworks.get(framework);
    if (fw != null && refuseSeconds > 0 && !resources.isEmpty()) {
      fw.refusedUntil.put(agent, now.plusMillis((long) (refuseSeconds * 1000)));
    }
  }

  @Override
  public void addUsed(FrameworkId framework, AgentId agent, Resources resources) {
    AgentSlot slot = agents.get(agent);
    if (slot != null) {
      slot.allocated = slot.allocated.plus(resources);
    }
  }

  @Override
  public void suppress(FrameworkId framework, List<String> roles) {
    FrameworkSlot fw = frameworks.get(framework);
    if (fw != null) {
      fw.suppressed.addAll(roles.isEmpty() ? fw.roles : roles);
    }
  }

  @Override
  public void revive(FrameworkId framework, List<String> roles) {
    FrameworkSlot fw = frameworks.get(framework);
    if (fw != null) {
      fw.refusedUntil.clear();
      if (roles.isEmpty()) {
        fw.suppressed.clear();
      } else {
        roles.forEach(fw.suppressed::remove);
      }
    }
  }

  @Override
  public List<OfferDecision> allocate(Instant now) {
    List<OfferDecision> out = new ArrayList<>();
    List<FrameworkId> order = new ArrayList<>(frameworks.keySet());
    if (order.isEmpty()) {
      return out;
    }
    for (Map.Entry<AgentId, AgentSlot> e : agents.entrySet()) {
      AgentSlot agent = e.getValue();
      if (!agent.active) {
        continue;
      }
      for (int i = 0; i < order.size(); i++) {
        FrameworkId id = order.get((nextFramework + i) % order.size());
        FrameworkSlot fw = frameworks.get(id);
        if (!fw.wantsOffers(e.getKey(), now)) {
          continue;
        }
        String role = fw.firstUnsuppressedRole();
        Resources free = agent.free();
        Resources offerable = role.equals("*") ? free.reservedFor("*")
            : free.reservedFor("*").plus(free.reservedFor(role));
        if (!allocatable(offerable)) {
          // Nothing this framework may take (say only another role's reservations are free):
          // the next framework in turn may still use the agent.
          continue;
        }
        agent.allocated = agent.allocated.plus(offerable);
        out.add(new OfferDecision(id, e.getKey(), role, offerable));
        nextFramework = (nextFramework + i + 1) % order.size();
        break;
      }
    }
    return out;
  }

  private static boolean allocatable(Resources r) {
    return r.scalar("cpus") >= MIN_CPUS || r.scalar("mem") >= MIN_MEM_MB;
  }
}
