package dev.terrace.master;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.ReservationInfo;
import dev.terrace.common.model.Resource;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.registry.AgentReservations;
import dev.terrace.master.registry.RegistrySnapshot;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.TaskEntry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Dynamic reservations (Mesos' RESERVE and UNRESERVE operations, and the operator's
 * RESERVE_RESOURCES / UNRESERVE_RESOURCES): unreserved resources of an agent become reserved for a
 * role (or a reservation is refined, or undone). The master keeps them per agent in the registry
 * and applies them to the agent's reported resources whenever it registers, so a failover or an
 * agent restart keeps them. Only the "reservation refinement" format (the {@code reservations}
 * stack) is understood; a reservation is undone by popping its last level.
 *
 * <p>Runs on the master's context. The allocator is told of a conversion as "give back the old
 * form, change the agent's total, take the new form", queued in that order on its thread, so no
 * allocation sees the resources twice or not at all.
 */
public final class Reservations {
  private final Master master;
  private final RegistryWrites registry;
  private final Map<AgentId, Resources> reserved = new HashMap<>();

  Reservations(Master master, RegistryWrites registry) {
    this.master = master;
    this.registry = registry;
  }

  void recover(RegistrySnapshot.Operated operated) {
    operated.reservations().forEach((id, r) -> reserved.put(id, Resources.of(r.reserved())));
  }

  /** The agent's reported resources with its dynamic reservations applied. */
  Resources applyTo(AgentId agent, Resources reported) {
    Resources mine = reserved.get(agent);
    if (mine == null) {
      return reported;
    }
    Resources sources = popped(mine.toList());
    if (!reported.contains(sources)) {
      // The agent came back with less than was reserved (its resources were changed): keep what
      // it reports; the reservations will be offered once it has them again.
      return reported;
    }
    return reported.minus(sources).plus(mine);
  }

  /**
   * Why {@code resources} cannot be reserved by this framework (null if they can): every resource
   * needs a DYNAMIC reservation on top, for a role the framework may use, with its principal.
   */
  static String invalidReserve(List<Resource> resources, FrameworkInfo framework, String offerRole) {
    if (resources.isEmpty()) {
      return "RESERVE needs 'resources'";
    }
    for (Resource r : resources) {
      if (r.reservations().isEmpty()) {
        return "Resource '" + r.name() + "' names no reservation (use the 'reservations' format)";
      }
      ReservationInfo top = r.reservations().get(r.reservations().size() - 1);
      if (top.type() != ReservationInfo.Type.DYNAMIC) {
        return "Resource '" + r.name() + "': only DYNAMIC reservations can be made";
      }
      if (top.role() == null || top.role().isEmpty() || top.role().equals("*")) {
        return "Resource '" + r.name() + "': a reservation needs a role other than '*'";
      }
      if (framework != null) {
        if (!framework.effectiveRoles().contains(top.role()) || (offerRole != null && !offerRole.equals(top.role()))) {
          return "Resource '" + r.name() + "': role '" + top.role() + "' is not the offer's role";
        }
        if (top.principal() != null && !Objects.equals(top.principal(), framework.principal())) {
          return "Resource '" + r.name() + "': reservation principal '" + top.principal()
              + "' is not the framework's principal";
        }
      }
    }
    return null;
  }

  /** Why {@code resources} cannot be unreserved (null if they can). */
  String invalidUnreserve(AgentId agent, List<Resource> resources) {
    if (resources.isEmpty()) {
      return "UNRESERVE needs 'resources'";
    }
    for (Resource r : resources) {
      if (r.reservations().isEmpty()
          || r.reservations().get(r.reservations().size() - 1).type() != ReservationInfo.Type.DYNAMIC) {
        return "Resource '" + r.name() + "' is not dynamically reserved";
      }
    }
    if (!reserved.getOrDefault(agent, Resources.empty()).contains(Resources.of(resources))) {
      return "Those resources are not reserved on agent " + agent.value();
    }
    return null;
  }

  /**
   * Converts {@code from} into {@code to} on the agent: its total changes and the registry keeps
   * the new reservations. {@code holder} (a framework in the middle of an ACCEPT) keeps the
   * converted resources allocated; null when they were free (operator calls).
   */
  Future<Void> convert(AgentEntry agent, Resources from, Resources to,
      dev.terrace.common.model.FrameworkId holder) {
    AgentId id = agent.info.id();
    // Only reserved resources are kept: a reservation replaces what it refined (nothing, for one
    // made from unreserved resources); an undone refinement leaves the level below it.
    Resources mine = reserved.getOrDefault(id, Resources.empty()).minus(from)
        .plus(Resources.of(to.toList().stream().filter(r -> !r.reservations().isEmpty()).toList()));
    if (mine.isEmpty()) {
      reserved.remove(id);
    } else {
      reserved.put(id, mine);
    }
    agent.total = agent.total.minus(from).plus(to);
    var now = master.clock().instant();
    if (holder != null) {
      master.allocator().recoverResources(holder, id, from, 0, now);
    }
    master.allocator().updateAgent(id, agent.total, agent.info.attributes());
    if (holder != null) {
      master.allocator().addUsed(holder, id, to);
    }
    AgentReservations record = new AgentReservations(id, mine.toList());
    return registry.write(r -> r.putReservations(record));
  }

  /**
   * The operator's RESERVE_RESOURCES: reserves free resources of an agent (its offers are
   * rescinded first, as Mesos does, so offered resources count as free). Fails with {@link
   * IllegalArgumentException}, changing nothing, when they are not free or not a reservation.
   */
  public Future<Void> operatorReserve(AgentId id, List<Resource> resources) {
    AgentEntry agent = master.agent(id);
    if (agent == null) {
      return Future.failedFuture(new IllegalArgumentException("Unknown agent " + id.value()));
    }
    String problem = invalidReserve(resources, null, null);
    if (problem != null) {
      return Future.failedFuture(new IllegalArgumentException(problem));
    }
    Resources to = plain(resources);
    Resources from = popped(to.toList());
    if (!free(agent).contains(from)) {
      return Future.failedFuture(new IllegalArgumentException(
          "Agent " + id.value() + " does not have " + from + " free to reserve"));
    }
    master.offers().rescindAgent(id);
    return convert(agent, from, to, null).onSuccess(v -> master.scheduleAllocation());
  }

  /** The operator's UNRESERVE_RESOURCES: the reservation must exist and not be in use by a task. */
  public Future<Void> operatorUnreserve(AgentId id, List<Resource> resources) {
    AgentEntry agent = master.agent(id);
    if (agent == null) {
      return Future.failedFuture(new IllegalArgumentException("Unknown agent " + id.value()));
    }
    Resources from = plain(resources);
    String problem = invalidUnreserve(id, from.toList());
    if (problem == null && !free(agent).contains(from)) {
      problem = "Those reserved resources are in use by tasks on agent " + id.value();
    }
    if (problem != null) {
      return Future.failedFuture(new IllegalArgumentException(problem));
    }
    master.offers().rescindAgent(id);
    return convert(agent, from, popped(from.toList()), null).onSuccess(v -> master.scheduleAllocation());
  }

  /** What is neither used by a task nor offered on the agent (offers must be rescinded first). */
  static Resources free(AgentEntry agent) {
    Resources used = Resources.empty();
    for (TaskEntry t : agent.tasks.values()) {
      used = used.plus(t.resources);
    }
    return agent.total.minus(used);
  }

  /** The resources one reservation level down: what a reservation was made from. */
  static Resources popped(List<Resource> resources) {
    List<Resource> out = new ArrayList<>();
    for (Resource r : resources) {
      List<ReservationInfo> below = r.reservations().isEmpty() ? List.of()
          : r.reservations().subList(0, r.reservations().size() - 1);
      out.add(new Resource(r.name(), r.type(), r.scalar(), r.ranges(), r.set(), null, null, below,
          r.providerId()));
    }
    return Resources.of(out);
  }

  /** The resources as given, without the allocation info a framework echoes from its offer. */
  static Resources plain(List<Resource> resources) {
    return Resources.of(resources.stream().map(r -> r.withAllocationRole(null)).toList());
  }
}
